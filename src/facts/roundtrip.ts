// Facts of a round trip: the IMAP login that cross-checks the password, the tagged test message and what the
// receiving side did with it (folder, Received chain, Authentication-Results, spam verdicts), and the clean-up.
import type { DataFact, SecurityMode, SessionFact, TestMessage } from './types.js';

/** The mailbox server the round trip logs in to: IMAP (watches the message arrive) or POP3 (cross-check only). */
export interface MailboxEndpoint {
  protocol: 'imap' | 'pop3';
  host: string;
  port: number;
  security: SecurityMode;
  /** Where the endpoint came from: --imap/--pop3, the client configuration, settings discovery, or a guess. */
  source: 'flag' | 'config' | 'discovered' | 'guess';
  detail: string;
}

export type MailboxLoginOutcome =
  /** LOGIN/AUTHENTICATE accepted. */
  | 'accepted'
  /** The server answered NO to the login: the credentials were refused. */
  | 'rejected'
  /** The server does not allow a password login on this connection (LOGINDISABLED, no usable mechanism). */
  | 'login-disabled'
  /** No IMAP endpoint answered (all candidates closed, filtered or not resolvable). */
  | 'unreachable'
  /** TCP worked but TLS or the IMAP greeting did not. */
  | 'failed';

export interface MailboxLoginFact {
  endpoint?: MailboxEndpoint;
  /** The IP address the session used. */
  address?: string;
  /** Every candidate tried before a login, with its TCP outcome (no login is attempted on more than one). */
  candidates: { endpoint: MailboxEndpoint; outcome: string; ms: number }[];
  outcome: MailboxLoginOutcome;
  /** The server's words for a refusal (tagged NO text, response code), secrets never included. */
  response?: string;
  responseCode?: string;
  message?: string;
  /** IMAP capabilities after login (IDLE, SPECIAL-USE, ...). */
  capabilities: string[];
  ms: number;
}

export interface FolderInfo {
  path: string;
  specialUse?: string;
  /** Where the test looks for the message: the inbox and the junk folder. */
  role: 'inbox' | 'junk';
}

export interface ReceivedCopy {
  folder: FolderInfo;
  uid: number;
  /** Seconds from the server's 250 to the moment we saw the message (our clock on both ends). */
  foundAfterMs: number;
  /** IMAP INTERNALDATE: when the receiving server stored it (its clock). */
  internalDate?: string;
  size?: number;
  hops: ReceivedHop[];
  /** Chronological (oldest first) delays between hops, from the Received timestamps. */
  delays: { from?: string; by?: string; at?: string; delayMs?: number }[];
  authResults: AuthResultsHeader[];
  receivedSpf: AuthResult[];
  arc: (AuthResultsHeader & { instance?: number })[];
  spam: SpamVerdict[];
  /** Whether the copy still carries our token header (a rewriting gateway may drop it). */
  tokenHeaderKept: boolean;
}

/** The parts of a received copy the verdict rules read (a round trip's copy, or headers pasted into explain). */
export type ReceivedHeaders = Pick<ReceivedCopy, 'authResults' | 'receivedSpf' | 'arc' | 'spam' | 'delays'>;

export interface RoundtripFact {
  kind: 'roundtrip';
  sender: string;
  recipient: string;
  /** The mailbox login: IMAP, or POP3 with --pop3 (see endpoint.protocol). Named for the usual case. */
  imap: MailboxLoginFact;
  /**
   * When the configured SMTP session failed before any login (wrong port, TLS mode, a blocked port), the round
   * trip uses the submission path this run found working instead; its session (one AUTH attempt) is kept here.
   */
  via?: { port: number; security: SecurityMode; address: string; reason: string; session: SessionFact };
  /** Set when no message was sent, with the reason in words. */
  notSent?: string;
  message?: Omit<TestMessage, 'wire'>;
  data?: DataFact;
  folders: FolderInfo[];
  /** Whether the server pushed new-message notices (IDLE) or we polled. */
  waitMode?: 'idle' | 'poll';
  waitLimitMs: number;
  waitedMs?: number;
  copy?: ReceivedCopy;
  cleanup?: { deleted: boolean; kept: boolean; error?: string };
  /** Errors after login (SELECT, SEARCH, FETCH); the round trip stops there. */
  error?: string;
}

// ---------------------------------------------------------------- the received copy's header fields, as parsed
export interface ReceivedHop {
  /** The name after "from" (usually the client's HELO, as the receiving MTA wrote it). */
  from?: string;
  /** The client's IP address as the receiving MTA saw it (the TCP-info comment first, else the from name). */
  fromIp?: string;
  /** The receiving host ("by"). */
  by?: string;
  /** The protocol ("with"): ESMTPS, ESMTPSA, LMTP, "Microsoft SMTP Server" … */
  with?: string;
  id?: string;
  /** The recipient the MTA recorded ("for"), angle brackets removed. */
  for?: string;
  /**
   * What the MTA wrote about TLS: Postfix's "(using TLSv1.3 with cipher …)" without "using", Microsoft's and
   * Gmail's "(version=TLS1_2, cipher=…)", Exim's "(TLS1.2:…:256)", "Google Transport Security", or, when only the
   * protocol says so, the protocol name (ESMTPS). Undefined when nothing in the field mentions TLS.
   */
  tls?: string;
  /** True when the client had authenticated: "(Authenticated sender: …)", "(authenticated bits=…)", ESMTPA/ESMTPSA. */
  authenticated?: boolean;
  /** The timestamp after the last ';' as an ISO string; undefined when missing or unparseable. */
  date?: string;
  /** The whole unfolded field body. */
  raw: string;
}

export interface AuthResult {
  /** Lowercase method: spf, dkim, dmarc, arc, auth, iprev, compauth, bimi … (a "/version" suffix is dropped). */
  method: string;
  /** Lowercase result: pass, fail, softfail, neutral, none, temperror, permerror, policy … ('' when missing). */
  result: string;
  /** The reason="…" value, unquoted. */
  reason?: string;
  /** The comments of this result, joined with a space, e.g. Gmail's "google.com: domain of … designates …". */
  comment?: string;
  /**
   * Properties by lowercase name as written: "smtp.mailfrom", "header.d", "header.i", "header.from", "header.b",
   * "policy.…"; Microsoft's "action"; for Received-SPF the key-value pairs ("client-ip", "envelope-from", "helo").
   * Values are unquoted; the first of a repeated name is kept.
   */
  props: Record<string, string>;
}

export interface AuthResultsHeader {
  /** The authserv-id, the receiver's name for itself; undefined in Microsoft 365's form, which has none. */
  authservId?: string;
  /** In header order. "none" (no method was evaluated) gives an empty list. */
  results: AuthResult[];
}

export type SpamFilter = 'spamassassin' | 'rspamd' | 'microsoft' | 'gmail' | 'generic';

export interface SpamVerdict {
  filter: SpamFilter;
  /** The names (as written) of the fields this verdict was read from, in header order, joined with ", ". */
  header: string;
  /** Undefined when the headers do not say (e.g. Rspamd's "default: False" alone only means "not rejected"). */
  isSpam?: boolean;
  /** SpamAssassin/Rspamd: the score; Microsoft: the SCL (-1 … 9). */
  score?: number;
  /** SpamAssassin: required=; Rspamd: the reject threshold from X-Spamd-Result; Microsoft: 5 (SCL 5 is spam). */
  threshold?: number;
  /** Rule / symbol names in the order written; empty for Microsoft and the generic flags. */
  tests: string[];
  /** Per-test scores where the header gives them (Rspamd symbols, amavis "tests=[NAME=score, …]"). */
  testScores?: Record<string, number>;
  /** A short human summary: SpamAssassin's checker version, Rspamd's action, Microsoft's SCL/SFV/CAT/DIR/BCL. */
  detail?: string;
  /** Filter-specific raw values by name: autolearn, version, level; action; SCL, SFV, CAT, DIR, BCL, … */
  attributes?: Record<string, string>;
}
