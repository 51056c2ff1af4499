// The terminal's live progress: stages in a person's words, one self-rewriting line with a spinner and ticking
// seconds for what is still awaited (a silent port, the round trip's message), cleared before the report.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
/** What the screen shows: each \r restarts the line, so only the text after the last \r of a line stays visible. */
const screen = (s: string) => plain(s).split('\n').map((l) => l.slice(l.lastIndexOf('\r') + 1));

afterEach(() => vi.useRealTimers());

describe('progress on a terminal', () => {
  it('names the server and the port it connects to, then the port that does not answer yet, with ticking seconds', () => {
    vi.useFakeTimers();
    let t = 0;
    let out = '';
    const p = progressPrinter((s) => (out += s), { now: () => t, tickMs: 100 });
    p.onProgress({ type: 'probe-start', probe: 'resolve', detail: 'smtp.example.com' });
    p.onProgress({ type: 'target', host: 'smtp.example.com', port: 587 });
    p.onProgress({ type: 'probe-start', probe: 'session' });
    p.onProgress({ type: 'connect-start', address: '203.0.113.5', port: 465, timeoutMs: 5000 });
    t = 2300;
    vi.advanceTimersByTime(100);
    expect(screen(out).at(-1)).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting up to 5 s: port 465 does not answer yet  2 s$/);
    t = 5000;
    p.onProgress({ type: 'connect-end', address: '203.0.113.5', port: 465, outcome: 'filtered', ms: 5000 });
    p.end();
    expect(screen(out).slice(0, -1)).toEqual(['Looking up smtp.example.com…', 'Connecting to smtp.example.com port 587…', 'Port 465 did not answer within 5 s']);
    // The live line is cleared at the end: the report starts on a clean line.
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
    expect(out).not.toMatch(/\b(sweep|session|network)\b/);
  });

  it('says how discovery found the server, and rewrites one line while the round trip waits', () => {
    let out = '';
    const p = progressPrinter((s) => (out += s), { now: () => 0 });
    p.onProgress({ type: 'target', host: 'smtp.example.com', port: 465, foundBy: 'SRV _submissions._tcp.example.com' });
    p.onProgress({ type: 'roundtrip-wait', elapsedMs: 1200, limitMs: 120_000, folders: ['INBOX', 'Junk'], mode: 'idle' });
    p.onProgress({ type: 'roundtrip-wait', elapsedMs: 3400, limitMs: 120_000, folders: ['INBOX', 'Junk'], mode: 'idle' });
    expect(screen(out)[0]).toBe('Found smtp.example.com port 465 (SRV _submissions._tcp.example.com)');
    expect(screen(out).at(-1)).toMatch(/Waiting for the test message: 3 s of 120 s \(INBOX, Junk; IMAP IDLE\)/);
    p.end();
    p.end();
  });

  it('control characters in outside names never reach the terminal', () => {
    let out = '';
    const p = progressPrinter((s) => (out += s), { now: () => 0 });
    p.onProgress({ type: 'roundtrip-wait', elapsedMs: 0, limitMs: 1000, folders: ['Junk\x1b]0;owned\x07'], mode: 'poll' });
    p.end();
    expect(out).not.toContain('\x1b]0');
    expect(out).not.toContain('\x07');
  });

  it('colour only when asked (dim), plain text otherwise', () => {
    let colored = '';
    let uncolored = '';
    progressPrinter((s) => (colored += s), { color: true, now: () => 0 }).onProgress({ type: 'probe-start', probe: 'resolve', detail: 'x.example' });
    progressPrinter((s) => (uncolored += s), { color: false, now: () => 0 }).onProgress({ type: 'probe-start', probe: 'resolve', detail: 'x.example' });
    expect(colored).toContain('\x1b[2mLooking up x.example…');
    expect(uncolored).not.toContain('\x1b[2m');
  });
});
