// A transcript of one conversation. Secrets are marked where they are written, so redaction is by construction:
// the text of a secret line is never stored, only a placeholder. What a server said is scrubbed of the run's
// secrets before it is cut (src/net/redact.ts); control characters are kept as data and made visible by the
// renderers (src/report/visible.ts).
import type { Direction, TranscriptLine } from '../facts/types.js';
import { Redactor } from './redact.js';
import { LIMITS } from './limits.js';

export const REDACTED = '/* secret redacted */';
const MAX_LINE_CHARS = LIMITS.maxTranscriptLineChars;
const MAX_LINES = LIMITS.maxTranscriptLines;

export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  private readonly start: number;
  private dropped = 0;
  /** A secret went out on this conversation: a short secret's replies from here on are withheld. */
  private secretSent = false;
  constructor(readonly label: string, readonly redactor: Redactor = Redactor.none, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  private push(dir: Direction, text: string, ms?: number): void {
    if (this.lines.length >= MAX_LINES) {
      this.dropped++;
      return;
    }
    // Only a server's words are scrubbed: ours never hold a secret (secret lines are placeholders), and rewriting
    // them would show where the secret matched.
    const c = dir === 'received' ? this.redactor.clip(text, MAX_LINE_CHARS) : { text: text.slice(0, MAX_LINE_CHARS), cut: text.length > MAX_LINE_CHARS, length: text.length };
    this.lines.push({ t: Math.round(this.now() - this.start), dir, text: c.cut ? `${c.text}… (${c.length} chars)` : c.text, ...(ms !== undefined ? { ms } : {}) });
  }

  sent(text: string): void {
    this.push('sent', text);
  }
  /** A line we sent that carries a secret (AUTH payload, password): only a placeholder is kept. */
  sentSecret(prefix = ''): void {
    this.secretSent = true;
    this.push('sent', prefix ? `${prefix} ${REDACTED}` : REDACTED);
  }
  /** A line a library logged with the secret already hidden (imapflow's "(* value hidden *)"): kept as logged; what
   * the server says next may echo the secret. */
  sentHidingSecret(text: string): void {
    this.secretSent = true;
    this.push('sent', text);
  }
  received(text: string): void {
    this.push('received', this.secretSent ? this.redactor.afterSecret(text) : text);
  }
  info(text: string, ms?: number): void {
    this.push('info', text, ms);
  }
  toJSON(): { label: string; lines: TranscriptLine[] } {
    const lines = this.dropped ? [...this.lines, { t: 0, dir: 'info' as const, text: `(${this.dropped} more lines not kept)` }] : this.lines;
    return { label: this.label, lines };
  }
}
