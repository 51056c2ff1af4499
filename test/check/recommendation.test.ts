// Fixes that agree with the run (issue 11 item 11): every demo scenario and a set of runs against the lab's Postfix;
// the recommended settings must be a configuration this run saw working without a blocker, and no fix step may
// point at a port or mode the run saw fail (or did not see at all while claiming it did).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import type { CheckInput } from '../../src/input/parse.js';
import { DEMO_SCENARIOS, demoInput, startDemoProvider } from '../../src/lab/demo-scenarios.js';
import { serverTarget, type Report } from '../../src/report/types.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

/** The checks every report must pass; returns what was checked, for the test's own assertions. */
function expectFixesAgreeWithRun(r: Report): void {
  codesOf(r);
  const t = serverTarget(r)!;
  const usable = r.works.filter((w) => w.certificateOk && (!(t.passwordGiven || t.oauthTokenGiven) || w.authMechanisms.length > 0));
  const rec = r.recommended;
  if (rec) {
    expect(usable.map((w) => `${w.port}/${w.security}`), 'the recommendation is seen working, certificate valid, AUTH offered').toContain(`${rec.port}/${rec.security}`);
    // A blocker of the configuration itself (its port, its greeting, its TLS) rules that configuration out.
    if (r.rootCause && ['connect', 'greeting', 'tls'].includes(r.rootCause.hop)) {
      expect(`${rec.port}/${rec.security}`, `${r.rootCause.code}: recommends the setting that just failed`).not.toBe(`${t.port}/${t.security}`);
    }
  }
  const usablePorts = new Set(usable.map((w) => w.port));
  for (const f of r.findings) {
    for (const step of f.fix) {
      expect(step, `${f.code}: a guess where the run knows`).not.toMatch(/if the server offers it/);
      const seen = /change the port to (\d+)|port \d+ → (\d+)|\(seen working[^)]*\)/i.exec(step);
      if (seen) for (const n of step.matchAll(/(?:port|→) (\d+)/g)) if (Number(n[1]) !== t.port) expect(usablePorts, `${f.code}: "${step}"`).toContain(Number(n[1]));
      if (/change the port to (\d+)/i.test(step)) expect(usablePorts).toContain(Number(/change the port to (\d+)/i.exec(step)![1]));
    }
    if (f.code === 'config.differs-from-discovered' && rec) expect(f.fix[0], 'one report, one recommendation').toContain(`port ${rec.port}`);
  }
}

describe('every demo scenario', () => {
  for (const s of DEMO_SCENARIOS) {
    it(`${s.id}: the recommendation and every fix agree with what the run saw`, async () => {
      const p = await startDemoProvider(s);
      try {
        const r = await runCheck(demoInput(s, p));
        expectFixesAgreeWithRun(r);
        if (s.id === 'expired-certificate') expect(r.recommended, 'no port has a valid certificate: nothing to recommend').toBeUndefined();
        if (s.id === 'starttls-on-implicit-port') {
          const f = r.rootCause!;
          expect(f.fix[0]).toBe(`Change the encryption setting from STARTTLS to SSL/TLS (implicit TLS) and keep port ${p.implicit.port} (seen working in this run).`);
          expect(f.fix[1]).toBe(`Or keep STARTTLS and change the port to ${p.starttls.port} (seen working in this run).`);
          expect(f.fix.join(' ')).not.toMatch(/\b587\b/);
        }
        if (s.id === 'ssl-on-starttls-port') expect(r.rootCause!.fix[1]).toBe(`Or keep SSL/TLS (implicit TLS) and change the port to ${p.implicit.port} (seen working in this run).`);
      } finally {
        await p.close();
      }
    });
  }
});

describe('runs against the lab\'s Postfix', () => {
  const lab = loadLabEnv();
  const alice = lab.users[0]!;
  const base: CheckInput = { host: lab.smtpName, resolvers: [`${lab.dns.server}:${lab.dns.port}`], ca: [readFileSync(lab.caFile, 'utf8')], timeoutMs: 3000, options: { network: { noReference: true }, domain: false } };
  const cases: [string, CheckInput][] = [
    ['healthy 587 STARTTLS with login', { ...base, port: 587, security: 'starttls', user: alice.user, password: alice.password }],
    ['SSL/TLS on 587', { ...base, port: 587, security: 'implicit-tls', user: alice.user, password: alice.password }],
    ['STARTTLS on 465', { ...base, port: 465, security: 'starttls', user: alice.user, password: alice.password }],
    ['no encryption on 587', { ...base, port: 587, security: 'none' }],
    ['port 25 with a login (an MX port: no AUTH)', { ...base, port: 25, security: 'starttls', user: alice.user, password: alice.password }],
    ['settings that differ from discovery', { ...base, target: 'alice@lab.disc.test', host: lab.smtpName, port: 587, security: 'implicit-tls', options: { network: { noReference: true }, domain: false, discovery: { compare: true, autoconfig: false, email: 'alice@lab.disc.test' } } }],
  ];
  for (const [name, input] of cases) {
    it(`${name}: the recommendation and every fix agree with what the run saw`, async () => {
      const r = await runCheck(input);
      expectFixesAgreeWithRun(r);
      if (name === 'STARTTLS on 465') expect(r.rootCause!.fix[1]).toMatch(/^Or keep STARTTLS and change the port to (587|2525) \(seen working in this run\)\.$/);
    });
  }
});
