// --replay: a saved report judged again offline gives the same diagnosis; junk files are refused cleanly.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('replay');

describe('check --replay', () => {
  it('re-diagnoses saved evidence without a network', async () => {
    for (const scenario of ['wrong-password', 'starttls-on-implicit-port', 'healthy']) {
      const live = await runCli(['demo', scenario, '--json']);
      const saved = join(dir, `${scenario}.json`);
      writeFileSync(saved, live.stdout);
      const original = JSON.parse(live.stdout) as Report;
      const replay = await runCli(['check', '--replay', saved, '--json']);
      const again = JSON.parse(replay.stdout) as Report;
      recordCodes(again.findings);
      expect(again.rootCause?.code).toBe(original.rootCause?.code);
      expect(again.findings.map((f) => f.code)).toEqual(original.findings.map((f) => f.code));
      expect(replay.code).toBe(original.verdict === 'blocked' ? 1 : 0);
    }
  });
  it('valid JSON with wrong field types: exit 2 naming the first violation, never an internal error', async () => {
    const demo = await runCli(['demo', 'wrong-password', '--json']);
    const good = JSON.parse(demo.stdout) as Record<string, any>;
    const shapes: [string, (r: Record<string, any>) => void, RegExp][] = [
      ['connects not a list', (r) => { r.facts.connects = 'x'; }, /\/facts\/connects must be array/],
      ['session steps an object', (r) => { r.facts.session.steps = {}; }, /\/facts\/session\/steps must be array/],
      ['evidence null', (r) => { r.findings[0].evidence = null; }, /\/findings\/0\/evidence must be array/],
      ['port a string', (r) => { r.target.port = '587'; }, /\/target/],
      ['addresses numbers', (r) => { r.facts.resolve.addresses = [1, 2]; }, /\/facts\/resolve\/addresses\/0 must be object/],
      ['startedAt not a time', (r) => { r.startedAt = 'yesterday'; }, /\/startedAt must match pattern/],
      ['transcript lines a number', (r) => { r.transcripts[0].lines = 5; }, /\/transcripts\/0\/lines must be array/],
      ['unknown severity', (r) => { r.findings[0].severity = 'fatal'; }, /\/findings\/0\/severity must be one of "blocker", "warning", "info"/],
      ['a check report about a domain', (r) => { r.target = { kind: 'domain', domain: 'example.com', ips: [], selectors: [], resolvers: [], timeoutMs: 5000 }; }, /\/target\/kind is "domain" in a check report/],
      ['an explain report without what was read', (r) => { r.command = 'explain'; r.target = { kind: 'explain', source: 'text', chars: 3 }; }, /an explain report without facts\.extra\.explain/],
      ['an explain report of 1.6', (r) => { r.command = 'explain'; r.target = { kind: 'explain', source: 'text', chars: 3 }; r.schemaVersion = '1.6'; }, /an explain report of schema 1\.6: --replay judges explain reports of 1\.7 and later/],
    ];
    for (const [name, mutate, re] of shapes) {
      const doc = structuredClone(good);
      mutate(doc);
      const file = join(dir, `shape-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const r = await runCli(['check', '--replay', file]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(re);
      expect(r.stderr, name).not.toMatch(/internal error/);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    }
  });

  it('a 1.5 report (no $schema, no target.kind) is still read', async () => {
    const demo = await runCli(['demo', 'healthy', '--json']);
    const old = JSON.parse(demo.stdout) as Record<string, any>;
    delete old.$schema;
    delete old.target.kind;
    old.schemaVersion = '1.5';
    const file = join(dir, 'old.json');
    writeFileSync(file, JSON.stringify(old));
    const r = await runCli(['check', '--replay', file, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: expect.stringMatching(/^1\./), target: { kind: 'server' } });
  });

  it('--html with --replay writes the page; a directory or a missing directory is exit 2 before anything runs', async () => {
    const demo = await runCli(['demo', 'wrong-password', '--json']);
    const saved = join(dir, 'for-html.json');
    writeFileSync(saved, demo.stdout);
    const page = join(dir, 'page.html');
    const ok = await runCli(['check', '--replay', saved, '--html', page]);
    expect(ok.code).toBe(1);
    expect(readFileSync(page, 'utf8')).toMatch(/<h1>sendcheck: sending is blocked<\/h1>[\s\S]*auth\.credentials-rejected/);
    for (const [html, re] of [[dir, /is a directory/], [join(dir, 'no-such-dir', 'r.html'), /does not exist/]] as const) {
      for (const args of [['check', '--replay', saved], ['check', '--host', '127.0.0.1', '--port', '9'], ['domain', 'example.com']]) {
        const r = await runCli([...args, '--html', html]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(re);
        expect(r.stdout, args.join(' ')).toBe('');
      }
    }
  });

  it('refuses files that are not reports', async () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const bin = join(dir, 'bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 255, 254]));
    for (const [file, re] of [[junk, /not a sendcheck check, domain or explain report/], [bin, /not JSON/], [join(dir, 'missing'), /cannot read the file/], [dir, /a directory, not a file/], ['/dev/zero', /larger than 50 MB/]] as const) {
      const r = await runCli(['check', '--replay', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });
});
