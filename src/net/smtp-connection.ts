// A diagnostic SMTP client: one explicit step at a time, recording every line with its timing.
// We write our own instead of using nodemailer because a sending library hides the facts we need:
// capabilities before and after TLS, the exact reply at each step, where the conversation broke.
// Every read has a timeout and a size limit, so a silent, chatty or hostile server cannot hang or exhaust us.
import type net from 'node:net';
import type tls from 'node:tls';
import type { SmtpIoErrorCode, SmtpReply } from '../facts/types.js';
import { LIMITS } from './limits.js';
import { keepRawForRules, markAfterSecret } from './redact.js';
import type { TranscriptRecorder } from './transcript.js';

export type { SmtpIoErrorCode };

export class SmtpIoError extends Error {
  constructor(readonly code: SmtpIoErrorCode, message: string, readonly partial?: string) {
    super(message);
    this.name = 'SmtpIoError';
  }
}

const REPLY_LINE = /^(\d{3})([ -])(.*)$/;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})\b/;

const lineTooLong = () => new SmtpIoError('line-too-long', `server sent a line longer than ${LIMITS.maxLineBytes} bytes (sendcheck stopped reading)`);
const tooManyLines = () => new SmtpIoError('reply-too-large', `server sent a reply of more than ${LIMITS.maxReplyLines} lines (an endless or oversized reply; sendcheck stopped reading)`);
const tooManyBytes = () => new SmtpIoError('reply-too-large', `server sent a reply of more than ${LIMITS.maxReplyBytes / 1024} KB (an endless or oversized reply; sendcheck stopped reading)`);

export function parseReply(lines: string[]): SmtpReply {
  const code = Number(lines[0]?.slice(0, 3));
  const texts = lines.map((l) => l.slice(4));
  const m = ENHANCED.exec(texts[0] ?? '');
  return { code, enhanced: m ? `${m[1]}.${m[2]}.${m[3]}` : undefined, text: texts.join('\n'), lines };
}

/** Reads CRLF- (or bare LF-) terminated lines from a stream with limits, one pending read at a time. Also used for
 * POP3 (src/roundtrip/pop3-login.ts): the limits protect any line protocol. */
export class LineReader {
  private buf: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private ended: 'closed' | 'reset' | null = null;
  private overflow: SmtpIoErrorCode | null = null;
  private waiter: (() => void) | null = null;
  private stream: net.Socket | tls.TLSSocket | null = null;
  /** Bytes seen in total (for "something arrived" checks). */
  bytesSeen = 0;
  firstBytes = Buffer.alloc(0);

  private readonly onData = (chunk: Buffer) => {
    this.bytesSeen += chunk.length;
    if (this.overflow) return; // already given up on this peer: keep nothing more
    if (this.firstBytes.length < LIMITS.maxFirstBytes) this.firstBytes = Buffer.concat([this.firstBytes, chunk]).subarray(0, LIMITS.maxFirstBytes);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let start = 0;
    let nl: number;
    while ((nl = this.buf.indexOf(10, start)) >= 0) {
      let line = this.buf.subarray(start, nl);
      start = nl + 1;
      if (line.length && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
      if (line.length > LIMITS.maxLineBytes) {
        this.overflow = 'line-too-long';
        break;
      }
      this.lines.push(line.toString('latin1'));
      // Lines waiting to be read: a flood faster than we read is an oversized reply too.
      if (this.lines.length > LIMITS.maxReplyLines) {
        this.overflow = 'reply-too-large';
        break;
      }
    }
    this.buf = this.buf.subarray(start);
    // The first limit hit names the problem: a flood of short lines is not "a line too long".
    if (!this.overflow && this.buf.length > LIMITS.maxLineBytes) this.overflow = 'line-too-long';
    if (this.overflow) {
      this.buf = Buffer.alloc(0);
      this.stream?.pause();
    }
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended ??= 'closed';
    this.wake();
  };
  private readonly onError = (err: NodeJS.ErrnoException) => {
    this.ended ??= err.code === 'ECONNRESET' ? 'reset' : 'closed';
    this.wake();
  };

  attach(stream: net.Socket | tls.TLSSocket): void {
    this.detach();
    this.stream = stream;
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  detach(): void {
    if (!this.stream) return;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    this.stream = null;
  }

  /** Drops what is buffered (RFC 3207: nothing received before the TLS handshake may be used) and says how much. */
  discard(): number {
    const n = this.buf.length + this.lines.reduce((a, l) => a + l.length + 2, 0);
    this.buf = Buffer.alloc(0);
    this.lines = [];
    return n;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The next line within `timeoutMs` of real time: an I/O timeout, on net/'s own clock like every socket timeout
   * (a test clock that stands still, or jumps, must not make a line wait forever or fail at once). */
  nextLineWithin(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return this.nextLine(performance.now() + timeoutMs, signal);
  }

  async nextLine(deadline: number, signal?: AbortSignal): Promise<string> {
    for (;;) {
      if (this.lines.length) return this.lines.shift()!;
      if (this.overflow) throw this.overflow === 'line-too-long' ? lineTooLong() : tooManyLines();
      if (this.ended) throw new SmtpIoError(this.ended, this.ended === 'reset' ? 'connection reset by the server' : 'connection closed by the server', this.buf.toString('latin1'));
      if (signal?.aborted) throw new SmtpIoError('aborted', 'run aborted');
      const left = deadline - performance.now();
      if (left <= 0) throw new SmtpIoError('timeout', 'no reply before the timeout', this.buf.toString('latin1'));
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', wake);
          this.waiter = null;
          resolve();
        };
        const t = setTimeout(wake, left);
        signal?.addEventListener('abort', wake, { once: true });
        this.waiter = wake;
      });
    }
  }
}

export interface SmtpConnectionOptions {
  socket: net.Socket | tls.TLSSocket;
  timeoutMs: number;
  transcript: TranscriptRecorder;
  signal?: AbortSignal;
}

export class SmtpConnection {
  private readonly reader = new LineReader();
  socket: net.Socket | tls.TLSSocket;
  readonly timeoutMs: number;
  readonly transcript: TranscriptRecorder;
  private readonly signal?: AbortSignal;

  constructor(opts: SmtpConnectionOptions) {
    this.socket = opts.socket;
    this.timeoutMs = opts.timeoutMs;
    this.transcript = opts.transcript;
    this.signal = opts.signal;
    this.reader.attach(this.socket);
  }

  get bytesSeen(): number {
    return this.reader.bytesSeen;
  }

  /** The first bytes the peer sent, as printable text, for evidence when it is not SMTP. */
  firstBytesText(): string {
    return this.outside(this.reader.firstBytes.toString('latin1')).replace(/[^\x20-\x7e\r\n]/g, '.');
  }

  /** A secret went out on this connection (see secretCommand). */
  private secretSent = false;

  /** What the server said, as it enters: scrubbed of the run's secrets before anything reads or cuts it. */
  private outside(text: string): string {
    return this.secretSent ? this.transcript.redactor.afterSecret(text) : this.transcript.redactor.scrub(text);
  }

  /** Reads one complete (possibly multi-line) reply. A non-reply line means the peer does not speak SMTP. */
  async readReply(timeoutMs = this.timeoutMs): Promise<SmtpReply> {
    const deadline = performance.now() + timeoutMs;
    const lines: string[] = [];
    const rawLines: string[] = [];
    let bytes = 0;
    for (;;) {
      const raw = await this.nextLine(deadline);
      // One reply, however slowly it streams, is bounded in lines and bytes: an endless reply stops here.
      bytes += raw.length + 2;
      if (lines.length >= LIMITS.maxReplyLines) throw this.stopReading(tooManyLines());
      if (bytes > LIMITS.maxReplyBytes) throw this.stopReading(tooManyBytes());
      this.transcript.received(raw);
      const shown = this.outside(raw);
      // After a short secret the rules still read the words; the report withholds them (markAfterSecret below).
      const line = this.secretSent && this.transcript.redactor.withholds ? raw : shown;
      const m = REPLY_LINE.exec(line) ?? (/^\d{3}$/.test(line) ? [line, line, ' ', ''] : null);
      if (!m) throw new SmtpIoError('not-smtp', `not an SMTP reply: ${JSON.stringify(this.transcript.redactor.cut(shown, 80))}`, shown);
      if (lines.length && !line.startsWith(lines[0]!.slice(0, 3))) throw new SmtpIoError('not-smtp', 'reply code changed inside a multi-line reply', shown);
      lines.push(line.length === 3 ? `${line} ` : line);
      rawLines.push(raw.length === 3 ? `${raw} ` : raw);
      if (m[2] === ' ') {
        const reply = lines.some((l, i) => l !== rawLines[i]) ? keepRawForRules(parseReply(lines), parseReply(rawLines)) : parseReply(lines);
        return this.secretSent ? markAfterSecret(reply) : reply;
      }
    }
  }

  /** The reader's next line; what it had buffered when it gave up is outside text too. */
  private async nextLine(deadline: number): Promise<string> {
    try {
      return await this.reader.nextLine(deadline, this.signal);
    } catch (e) {
      // An unfinished line ends where the server stopped: it may end inside a secret.
      if (e instanceof SmtpIoError && e.partial !== undefined) throw new SmtpIoError(e.code, e.message, this.outside(this.transcript.redactor.scrubCutEnd(e.partial)));
      throw e;
    }
  }

  /** No more reading from a peer that broke a limit: the socket goes, the error is returned for throwing. */
  private stopReading(err: SmtpIoError): SmtpIoError {
    this.destroy();
    return err;
  }

  private write(line: string): void {
    if (/[\r\n\0]/.test(line)) throw new Error('internal: refusing to send a line with CR, LF or NUL');
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  async command(line: string, timeoutMs?: number): Promise<SmtpReply> {
    this.transcript.sent(line);
    this.write(line);
    return this.readReply(timeoutMs);
  }

  /** Sends a line that carries a secret; the transcript keeps only `shownAs` and a redaction marker. */
  async secretCommand(line: string, shownAs: string, timeoutMs?: number): Promise<SmtpReply> {
    this.transcript.sentSecret(shownAs);
    this.secretSent = true;
    this.write(line);
    return this.readReply(timeoutMs);
  }

  /**
   * Sends a message body after a 354 (already dot-stuffed, CRLF line ends) and the terminating ".", then reads the
   * reply. The transcript records only the size and the header names: the body is ours, and headers like the
   * subject are shown in the report's round-trip section instead.
   */
  async sendBody(stuffed: string, summary: string, timeoutMs?: number): Promise<SmtpReply> {
    if (!stuffed.endsWith('\r\n')) throw new Error('internal: a message body must end with CRLF');
    this.transcript.info(summary);
    this.transcript.sent('.');
    if (!this.socket.destroyed) this.socket.write(`${stuffed}.\r\n`);
    return this.readReply(timeoutMs);
  }

  /** Hands the socket over for a TLS upgrade; returns how many bytes arrived before the handshake (discarded). */
  detachForTls(): { socket: net.Socket; discardedBytes: number } {
    const discardedBytes = this.reader.discard();
    this.reader.detach();
    return { socket: this.socket as net.Socket, discardedBytes };
  }

  attachTls(tlsSocket: tls.TLSSocket): void {
    this.socket = tlsSocket;
    this.reader.attach(tlsSocket);
  }

  /** Polite end: QUIT with a short wait, then destroy regardless. */
  async quit(): Promise<SmtpReply | undefined> {
    try {
      return await this.command('QUIT', Math.min(this.timeoutMs, 1000));
    } catch {
      return undefined;
    } finally {
      this.destroy();
    }
  }

  destroy(): void {
    this.reader.detach();
    this.socket.on('error', () => {});
    this.socket.destroy();
  }
}
