// The credential cross-check over POP3 (RFC 1939, STLS RFC 2595, AUTH PLAIN RFC 5034) for accounts read by POP3.
// Our own few lines rather than a library: we need exactly one login, the server's words, a transcript with the
// secret redacted, and the same line limits as the SMTP probe; no maintained npm POP3 client gives all four.
// POP3 shows only what the maildrop held at login (RFC 1939 §8), so it cannot watch a message arrive without a
// second login: with POP3 the round trip is the cross-check alone (see run.ts).
import type net from 'node:net';
import type tls from 'node:tls';
import { LineReader, SmtpIoError } from '../net/smtp-connection.js';
import type { TranscriptRecorder } from '../net/transcript.js';
import type { ProbeContext } from '../probes/context.js';
import type { Credentials } from '../input/target.js';
import type { MailboxEndpoint } from '../facts/roundtrip.js';
import type { LoginResult } from './imap-session.js';

class Pop3Conversation {
  private readonly reader = new LineReader();
  constructor(private socket: net.Socket | tls.TLSSocket, private readonly transcript: TranscriptRecorder, private readonly ctx: Pick<ProbeContext, 'timeoutMs' | 'signal' | 'tlsUpgrade'>) {
    this.reader.attach(socket);
  }

  private secretSent = false;

  /** The next line, scrubbed of the run's secrets as it enters (after a short secret: as received, for the status;
   * the result withholds its words, see loginPop3). */
  async line(): Promise<string> {
    const l = await this.reader.nextLineWithin(this.ctx.timeoutMs, this.ctx.signal);
    this.transcript.received(l);
    return this.secretSent ? l : this.transcript.redactor.scrub(l);
  }

  private write(text: string): void {
    if (/[\r\n\0]/.test(text)) throw new Error('internal: refusing to send a line with CR, LF or NUL');
    if (!this.socket.destroyed) this.socket.write(`${text}\r\n`);
  }

  async command(text: string): Promise<string> {
    this.transcript.sent(text);
    this.write(text);
    return this.line();
  }

  async secret(text: string, shownAs: string): Promise<string> {
    this.transcript.sentSecret(shownAs);
    this.secretSent = true;
    this.write(text);
    return this.line();
  }

  /** A multi-line answer (CAPA): lines up to the lone ".", at most 100. */
  async multiline(): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < 100; i++) {
      const l = await this.line();
      if (l === '.') return out;
      out.push(l.startsWith('..') ? l.slice(1) : l);
    }
    throw new SmtpIoError('reply-too-large', 'CAPA answer longer than 100 lines');
  }

  async upgrade(servername: string | undefined): Promise<void> {
    this.reader.discard();
    this.reader.detach();
    const secure = await this.ctx.tlsUpgrade(this.socket as net.Socket, servername, this.ctx.timeoutMs);
    this.socket = secure;
    this.reader.attach(secure);
  }

  close(): void {
    this.reader.detach();
    this.socket.on('error', () => {});
    this.socket.destroy();
  }
}

const ok = (l: string) => l.startsWith('+OK');

export async function loginPop3(ctx: ProbeContext, opts: { endpoint: MailboxEndpoint; address: string; credentials: Credentials }): Promise<LoginResult> {
  const { endpoint, credentials } = opts;
  const servername = /^[\d.]+$|:/.test(endpoint.host) ? undefined : endpoint.host;
  const transcript = ctx.transcript(`POP3 ${endpoint.host}:${endpoint.port} (password cross-check)`);
  const { redactor } = transcript;
  const dialed = await ctx.dial({ address: opts.address, family: opts.address.includes(':') ? 6 : 4, port: endpoint.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (dialed.outcome !== 'open') return { outcome: 'failed', message: `connect: ${dialed.outcome}${'errno' in dialed && dialed.errno ? ` (${dialed.errno})` : ''}`, capabilities: [] };
  let conv: Pop3Conversation | undefined;
  try {
    let socket: net.Socket | tls.TLSSocket = dialed.socket;
    if (endpoint.security === 'implicit-tls') socket = await ctx.tlsUpgrade(dialed.socket, servername, ctx.timeoutMs);
    conv = new Pop3Conversation(socket, transcript, ctx);
    const greeting = await conv.line();
    if (!ok(greeting)) return { outcome: 'failed', message: `greeting was not +OK: ${redactor.cut(greeting, 120)}`, capabilities: [] };
    if (endpoint.security === 'starttls') {
      const r = await conv.command('STLS');
      if (!ok(r)) return { outcome: 'failed', message: `STLS refused: ${redactor.cut(r, 120)}`, capabilities: [] };
      await conv.upgrade(servername);
      transcript.info('TLS started');
    }
    const capa = await conv.command('CAPA');
    const capabilities = ok(capa) ? (await conv.multiline()).map((l) => l.trim().toUpperCase()) : [];
    const sasl = capabilities.find((c) => c.startsWith('SASL '))?.split(/\s+/).slice(1) ?? [];
    let answer: string;
    if (credentials.oauthToken) {
      if (!sasl.includes('XOAUTH2')) return { outcome: 'login-disabled', message: 'the POP3 server offers no XOAUTH2 login', capabilities };
      const payload = Buffer.from(`user=${credentials.user}\x01auth=Bearer ${credentials.oauthToken.reveal()}\x01\x01`).toString('base64');
      answer = await conv.secret(`AUTH XOAUTH2 ${payload}`, 'AUTH XOAUTH2');
    } else if (sasl.includes('PLAIN')) {
      const payload = Buffer.from(`\0${credentials.user}\0${credentials.password?.reveal() ?? ''}`).toString('base64');
      answer = await conv.secret(`AUTH PLAIN ${payload}`, 'AUTH PLAIN');
    } else {
      const u = await conv.command(`USER ${credentials.user}`);
      if (!ok(u)) return { outcome: /disabled|not allowed|plaintext/i.test(u) ? 'login-disabled' : 'rejected', response: redactor.clip(u.replace(/^-ERR\s*/, ''), 300).text, capabilities };
      answer = await conv.secret(`PASS ${credentials.password?.reveal() ?? ''}`, 'PASS');
    }
    if (ok(answer)) {
      await conv.command('QUIT').catch(() => undefined);
      return { outcome: 'accepted', capabilities };
    }
    // RFC 3206 response codes ("-ERR [AUTH] ...", "[SYS/TEMP]", "[IN-USE]") kept apart from the words.
    const m = /^-ERR\s*(?:\[([A-Z/-]+)\]\s*)?(.*)$/.exec(answer);
    return { outcome: 'rejected', response: redactor.clip(redactor.afterSecret(m?.[2] ?? answer), 300).text, responseCode: m?.[1], capabilities };
  } catch (e) {
    return { outcome: 'failed', message: redactor.clip((e as Error).message, 300).text, capabilities: [] };
  } finally {
    conv?.close();
    dialed.socket.destroy();
  }
}
