// Facts: typed evidence that probes record. A fact says what happened and how long it took, never what it means.

export type SecurityMode = 'implicit-tls' | 'starttls' | 'none';
export type Family = 4 | 6;

/** What every probe node returns (probes/graph.ts runs them): a network outcome is data, only a bug throws. A failed
 * probe may carry what it saw before it failed; a skipped one says why (a need failed, or nothing to do). */
export type ProbeResult<T> =
  | { status: 'ok'; data: T }
  | { status: 'failed'; data?: T; error: ProbeError }
  | { status: 'skipped'; reason: string };

export interface ProbeError {
  code: string;
  step: string;
  message: string;
  responseCode?: number;
  response?: string;
}

/** Where and why an SMTP conversation ended early, in the session's and the sweep's facts. */
export interface SessionError extends ProbeError {
  code: SessionErrorCode;
}

/** How reading from or writing to an SMTP connection failed (net/smtp-connection.ts throws these). */
export type SmtpIoErrorCode = 'timeout' | 'closed' | 'reset' | 'line-too-long' | 'reply-too-large' | 'not-smtp' | 'aborted';

/**
 * Why an SMTP conversation (the configured session, or the sweep's look at a port) ended early. One list that every
 * probe writes and every rule compares against, so a misspelt code fails to compile instead of never matching.
 */
export type SessionErrorCode =
  /** connect: the TCP connect did not open (the connect's outcome). */
  | Exclude<ConnectOutcome, 'open'>
  /** tls: the handshake failed (its class; `tls` when it had none). */
  | TlsErrorClass
  | 'tls'
  /** Any step: the connection failed while we read or wrote. */
  | SmtpIoErrorCode
  /** The server refused the step. */
  | 'greeting-rejected'
  | 'ehlo-rejected'
  | 'starttls-not-offered'
  | 'starttls-refused'
  | 'auth-failed'
  /** auth: the secret was not sent (no TLS without --allow-plaintext-auth; a certificate that did not validate). */
  | 'plaintext-auth-refused'
  | 'certificate-invalid'
  /** auth: nothing to try (no AUTH offered, no mechanism in common; `auth` when no reason was recorded). */
  | 'auth-not-offered'
  | 'no-common-mechanism'
  | 'auth';

// ---------------------------------------------------------------- resolve
export type DnsErrorKind = 'NXDOMAIN' | 'NODATA' | 'SERVFAIL' | 'REFUSED' | 'TIMEOUT' | 'OTHER';

export interface ResolvedAddress {
  address: string;
  family: Family;
}

export interface ResolveFact {
  kind: 'resolve';
  host: string;
  /** True when the host was an IP literal (no DNS involved). */
  literal: boolean;
  addresses: ResolvedAddress[];
  /** CNAME chain from the host to the final name, if any. */
  cnames: string[];
  /** The CNAME chain comes back to a name already in it (or is longer than any real chain). */
  cnameLoop?: boolean;
  /** Per family outcome: an address family that failed while the other worked is still worth knowing. */
  a: { ok: boolean; error?: DnsErrorKind; detail?: string };
  aaaa: { ok: boolean; error?: DnsErrorKind; detail?: string };
  /** Overall error when no address at all was found. */
  error?: DnsErrorKind;
  /** What the operating system's resolver (getaddrinfo: hosts file, NSS) answered, when DNS answered too. */
  system?: { addresses: ResolvedAddress[] };
  resolver: string;
  ms: number;
  /** When DNS gave no answer (not NXDOMAIN/NODATA): what tells this machine's resolver from the domain's servers. */
  resolverCheck?: ResolverCheckFact;
}

export interface ResolverCheckFact {
  /** The same resolver answered the SOA of a name above the host: it works, just not for this host. */
  resolverAnswersOtherNames: boolean;
  /** The closest enclosing zone it answered for. */
  zone?: string;
  /** That zone's NS names (when the authoritative servers were asked). */
  nameservers?: string[];
  /** Other servers asked for the host's address: the zone's authoritative servers, or a resolver the user named. */
  asked: { server: string; role: 'authoritative' | 'compare-resolver'; addresses: string[]; error?: DnsErrorKind; detail?: string }[];
}

// ---------------------------------------------------------------- connect
export type ConnectOutcome =
  /** TCP handshake completed. */
  | 'open'
  /** TCP reset (or ICMP port unreachable, which the kernel reports the same way). */
  | 'refused'
  /** No answer before the timeout: a silent drop. */
  | 'filtered'
  /** ICMP host/net unreachable or administratively prohibited. */
  | 'unreachable'
  /** Connected, then reset at once. */
  | 'reset'
  /** Connected, then closed by the peer at once without a word. */
  | 'closed'
  /** Some other local error (no route, address family not supported). */
  | 'error';

export interface ConnectFact {
  kind: 'connect';
  address: string;
  family: Family;
  port: number;
  outcome: ConnectOutcome;
  /** The errno seen (ECONNREFUSED, EHOSTUNREACH, ...), if any. */
  errno?: string;
  ms: number;
}

// ---------------------------------------------------------------- SMTP replies
export interface SmtpReply {
  code: number;
  /** RFC 3463 enhanced status code, e.g. "5.7.8", when the server sent one. */
  enhanced?: string;
  /** All lines of the reply, joined with "\n", without the code prefixes. */
  text: string;
  /** The raw reply lines as received (truncated to the size limit). */
  lines: string[];
}

// ---------------------------------------------------------------- TLS
export interface CertificateSummary {
  subject: string;
  subjectCN?: string;
  issuer: string;
  issuerCN?: string;
  sans: string[];
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  selfIssued: boolean;
  /** SHA-256 of the certificate's SubjectPublicKeyInfo, hex (what DANE "x 1 1" TLSA records pin). */
  spkiSha256?: string;
}

export type TlsErrorClass =
  | 'wrong-version-number'
  | 'protocol-version'
  | 'cipher-mismatch'
  | 'handshake-timeout'
  | 'closed-during-handshake'
  | 'other';

export type CertProblem = 'expired' | 'not-yet-valid' | 'self-signed' | 'untrusted' | 'hostname-mismatch';

export interface TlsFact {
  kind: 'tls';
  mode: 'implicit-tls' | 'starttls';
  address: string;
  port: number;
  /** The name we checked the certificate against (the host the user configured). */
  servername: string;
  ok: boolean;
  protocol?: string;
  cipher?: string;
  chain: CertificateSummary[];
  /** Trusted against the system store plus any --ca given. */
  trusted?: boolean;
  /** OpenSSL's verdict on the chain, e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT. */
  authorizationError?: string;
  hostnameMatch?: boolean;
  daysToExpiry?: number;
  problems: CertProblem[];
  error?: { class: TlsErrorClass; message: string; code?: string };
  /** After a version or cipher failure: what the server negotiates when old protocols are allowed. */
  legacy?: { protocol?: string; cipher?: string; error?: string };
  ms: number;
}

// ---------------------------------------------------------------- speak (what a port really speaks)
export type Speaks =
  | 'smtp'
  | 'smtp-implicit-tls'
  | 'tls-not-smtp'
  | 'silent'
  | 'http'
  | 'not-smtp'
  | 'closed';

export interface EhloFact {
  /** The domain the server announced in its EHLO reply. */
  domain?: string;
  keywords: string[];
  authMechanisms: string[];
  starttls: boolean;
  size?: number;
  /** True when EHLO was refused and HELO was used instead. */
  heloFallback: boolean;
  reply: SmtpReply;
  ms: number;
}

export interface SpeakFact {
  kind: 'speak';
  address: string;
  family: Family;
  port: number;
  speaks: Speaks;
  greeting?: { reply: SmtpReply; ms: number };
  /** First bytes seen when the port did not speak SMTP (printable, truncated). */
  firstBytes?: string;
  ehlo?: EhloFact;
  starttls?: { reply?: SmtpReply; ms: number };
  tls?: TlsFact;
  ehloAfterTls?: EhloFact;
  /** Where the conversation ended early, if it did. */
  error?: SessionError;
  ms: number;
}

// ---------------------------------------------------------------- the configured session (auth, envelope)
export type AuthMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2' | 'OAUTHBEARER';

export interface AuthFact {
  kind: 'auth';
  mechanism?: AuthMechanism;
  /** Mechanisms the server offered at the time we authenticated. */
  offered: string[];
  attempted: boolean;
  accepted: boolean;
  reply?: SmtpReply;
  /** Why we did not attempt, if we did not. */
  notAttempted?: 'no-credentials' | 'auth-not-offered' | 'no-common-mechanism' | 'session-failed' | 'certificate-invalid' | 'no-tls';
  ms: number;
}

export interface EnvelopeFact {
  kind: 'envelope';
  mailFrom?: { address: string; reply: SmtpReply; ms: number };
  rcptTo: { address: string; reply: SmtpReply; ms: number }[];
  ms: number;
}

/** One step of the configured conversation, in order (the "path" the report draws). */
export interface SessionStep {
  step: 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'tls' | 'ehlo-after-tls' | 'auth' | 'mail-from' | 'rcpt-to' | 'data' | 'rset' | 'quit';
  ok: boolean;
  reply?: SmtpReply;
  message?: string;
  ms: number;
}

// ---------------------------------------------------------------- the round trip's test message, sent in the session
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

export interface SessionFact {
  kind: 'session';
  address: string;
  port: number;
  security: SecurityMode;
  steps: SessionStep[];
  connect?: ConnectFact;
  greeting?: { reply: SmtpReply; ms: number };
  ehlo?: EhloFact;
  tls?: TlsFact;
  ehloAfterTls?: EhloFact;
  auth?: AuthFact;
  envelope?: EnvelopeFact;
  /** The round trip's test message (sendcheck roundtrip / check --roundtrip only). */
  data?: DataFact;
  /** Where the conversation ended early, if it did. */
  error?: SessionError;
  ms: number;
}

// ---------------------------------------------------------------- transcripts
export type Direction = 'sent' | 'received' | 'info';

export interface TranscriptLine {
  /** Milliseconds since the conversation started. */
  t: number;
  dir: Direction;
  text: string;
  /** How long the step this line reports took (e.g. the TCP connect), kept out of `text` so the text is stable. */
  ms?: number;
}

export interface Transcript {
  /** e.g. "127.0.0.1:587 (configured session)" */
  label: string;
  lines: TranscriptLine[];
}

/** A probe that threw (a bug, never a network outcome): its facts are missing; a rule reports it. */
export interface ProbeErrorFact {
  /** The probe or area, e.g. "network", "discovery", "domain audit of example.com". */
  probe: string;
  message: string;
}
