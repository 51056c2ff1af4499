// Facts of a round trip: the IMAP login that cross-checks the password, the tagged test message and what the
// receiving side did with it (folder, Received chain, Authentication-Results, spam verdicts), and the clean-up.
import type { SecurityMode, SessionFact, SmtpReply } from '../facts/types.js';
import type { AuthResult, AuthResultsHeader, ReceivedHop, SpamVerdict } from './headers/index.js';

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

export interface TestMessage {
  token: string;
  messageId: string;
  from: string;
  to: string;
  subject: string;
  /** The message as sent, CRLF line ends, not yet dot-stuffed. */
  wire: string;
}

/** The DATA step of the session that carried the test message. */
export interface DataFact {
  /** The reply to DATA itself (354 expected). */
  start: SmtpReply;
  /** The reply after the message body (250 = accepted for delivery). */
  end?: SmtpReply;
  accepted: boolean;
  /** The queue ID the server named in its 250 reply, when it did. */
  queueId?: string;
  /** When the server accepted the message (our clock, ISO). */
  acceptedAt?: string;
  bytes: number;
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
