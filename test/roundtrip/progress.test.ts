// The terminal's live progress while the round trip waits: one line that rewrites itself, closed by a newline
// before anything else is printed.
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';

describe('progress line', () => {
  it('rewrites one line while waiting and ends it before the next output', () => {
    let out = '';
    const p = progressPrinter((s) => (out += s));
    p.onProgress({ type: 'probe-start', probe: 'session', detail: '127.0.0.1:587' });
    p.onProgress({ type: 'roundtrip-wait', elapsedMs: 1200, limitMs: 120_000, folders: ['INBOX', 'Junk'], mode: 'idle' });
    p.onProgress({ type: 'roundtrip-wait', elapsedMs: 3400, limitMs: 120_000, folders: ['INBOX', 'Junk'], mode: 'idle' });
    p.end();
    p.end();
    const plain = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(plain).toBe('… session 127.0.0.1:587\n\r… waiting for the test message: 1 s of 120 s (INBOX, Junk; IMAP IDLE)\r… waiting for the test message: 3 s of 120 s (INBOX, Junk; IMAP IDLE)\n');
  });
});
