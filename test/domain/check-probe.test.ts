// The domain audit inside `sendcheck check` (src/probes/domain.ts): it runs when the sender's domain is known,
// evaluates the SMTP server's addresses, and its findings (hops domain/reputation) never outrank a path failure.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { domainProbe } from '../../src/probes/domain.js';
import { runDomain } from '../../src/domain/run.js';
import { judgeDomainDns } from '../../src/rules/dns.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { readFileSync } from 'node:fs';

const lab = loadLabEnv();
const resolver = `${lab.dns.server}:${lab.dns.port}`;
const ca = readFileSync(lab.caFile, 'utf8');
const base = { host: lab.smtpName, resolvers: [resolver], ca: [ca], timeoutMs: 3000, sweepPorts: [587] };

describe('domain probe in check', () => {
  it('applies only when the sender domain is known, never for demo runs, and .test names only with a given resolver', () => {
    const t = (x: Parameters<typeof buildTarget>[0]) => buildTarget(x) as Target;
    expect(domainProbe.applies(t({ host: 'smtp.example.com' }))).toBe(false);
    expect(domainProbe.applies(t({ host: 'smtp.example.com', from: 'a@example.com' }))).toBe(true);
    expect(domainProbe.applies(t({ target: 'a@example.com' }))).toBe(true);
    expect(domainProbe.applies(t({ host: '127.0.0.1', from: 'demo@demo.test' }))).toBe(false);
    expect(domainProbe.applies(t({ host: '127.0.0.1', from: 'demo@demo.test', resolvers: ['127.0.0.30'] }))).toBe(true);
    expect(domainProbe.applies(t({ host: '127.0.0.1', from: 'a@example.com', origin: 'demo' }))).toBe(false);
    expect(domainProbe.applies(t({ host: 'smtp.example.com', from: 'a@example.com', options: { domain: false } }))).toBe(false);
  });

  it('healthy lab sender (alice@example.test via Postfix): the audit runs and adds nothing to fix', async () => {
    const r = await runCheck({ ...base, port: 587, security: 'starttls', from: 'alice@example.test' });
    const d = r.facts.extra.domain as DomainFacts;
    expect(d.domain).toBe('example.test');
    expect(d.ips).toEqual([lab.smtpHost]);
    expect(d.ipSource).toBe('submission-host');
    expect(d.heloSource).toBe('greeting');
    expect(d.spf.evaluations[0]!.result).toBe('pass');
    expect(d.ptr[0]).toMatchObject({ names: ['mail.example.test'], confirmed: ['mail.example.test'], helo: 'mail.example.test', heloMatches: true });
    expect(codesOf(r).filter((c) => c.startsWith('dns.') || c.startsWith('reputation.')).filter((c) => r.findings.find((f) => f.code === c)!.severity !== 'info')).toEqual([]);
    expect(r.verdict).not.toBe('blocked');
  });

  it('a sender whose SPF excludes the submission server: a "possible" warning on the domain hop, not a blocker', async () => {
    // Providers relay through other addresses than the submission host (smtp.office365.com is outside Microsoft 365's
    // SPF ranges), so check cannot be sure; sendcheck domain --ip with the real outbound address can.
    const r = await runCheck({ ...base, port: 587, security: 'starttls', from: 'bob@reject.dom.test' });
    expect(rootCodeOf(r)).toBeUndefined();
    const spf = r.findings.find((f) => f.code === 'dns.spf-fail')!;
    expect(spf).toMatchObject({ severity: 'warning', confidence: 'possible', hop: 'domain' });
    expect(spf.evidence.map((e) => e.text).join('\n')).toMatch(/sendcheck domain --ip/);
    expect(r.findings.find((f) => f.code === 'dns.dmarc-fail')).toMatchObject({ severity: 'warning', confidence: 'possible' });
    expect(r.hops.find((h) => h.hop === 'domain')?.status).toBe('warning');
    expect(r.verdict).toBe('warnings');
  });

  it('the EHLO greeting of the submission server is shown, not judged against the PTR (rule on facts)', async () => {
    const r = await runDomain({ domain: 'good.dom.test', ips: ['127.0.0.42'], helo: 'smtp.provider.test', resolvers: [resolver], defaultBlocklists: false, propagation: false, selectors: ['sel1'] });
    const d = r.facts.extra.domain as DomainFacts;
    expect(d.heloSource).toBe('given');
    expect(judgeDomainDns(d).map((f) => f.code)).toContain('dns.ptr-helo-mismatch');
    const fromGreeting: DomainFacts = { ...d, heloSource: 'greeting' };
    expect(judgeDomainDns(fromGreeting).map((f) => f.code)).not.toContain('dns.ptr-helo-mismatch');
    codesOf(r);
  });

  it('a path failure stays the root cause; the domain findings come after it', async () => {
    const r = await runCheck({ ...base, host: 'nothing.example.test', port: 587, security: 'starttls', from: 'bob@reject.dom.test', timeoutMs: 1000 });
    const codes = codesOf(r);
    expect(r.rootCause!.hop).not.toBe('domain');
    expect(['resolve', 'connect', 'greeting', 'tls']).toContain(r.rootCause!.hop);
    expect(codes).toContain('dns.spf-fail');
    expect(codes.indexOf('dns.spf-fail')).toBeGreaterThan(0);
  });
});
