// SPF processing limits (RFC 7208 §4.6.4) reported as what they are: an include loop is a loop (not "2 lookups,
// limit 10"), a void-lookup finding names what was void, and an `mx` with more than 10 MX names is a permerror.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MailauthResolver } from '../../src/domain/dns.js';
import { runDomain } from '../../src/domain/run.js';
import { evaluateSpfWith } from '../../src/domain/spf.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { LIMITS } from '../../src/net/limits.js';
import { judgeDomainDns } from '../../src/rules/dns.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

let resolver: string;
beforeAll(() => {
  const lab = loadLabEnv();
  resolver = `${lab.dns.server}:${lab.dns.port}`;
});

/** A zone for mailauth: TXT, MX and A answers by name; anything else does not exist. */
function zone(records: Record<string, { TXT?: string; MX?: string[]; A?: string[] }>): MailauthResolver {
  const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));
  return async (name, type) => {
    const r = records[name.toLowerCase().replace(/\.$/, '')];
    if (!r) return fail('ENOTFOUND');
    if (type === 'TXT' && r.TXT) return [[r.TXT]];
    if (type === 'MX' && r.MX) return r.MX.map((exchange, i) => ({ exchange, priority: i }));
    if (type === 'A' && r.A) return r.A;
    return fail('ENODATA');
  };
}

describe('SPF limits', () => {
  it('an include loop (Knot: loop.dom.test) is the loop finding, not a lookup count under the limit', async () => {
    const r = await runDomain({ domain: 'loop.dom.test', resolvers: [resolver], timeoutMs: 2000, defaultBlocklists: false, ips: ['127.0.0.42'] });
    expect(codesOf(r)).toContain('dns.spf-include-loop');
    const texts = r.findings.flatMap((f) => f.evidence.map((e) => e.text)).join('\n');
    expect(texts).not.toMatch(/\b[0-9] DNS-querying terms .*\(limit 10\)/);
    expect(codesOf(r)).not.toContain('dns.spf-too-many-lookups');
  });

  it.each([11, 50])('v=spf1 mx with %i MX names is a permerror (RFC 7208 §4.6.4), not a pass', async (n) => {
    const names = Array.from({ length: n }, (_, i) => `mx${i}.many.test`);
    const records: Record<string, { TXT?: string; MX?: string[]; A?: string[] }> = { 'many.test': { TXT: 'v=spf1 mx -all', MX: names } };
    for (const m of names) records[m] = { A: ['192.0.2.9'] };
    const e = await evaluateSpfWith(zone(records), { domain: 'many.test', ip: '192.0.2.9' });
    expect(e.result).toBe('permerror');
    expect(e.comment).toMatch(new RegExp(`more than ${LIMITS.maxSpfMxNames} MX names`));
  });

  it('ten MX names are within the limit: pass', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `mx${i}.ten.test`);
    const records: Record<string, { TXT?: string; MX?: string[]; A?: string[] }> = { 'ten.test': { TXT: 'v=spf1 mx -all', MX: names } };
    for (const m of names) records[m] = { A: ['192.0.2.9'] };
    expect((await evaluateSpfWith(zone(records), { domain: 'ten.test', ip: '192.0.2.9' })).result).toBe('pass');
  });

  it('the void-lookups finding names what was void, also when only the evaluation met them (MX hosts without addresses)', async () => {
    const names = ['gone1.voidmx.test', 'gone2.voidmx.test', 'gone3.voidmx.test'];
    const records: Record<string, { TXT?: string; MX?: string[]; A?: string[] }> = { 'voidmx.test': { TXT: 'v=spf1 mx a:gone4.voidmx.test a:gone5.voidmx.test -all', MX: names } };
    const evaluation = await evaluateSpfWith(zone(records), { domain: 'voidmx.test', ip: '192.0.2.9' });
    expect(evaluation.comment).toMatch(/too many void/i);
    const base = (await runDomain({ domain: 'good.dom.test', resolvers: [resolver], timeoutMs: 2000, defaultBlocklists: false, ips: ['127.0.0.42'], propagation: false })).facts.extra.domain as DomainFacts;
    const d: DomainFacts = { ...base, spf: { ...base.spf, voidLookups: [], loops: [], evaluations: [evaluation] } };
    const f = judgeDomainDns(d).find((x) => x.code === 'dns.spf-void-lookups');
    expect(f).toBeDefined();
    expect(f!.evidence[0]!.text).not.toMatch(/lookups without data: +\(/);
    expect(f!.evidence[0]!.text).toMatch(/more than 2 lookups without data.*MX answers or macros/);
  });
});
