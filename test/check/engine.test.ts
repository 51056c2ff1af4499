// Engine guarantees: a bug in one probe or rule becomes a finding, not a crash; the library API returns the
// same report the CLI prints; bad input rejects with a UserError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, isUserError, UserError } from '../../src/index.js';
import { runRules } from '../../src/rules/judge.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { defineProbe } from '../../src/probes/probe.js';
import { EXTENSION_PROBES } from '../../src/probes/registry.js';
import { defineRule } from '../../src/rules/types.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';

let s: RunningServer;
beforeAll(async () => { s = await startScriptedSmtp({ mode: 'starttls' }); });
afterAll(async () => { await s.close(); });

describe('engine', () => {
  it('a probe that throws becomes an internal.probe-error finding; the rest of the report stands', async () => {
    const broken = defineProbe({ name: 'broken-for-test', needs: [], applies: () => true, run: async () => { throw new Error('boom'); } });
    EXTENSION_PROBES.push(broken);
    try {
      const r = await check({ host: '127.0.0.1', port: s.port, sweepPorts: [s.port], ca: [demoCaPem()], timeoutMs: 2000 });
      expect(codesOf(r)).toContain('internal.probe-error');
      expect(r.findings.find((f) => f.code === 'internal.probe-error')?.evidence[0]?.text).toMatch(/broken-for-test failed: boom/);
      expect(r.hops.find((h) => h.hop === 'tls')?.status).toBe('ok');
    } finally {
      EXTENSION_PROBES.splice(EXTENSION_PROBES.indexOf(broken), 1);
    }
  });

  it('a rule that throws does not hide the other rules', () => {
    const out = runRules([defineRule({ name: 'bad', run: () => { throw new Error('bug'); } }), defineRule({ name: 'good', run: () => [] })], { connects: [], speaks: [], extra: {} }, {} as never);
    expect(out.map((f) => f.code)).toEqual(['internal.probe-error']);
  });

  it('check() returns the report the CLI prints as JSON', async () => {
    const args = ['--host', '127.0.0.1', '--port', String(s.port), '--ports', String(s.port), '--timeout', '2'];
    const lib = await check({ host: '127.0.0.1', port: s.port, sweepPorts: [s.port], timeoutMs: 2000 });
    const cli = JSON.parse((await runCli(['check', ...args, '--json'])).stdout) as Report;
    const shape = (r: Report) => ({ verdict: r.verdict, root: r.rootCause?.code, codes: r.findings.map((f) => f.code), hops: r.hops.map((h) => [h.hop, h.status]), works: r.works.map((w) => [w.port, w.security]) });
    expect(shape(cli)).toEqual(shape(lib));
    expect(lib.rootCause?.code).toBe('tls.certificate-untrusted');
  });

  it('bad input rejects with a UserError, not a crash', async () => {
    const err = await check({ host: 'bad host' }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as UserError).exitCode).toBe(2);
  });
});

describe('extension options from library callers', () => {
  it('bad network options reject with a UserError before anything runs', async () => {
    const err = await check({ host: '127.0.0.1', options: { network: { references: ['bad host!'] } } }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
  });
});

describe('addresses probed', () => {
  it('the first two of each family, in DNS order', async () => {
    const { probedAddresses } = await import('../../src/engine.js');
    const a = (address: string, family: 4 | 6) => ({ address, family });
    const all = [a('192.0.2.1', 4), a('2001:db8::1', 6), a('192.0.2.2', 4), a('192.0.2.3', 4), a('2001:db8::2', 6), a('2001:db8::3', 6)];
    expect(probedAddresses(all).map((x) => x.address)).toEqual(['192.0.2.1', '2001:db8::1', '192.0.2.2', '2001:db8::2']);
  });
});
