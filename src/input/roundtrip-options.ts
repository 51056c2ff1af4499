// What the caller asks of a round trip (options.roundtrip in CheckInput), validated once before anything runs.
import { UserError } from '../errors.js';
import type { SecurityMode } from '../facts/types.js';
import type { Target } from './target.js';
import { validateHost, validatePort, validateSeconds, validateSecurity } from './validate.js';
import type { MailboxEndpoint } from '../facts/roundtrip.js';

export interface RoundtripInput {
  /** The account's IMAP server as "host[:port]" (default: discovered, then guessed). */
  imap?: string;
  /** implicit-tls | starttls (default: implicit TLS on 993, STARTTLS otherwise). */
  imapSecurity?: string;
  /** For an account read over POP3: its server as "host[:port]" (995 implicit TLS, else STLS). POP3 cannot watch a
   * message arrive without a second login, so with it the round trip is the password cross-check alone. */
  pop3?: string;
  /** Where --imap/--pop3 came from when not from the user (e.g. "prefs.js mail.server.server1"), for the report. */
  mailboxSource?: string;
  /** How long to wait for the message to arrive, in seconds (default 120, at most 900). */
  waitSeconds?: number;
  /** Keep the test message in the mailbox instead of deleting it. */
  keep?: boolean;
  /** Interval between searches when the server cannot push (IDLE), in milliseconds (default 2000). */
  pollMs?: number;
}

export interface RoundtripSettings {
  imap?: MailboxEndpoint;
  waitMs: number;
  keep: boolean;
  pollMs: number;
  sender: string;
  recipient: string;
}

export const DEFAULT_WAIT_SECONDS = 120;
export const MAX_WAIT_SECONDS = 900;

/** How long to wait for the message: the one check of --wait, the web form's wait and the library's waitSeconds. */
export function validateWaitSeconds(value: string | number, what = '--wait'): number {
  return validateSeconds(value, what, 1, MAX_WAIT_SECONDS);
}

/** Extra time the run's overall deadline allows for a round trip (the wait, plus sending and clean-up). */
export function roundtripTimeMs(options: Record<string, unknown>): number {
  const raw = options.roundtrip as RoundtripInput | false | undefined;
  if (!raw) return 0;
  const wait = typeof raw.waitSeconds === 'number' && raw.waitSeconds > 0 ? Math.min(raw.waitSeconds, MAX_WAIT_SECONDS) : DEFAULT_WAIT_SECONDS;
  return wait * 1000 + 60_000;
}

export function parseMailboxEndpoint(spec: string, security?: string, protocol: 'imap' | 'pop3' = 'imap'): MailboxEndpoint {
  const [tlsPort, plainPort] = protocol === 'imap' ? [993, 143] : [995, 110];
  const m = /^(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(spec.trim());
  if (!m) throw new UserError('invalid-host', `--${protocol} ${spec}: expected HOST or HOST:PORT, e.g. ${protocol}.example.com:${tlsPort}`);
  const host = validateHost(m[1]!, `${protocol.toUpperCase()} host`);
  const given = security !== undefined ? validateSecurity(security) : undefined;
  // A password never travels over plaintext IMAP: "none" is refused rather than silently upgraded.
  if (given === 'none') throw new UserError('invalid-value', `--${protocol}-security none: the round trip logs in with your password and never does so without TLS; use starttls or implicit-tls`);
  const port = m[2] ? validatePort(m[2], `${protocol.toUpperCase()} port`) : given === 'starttls' ? plainPort : tlsPort;
  const mode: SecurityMode = given ?? (port === tlsPort ? 'implicit-tls' : 'starttls');
  return { protocol, host, port, security: mode, source: 'flag', detail: `--${protocol}` };
}

function withSource(e: MailboxEndpoint | undefined, source: string | undefined): MailboxEndpoint | undefined {
  return e && source ? { ...e, source: 'config', detail: source } : e;
}

/** The round-trip settings of a target, or undefined when no round trip was asked for. Throws UserError (exit 2). */
export function roundtripSettings(target: Target): RoundtripSettings | undefined {
  const raw = target.options.roundtrip as RoundtripInput | false | undefined;
  if (!raw) return undefined;
  const creds = target.credentials;
  if (!creds || !(creds.password || creds.oauthToken)) {
    throw new UserError('usage', 'the round trip logs in to your mailbox: give the account\'s password (--password-stdin or SENDCHECK_PASSWORD) or an OAuth token');
  }
  const own = target.from ?? (creds.user.includes('@') ? creds.user : target.email);
  if (!own) throw new UserError('usage', `the round trip sends to your own address, and "${creds.user}" is not one: add --from you@example.com`);
  if (target.to.length > 1) throw new UserError('usage', 'the round trip sends one message to one address: give at most one --to');
  const waitSeconds = validateWaitSeconds(raw.waitSeconds ?? DEFAULT_WAIT_SECONDS);
  const pollMs = raw.pollMs ?? 2000;
  if (!(pollMs >= 50) || pollMs > 60_000) throw new UserError('invalid-value', 'poll interval must be between 50 ms and 60 s');
  if (raw.imap !== undefined && raw.pop3 !== undefined) throw new UserError('usage', 'give either --imap or --pop3: the round trip logs in to one mailbox server');
  return {
    imap: withSource(raw.imap !== undefined ? parseMailboxEndpoint(raw.imap, raw.imapSecurity) : raw.pop3 !== undefined ? parseMailboxEndpoint(raw.pop3, raw.imapSecurity, 'pop3') : undefined, raw.mailboxSource),
    waitMs: Math.round(waitSeconds * 1000),
    keep: !!raw.keep,
    pollMs,
    sender: own,
    recipient: target.to[0] ?? own,
  };
}
