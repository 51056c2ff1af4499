// A transcript of one conversation. Secrets are marked where they are written, so redaction is by construction:
// the text of a secret line is never stored, only a placeholder.

export type Direction = 'sent' | 'received' | 'info';

export interface TranscriptLine {
  /** Milliseconds since the conversation started. */
  t: number;
  dir: Direction;
  text: string;
}

export const REDACTED = '/* secret redacted */';
const MAX_LINE_CHARS = 512;
const MAX_LINES = 2000;

export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  private readonly start: number;
  private dropped = 0;
  constructor(readonly label: string, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  private push(dir: Direction, text: string): void {
    if (this.lines.length >= MAX_LINES) {
      this.dropped++;
      return;
    }
    const clean = text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    this.lines.push({
      t: Math.round(this.now() - this.start),
      dir,
      text: clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS)}… (${clean.length} chars)` : clean,
    });
  }

  sent(text: string): void {
    this.push('sent', text);
  }
  /** A line we sent that carries a secret (AUTH payload, password): only a placeholder is kept. */
  sentSecret(prefix = ''): void {
    this.push('sent', prefix ? `${prefix} ${REDACTED}` : REDACTED);
  }
  received(text: string): void {
    this.push('received', text);
  }
  info(text: string): void {
    this.push('info', text);
  }
  toJSON(): { label: string; lines: TranscriptLine[] } {
    const lines = this.dropped ? [...this.lines, { t: 0, dir: 'info' as const, text: `(${this.dropped} more lines not kept)` }] : this.lines;
    return { label: this.label, lines };
  }
}
