// `explain` on worst-case input within the 10 MB input limit: every parser is linear and bounded in the parts,
// lines and items it keeps. Each input here hung or took gigabytes before (quadratic address regex, a multipart
// whose boundary makes every line a part, a findings list rebuilt per item); the wall-clock bounds are generous
// (ten times what a linear pass needs on a slow machine), the structural bounds are the limits themselves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusUrl } from '../helpers/corpora.js';
import { findAddresses } from '../../src/explain/addresses.js';
import { explainText, findingsOf } from '../../src/explain/explain.js';
import { parseMime } from '../../src/explain/mime.js';
import { explain } from '../../src/index.js';
import { LIMITS } from '../../src/net/limits.js';

const MB = 1024 * 1024;
const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

function postfixLog(bytes: number, distinct = false): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `Nov 28 12:00:${String(i % 60).padStart(2, '0')} mx postfix/smtp[${1000 + i}]: ${(i * 7919).toString(16).toUpperCase()}: to=<user${i}@example.net>, relay=mx.example.net[203.0.113.${i % 250}]:25, dsn=5.7.1, status=bounced (host mx.example.net said: 550 ${distinct ? `5.${i % 8}.${i % 999}` : '5.7.1'} Message rejected as spam ${i} (in reply to end of DATA command))`;
    out.push(line);
    size += line.length + 1;
  }
  return out.join('\n');
}

describe('explain: worst-case input stays linear and bounded', () => {
  it.each([
    ['2 MB of "."', '.'.repeat(2 * MB)],
    ['2 MB of "5.5.5."', '5.5.5.'.repeat(MB / 3)],
    ['2 MB of "a@a"', 'a@a'.repeat((2 * MB) / 3)],
    ['a bounce of 2 MB of "<" in HTML', `From: MAILER-DAEMON@x.test\nTo: a@x.test\nSubject: Undeliverable\nContent-Type: text/html\n\n${'<'.repeat(2 * MB)}`],
    ['a bounce of 300,000 unclosed <script> tags', `From: MAILER-DAEMON@x.test\nTo: a@x.test\nSubject: Undeliverable\nContent-Type: text/html\n\n${'<script'.repeat(300_000)}`],
  ])('%s', (_what, text) => {
    const { value: r, ms } = timed(() => explain(text));
    expect(r.findings.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(3000);
  }, 30_000);

  it('a multipart whose boundary "-" makes each of 2 million "---" lines a part: at most maxMimeParts parts, said so', () => {
    const raw = `From: MAILER-DAEMON@x.test\nTo: a@x.test\nSubject: Undeliverable\nContent-Type: multipart/mixed; boundary="-"\n\n${'---\n'.repeat(2_000_000)}`;
    const m = parseMime(raw);
    expect(m.parts.length).toBe(LIMITS.maxMimeParts);
    expect(m.partsCut).toBe(true);
    const before = process.memoryUsage().rss;
    const { value: r, ms } = timed(() => explain(raw));
    expect(r.findings.flatMap((f) => f.evidence.map((e) => e.text)).join(' ')).toMatch(/first 100 MIME parts/);
    expect(ms).toBeLessThan(5000);
    // 1.19 GB before the limit; the input itself is 8 MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * MB);
  }, 30_000);

  it('nested multiparts share one parts budget', () => {
    let raw = 'leaf';
    for (let d = 0; d < 6; d++) raw = `Content-Type: multipart/mixed; boundary="b${d}"\n\n${Array.from({ length: 10 }, () => `--b${d}\n${raw}\n`).join('')}--b${d}--\n`;
    const count = (p: ReturnType<typeof parseMime>): number => p.parts.length + p.parts.reduce((a, c) => a + count(c), 0);
    expect(count(parseMime(raw))).toBeLessThanOrEqual(LIMITS.maxMimeParts);
  });

  it('a 10 MB Postfix log explains in about a second, keeps at most maxExplainItems items and says what it left', () => {
    for (const distinct of [false, true]) {
      const log = postfixLog(10 * MB - 1024, distinct);
      const { value: res, ms } = timed(() => explainText(log));
      expect(res.items.length).toBeLessThanOrEqual(LIMITS.maxExplainItems);
      expect(res.cut?.join(' ')).toMatch(/more recognised lines/);
      const findings = timed(() => findingsOf(res));
      expect(findings.value.every((f) => f.evidence.length <= 22)).toBe(true);
      expect(findings.value.flatMap((f) => f.evidence.map((e) => e.text)).join(' ')).toMatch(/input limits:/);
      expect(ms + findings.ms).toBeLessThan(5000);
    }
  }, 60_000);

  it('findingsOf groups 100,000 items in one pass', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ kind: 'reply' as const, code: 'envelope.recipient-rejected', confidence: 'likely' as const, text: `550 user${i}` }));
    const { value, ms } = timed(() => findingsOf({ input: 'text', items }));
    expect(value).toHaveLength(1);
    expect(value[0]!.evidence.at(-1)!.text).toMatch(/99980 more/);
    expect(ms).toBeLessThan(2000);
  });

  it('the address finder agrees with the address grammar it replaced', () => {
    expect(findAddresses('Final-Recipient: rfc822; <Carol.D+x@Sub.Example-1.org>.').map((a) => a.address)).toEqual(['Carol.D+x@Sub.Example-1.org']);
    expect(findAddresses('from=bob@x.y..z', 9, 'narrow').map((a) => a.address)).toEqual(['bob@x.y']);
    expect(findAddresses('a@b a@@b.c a@.b.c x@y.z.').map((a) => a.address)).toEqual(['x@y.z']);
  });
});

describe('explain: a real bounce padded with one header field', () => {
  // A real Postfix DSN (sisimai corpus) followed by 60,000 copies of one header field: the header list was copied
  // per field (quadratic), 12 s for 1 MB and minutes for 9 MB.
  it('stays linear', () => {
    const dsn = readFileSync(new URL('maildir/bsd/lhost-postfix-01.eml', corpusUrl('sisimai-bounces')), 'latin1');
    const text = `${dsn.trimEnd()}\n${'X-Padding: lorem ipsum dolor sit amet lorem ipsum\n'.repeat(60_000)}`;
    const { value: r, ms } = timed(() => explain(text));
    expect(r.findings.map((f) => f.code)).toContain('envelope.recipient-rejected');
    expect(ms).toBeLessThan(3000);
  });
});
