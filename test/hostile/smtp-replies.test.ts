// Hostile SMTP servers: endless and flooding replies are stopped by the per-reply limits (src/net/limits.ts) and
// named as a broken or hostile server; absurd reply codes are a broken server, never a firewall or a spam filter.
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import type { CheckInput } from '../../src/input/parse.js';
import { startDialogServer, startRawServer, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { LIMITS } from '../../src/net/limits.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';
import { endlessEhlo, endlessGreeting, floodEhlo, startHostile, type HostileServer } from '../helpers/hostile-servers.js';

const servers: (RunningServer | HostileServer)[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });
function track<T extends RunningServer | HostileServer>(s: T): T {
  servers.push(s);
  return s;
}
const input = (port: number, extra: Partial<CheckInput> = {}): CheckInput =>
  ({ host: '127.0.0.1', port, security: 'none', sweepPorts: [port], timeoutMs: 3000, ...extra });

describe('endless and oversized replies', () => {
  it.each([['an EHLO reply', endlessEhlo], ['a greeting', endlessGreeting]])('%s that never ends, at normal speed: stopped at the reply limit and named', async (_what, handler) => {
    const s = track(await startHostile(handler));
    const r = await runCheck(input(s.port));
    expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    expect(r.rootCause!.category).toBe('server-settings');
    expect(r.rootCause!.evidence[0]!.text).toMatch(new RegExp(`more than ${LIMITS.maxReplyLines} lines`));
    expect(codesOf(r)).not.toContain('smtp.session-dropped');
    // We stopped reading and hung up: the server's writes were bounded by the limit, not by the timeout.
    await new Promise((res) => setTimeout(res, 100));
    expect(s.allClosed()).toBe(true);
    const transcriptLines = r.transcripts.reduce((a, t) => a + t.lines.length, 0);
    expect(transcriptLines).toBeLessThan(3 * (LIMITS.maxReplyLines + 10));
  });

  it('a 100,000-line greeting sent at once is a reply of too many lines, not "a line longer than 4096 bytes"', async () => {
    const s = track(await startRawServer('many-lines'));
    const r = await runCheck(input(s.port));
    expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    expect(r.rootCause!.evidence[0]!.text).toMatch(new RegExp(`more than ${LIMITS.maxReplyLines} lines`));
    expect(r.rootCause!.evidence[0]!.text).not.toMatch(/longer than/);
  });

  it('one line that never ends is a line too long', async () => {
    const s = track(await startRawServer('endless-line'));
    const r = await runCheck(input(s.port));
    expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    expect(r.rootCause!.evidence[0]!.text).toMatch(new RegExp(`longer than ${LIMITS.maxLineBytes} bytes`));
  });

  it('a 10,000-line EHLO reply is refused as oversized, not accepted as capabilities', async () => {
    const s = track(await startHostile(floodEhlo(10_000)));
    const r = await runCheck(input(s.port), {});
    expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    expect(r.verdict).not.toBe('ok');
    expect(JSON.stringify(r).length).toBeLessThan(200_000);
  });

  it('an EHLO reply of long lines is stopped by the byte limit', async () => {
    const long = 'X'.repeat(4000);
    const s = track(await startDialogServer({ ehlo: Array.from({ length: 40 }, (_, i) => `X-${i}-${long}`) }));
    const r = await runCheck(input(s.port));
    expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    expect(r.rootCause!.evidence[0]!.text).toMatch(new RegExp(`more than ${LIMITS.maxReplyBytes / 1024} KB`));
  });
});

describe('reply codes that make no sense: a broken server, not a firewall or a spam filter', () => {
  const cases: [string, Parameters<typeof startDialogServer>[0], Partial<CheckInput>][] = [
    ['a 250 greeting', { greeting: '250 hostile.test ESMTP' }, {}],
    ['a 999 greeting', { greeting: '999 hostile.test ESMTP' }, {}],
    ['a 999 EHLO reply', { replies: [[/^EHLO/i, '999 what']] }, {}],
    ['a 254 to MAIL FROM', { replies: [[/^MAIL FROM/i, '254 2.0.0 eh']] }, { from: 'a@hostile.test', to: ['b@hostile.test'] }],
    ['a 354 to RCPT TO', { replies: [[/^RCPT TO/i, '354 go ahead']] }, { from: 'a@hostile.test', to: ['b@hostile.test'] }],
    ['a 599 (second digit 9) to MAIL FROM', { replies: [[/^MAIL FROM/i, '599 no']] }, { from: 'a@hostile.test', to: ['b@hostile.test'] }],
  ];
  it.each(cases)('%s', async (_what, script, extra) => {
    const s = track(await startDialogServer(script));
    const r = await runCheck(input(s.port, { ...extra, options: { domain: false } }));
    expect(rootCodeOf(r)).toBe('smtp.unexpected-reply');
    expect(r.rootCause!.category).toBe('server-settings');
    const blockers = r.findings.filter((f) => f.severity === 'blocker').map((f) => f.category);
    expect(blockers).not.toContain('firewall');
    expect(blockers).not.toContain('spam-filters');
  });

  it('a refusal (4yz/5yz) is still read as what it says', async () => {
    const s = track(await startDialogServer({ greeting: '554 5.7.1 not accepting connections from your address' }));
    const r = await runCheck(input(s.port));
    expect(codesOf(r)).not.toContain('smtp.unexpected-reply');
  });
});
