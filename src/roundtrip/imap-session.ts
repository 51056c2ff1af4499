// The IMAP side of the round trip, on imapflow (the field's maintained IMAP client: literal handling, IDLE and
// SPECIAL-USE are not worth re-implementing). We bound every call with our own timeout on top of imapflow's, turn
// its errors into facts, and take only its masked command log (never the raw socket log) as the transcript.
// imapflow (and its logger, proxy and charset tables: ~2.6 MB) is loaded only when a round trip logs in: every
// `check` without --roundtrip would otherwise pay ~100 ms of start-up for it.
import type { ImapFlow } from 'imapflow';
import type { TranscriptRecorder } from '../net/transcript.js';
import { Redactor } from '../net/redact.js';
import { trustedCas } from '../net/trust.js';
import { raceTimeout } from '../net/deadline.js';
import type { Clock } from '../net/io.js';
import type { Credentials } from '../input/target.js';
import { VERSION } from '../version.js';
import type { FolderInfo, MailboxEndpoint, MailboxLoginOutcome } from '../facts/roundtrip.js';

/** A hostile server cannot make us buffer more than this per response (the header block we fetch is far smaller). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class ImapTimeout extends Error {}

/** How many of the newest messages of a folder have their subject read each round (see find()). */
export const RECENT_ENVELOPES = 20;

/** Races a promise against a timeout (real time: net/deadline.ts); on timeout the IMAP connection is dropped so nothing
 * keeps running. */
export function bounded<T>(what: string, p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return raceTimeout(p, ms, onTimeout, () => new ImapTimeout(`${what}: no answer within ${Math.round(ms / 100) / 10} s`));
}

export interface LoginResult {
  outcome: MailboxLoginOutcome;
  response?: string;
  responseCode?: string;
  message?: string;
  capabilities: string[];
  session?: ImapMailboxSession;
}

interface ImapErrorLike extends Error {
  authenticationFailed?: boolean;
  response?: unknown;
  responseText?: string;
  serverResponseCode?: string;
  code?: string;
}

function describeError(e: ImapErrorLike): string {
  return e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message;
}

/**
 * imapflow's command log as our transcript: it logs parsed commands with credentials already replaced by
 * "(* value hidden *)" (LOGIN, AUTHENTICATE and their continuations); the report is scrubbed of secrets again at the
 * end (src/net/redact.ts). Raw socket logging stays off.
 */
function transcriptLogger(t: TranscriptRecorder | undefined) {
  const record = (o: unknown) => {
    if (!t || !o || typeof o !== 'object') return;
    const { src, msg } = o as { src?: string; msg?: unknown };
    if (typeof msg !== 'string') return;
    // A login line is logged with its value hidden; what the server says after it may echo the secret.
    if (src === 'c' && /\b(LOGIN|AUTHENTICATE)\b|value hidden/i.test(msg)) t.sentHidingSecret(msg);
    else if (src === 'c') t.sent(msg);
    else if (src === 's') t.received(msg);
  };
  const ignore = () => {};
  return { debug: record, info: record, warn: record, error: record, trace: ignore, fatal: ignore };
}

export async function loginImap(opts: {
  endpoint: MailboxEndpoint;
  address: string;
  credentials: Credentials;
  ca: string[];
  timeoutMs: number;
  transcript?: TranscriptRecorder;
}): Promise<LoginResult> {
  const { endpoint, credentials } = opts;
  const redactor = opts.transcript?.redactor ?? new Redactor(credentials);
  const isIp = /^[\d.]+$|:/.test(endpoint.host);
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: opts.address,
    port: endpoint.port,
    secure: endpoint.security === 'implicit-tls',
    doSTARTTLS: endpoint.security === 'starttls' ? true : undefined,
    servername: isIp ? undefined : endpoint.host,
    auth: credentials.oauthToken
      ? { user: credentials.user, accessToken: credentials.oauthToken.reveal() }
      : { user: credentials.user, pass: credentials.password?.reveal() ?? '' },
    logger: opts.transcript ? transcriptLogger(opts.transcript) : false,
    logRaw: false,
    emitLogs: false,
    disableAutoIdle: true,
    disableCompression: true,
    clientInfo: { name: 'sendcheck', version: VERSION, vendor: 'sendcheck' },
    tls: { ca: trustedCas(opts.ca), rejectUnauthorized: true, servername: isIp ? undefined : endpoint.host },
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: Math.max(opts.timeoutMs * 6, 30_000),
    maxResponseSize: MAX_RESPONSE_BYTES,
    maxLiteralSize: MAX_RESPONSE_BYTES,
  });
  // imapflow emits 'error' on socket problems after connect; without a listener that would crash the process.
  client.on('error', () => {});
  try {
    await bounded('IMAP login', client.connect(), opts.timeoutMs * 3, () => client.close());
  } catch (err) {
    client.close();
    const e = err as ImapErrorLike;
    if (e.authenticationFailed) {
      const disabled = /login is disabled|no matching authentication method/i.test(e.message);
      const response = typeof e.response === 'string' ? e.response : e.responseText;
      // The server's words after our login: scrubbed, or withheld for a secret too short to scrub.
      const words = (s: string) => redactor.clip(redactor.afterSecret(s), 300).text;
      return { outcome: disabled ? 'login-disabled' : 'rejected', response: response === undefined ? undefined : words(response), responseCode: e.serverResponseCode, message: words(e.message), capabilities: [...client.capabilities.keys()] };
    }
    return { outcome: 'failed', message: redactor.clip(describeError(e), 300).text, capabilities: [] };
  }
  const capabilities = [...client.capabilities.keys()];
  return { outcome: 'accepted', capabilities, session: new ImapMailboxSession(client, opts.timeoutMs) };
}

const JUNK_NAMES = /^(junk|spam|junk e-?mail|bulk( mail)?|spam folder|courrier ind[ée]sirable|spamverdacht)$/i;

/** One logged-in IMAP session; the round trip only ever touches the message carrying its token. */
export class ImapMailboxSession {
  /** How many messages INBOX had at the last search: more at the next SELECT means something arrived meanwhile. */
  private inboxSeen = -1;
  /** Whether the server accepts our SEARCH (cleared after it refused one). */
  private headerSearch = true;

  constructor(private readonly client: ImapFlow, private readonly timeoutMs: number) {}

  get supportsIdle(): boolean {
    return this.client.capabilities.has('IDLE');
  }

  private run<T>(what: string, p: Promise<T>, ms = this.timeoutMs * 2): Promise<T> {
    return bounded(what, p, ms, () => this.client.close());
  }

  /** The inbox and the junk folder: by SPECIAL-USE flag (RFC 6154), else by the usual names. */
  async folders(): Promise<FolderInfo[]> {
    const list = await this.run('LIST', this.client.list());
    const out: FolderInfo[] = [{ path: 'INBOX', specialUse: '\\Inbox', role: 'inbox' }];
    const junk = list.find((f) => f.specialUse === '\\Junk') ?? list.find((f) => JUNK_NAMES.test(f.name) || /^\[gmail\]\/spam$/i.test(f.path));
    if (junk) out.push({ path: junk.path, specialUse: junk.specialUse || undefined, role: 'junk' });
    return out;
  }

  /**
   * UIDs of messages carrying the token. Two ways, united: SEARCH for our header or the subject, and a look at the
   * subjects of the newest messages. Servers whose SEARCH runs on a content index (Exchange Online) find a new
   * message only minutes later, and some refuse HEADER searches for non-standard fields; the newest envelopes are
   * always there.
   */
  async find(folder: string, tokenHeader: string, token: string): Promise<number[]> {
    const lock = await this.run(`SELECT ${folder}`, this.client.getMailboxLock(folder));
    try {
      const exists = this.client.mailbox ? this.client.mailbox.exists : 0;
      if (folder === 'INBOX') this.inboxSeen = exists;
      const found = new Set<number>();
      if (this.headerSearch) {
        try {
          for (const u of (await this.run(`SEARCH ${folder}`, this.client.search({ or: [{ header: { [tokenHeader]: token } }, { subject: token }] }, { uid: true }))) || []) found.add(u);
        } catch (e) {
          if (e instanceof ImapTimeout) throw e;
          // A server that refuses the search (BAD/NO): rely on the envelopes from now on.
          this.headerSearch = false;
        }
      }
      if (exists > 0) {
        const from = Math.max(1, exists - RECENT_ENVELOPES + 1);
        const scan = async () => {
          for await (const m of this.client.fetch(`${from}:*`, { uid: true, envelope: true })) {
            if (m.envelope?.subject?.includes(token)) found.add(m.uid);
          }
        };
        await this.run(`FETCH ${folder} ENVELOPE`, scan());
      }
      return [...found].sort((a, b) => a - b);
    } finally {
      lock.release();
    }
  }

  async fetchHeaders(folder: string, uid: number): Promise<{ headers: Buffer; internalDate?: Date; size?: number }> {
    const lock = await this.run(`SELECT ${folder}`, this.client.getMailboxLock(folder));
    try {
      const msg = await this.run('FETCH', this.client.fetchOne(String(uid), { headers: true, internalDate: true, size: true }, { uid: true }));
      if (!msg) throw new Error(`message UID ${uid} vanished from ${folder}`);
      const internalDate = msg.internalDate instanceof Date ? msg.internalDate : msg.internalDate ? new Date(msg.internalDate) : undefined;
      return { headers: msg.headers ?? Buffer.alloc(0), internalDate, size: msg.size };
    } finally {
      lock.release();
    }
  }

  async delete(folder: string, uid: number): Promise<boolean> {
    const lock = await this.run(`SELECT ${folder}`, this.client.getMailboxLock(folder));
    try {
      return await this.run('STORE/EXPUNGE', this.client.messageDelete(String(uid), { uid: true }));
    } finally {
      lock.release();
    }
  }

  /**
   * Waits up to `ms` on the run's clock for the inbox to report a new message (IDLE, RFC 2177), or simply waits when
   * the server cannot push; `signal` (the run's deadline) ends the wait early. Resolves early on EXISTS; never throws
   * (the next search finds out what happened).
   */
  async waitForNews(ms: number, clock: Pick<Clock, 'sleep'>, signal?: AbortSignal): Promise<void> {
    if (!this.supportsIdle) return clock.sleep(ms, signal);
    let lock: { release(): void } | undefined;
    try {
      lock = await this.run('SELECT INBOX', this.client.getMailboxLock('INBOX'));
    } catch {
      return clock.sleep(ms, signal);
    }
    const exists = this.client.mailbox ? this.client.mailbox.exists : -1;
    lock.release();
    // Arrived between the search and this SELECT: IDLE would not report it (SELECT already counted it).
    if (this.inboxSeen >= 0 && exists > this.inboxSeen) return;
    const woken = new AbortController();
    const ended = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
    const done = () => woken.abort();
    this.client.on('exists', done);
    this.client.idle().catch(done);
    try {
      await clock.sleep(ms, ended);
    } finally {
      this.client.off('exists', done);
    }
  }

  async logout(): Promise<void> {
    try {
      await bounded('LOGOUT', this.client.logout(), Math.min(this.timeoutMs, 2000), () => this.client.close());
    } catch {
      this.client.close();
    }
  }
}
