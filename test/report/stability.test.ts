// The same input gives the same JSON, byte for byte, apart from times and durations: runs each kind twice and compares.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { loadLabEnv, type LabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

/** Keys whose values are clock readings (docs/json-report.md, "Stable output"). */
const TIME_KEYS = new Set(['startedAt', 'durationMs', 'ms', 't', 'daysToExpiry', 'foundAfterMs']);

type Line = { dir: string; text: string };
/** The reply to QUIT is waited for at most a second (net/smtp-connection.ts): on a loaded machine it can come later,
 * which is timing, not content. A "221" right after "QUIT" is dropped before comparing. */
function withoutQuitReply(lines: Line[]): Line[] {
  return lines.filter((l, i) => !(l.dir === 'received' && /^221[ -]/.test(l.text) && lines[i - 1]?.text === 'QUIT'));
}

/** Each JSON document of the output (one, or one per line) with the clock readings taken out. */
function withoutTimes(out: string): string {
  const strip = (doc: string) => JSON.stringify(JSON.parse(doc, (k, v: unknown) => (TIME_KEYS.has(k) && typeof v !== 'object' ? undefined : k === 'lines' && Array.isArray(v) ? withoutQuitReply(v as Line[]) : v)), null, 2);
  const text = out.trim();
  return text.startsWith('{\n') ? strip(text) : text.split('\n').map(strip).join('\n');
}

let lab: LabEnv;
let resolver: string;
const dir = tempDir('stability');
beforeAll(() => {
  lab = loadLabEnv();
  resolver = `${lab.dns.server}:${lab.dns.port}`;
});

async function twice(args: string[], opts: { input?: string } = {}): Promise<[string, string]> {
  const a = await runCli(args, opts);
  const b = await runCli(args, opts);
  expect(a.stderr).toBe('');
  return [withoutTimes(a.stdout), withoutTimes(b.stdout)];
}

describe('byte-identical JSON for the same input', () => {
  it('check against the lab: discovery, sweep, session, envelope, domain audit', async () => {
    const alice = lab.users[0]!;
    const [a, b] = await twice(['check', alice.user, '--resolver', resolver, '--ca', lab.caFile, '--password-stdin', '--from', alice.user, '--to', 'bob@example.test', '--timeout', '3', '--no-reference', '--json'], { input: alice.password });
    expect(JSON.parse(a)).toMatchObject({ command: 'check', verdict: expect.any(String) });
    expect(a).toBe(b);
  });

  it('domain --file, in input order', async () => {
    const file = join(dir, 'domains.txt');
    writeFileSync(file, ['good.dom.test', 'nxdomain.invalid', 'example.test', 'dom.test'].join('\n'));
    const [a, b] = await twice(['domain', '--file', file, '--resolver', resolver, '--timeout', '2', '--no-default-blocklists', '--json']);
    expect(a).toBe(b);
    const raw = await runCli(['domain', '--file', file, '--resolver', resolver, '--timeout', '2', '--no-default-blocklists', '--no-propagation', '--concurrency', '4', '--json']);
    expect(raw.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { target: { domain: string; line: number } }).target)).toEqual(
      ['good.dom.test', 'nxdomain.invalid', 'example.test', 'dom.test'].map((domain, i) => expect.objectContaining({ domain, line: i + 1 })),
    );
  });

  it('explain and replay', async () => {
    const [a, b] = await twice(['explain', '550 5.7.1 Relay access denied', '--json']);
    expect(a).toBe(b);
    const demo = await runCli(['demo', 'wrong-password', '--json']);
    const saved = join(dir, 'saved.json');
    writeFileSync(saved, demo.stdout);
    const [c, d] = await twice(['check', '--replay', saved, '--json']);
    expect(c).toBe(d);
    expect(readFileSync(saved, 'utf8')).toContain('"kind":"server"');
  });
});
