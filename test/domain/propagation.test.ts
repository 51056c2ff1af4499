// Propagation: prop.test's NS record names ns.prop.test = 127.0.0.31, a second Knot started here with the zone's
// current version (test/domain/fixtures/prop.test.authoritative.zone: MX moved to mx-new, smtp.prop.test moved to
// 127.0.0.51). The lab's Knot on 127.0.0.30 plays the user's recursive resolver that still has the old answers.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomain } from '../../src/domain/run.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { startKnot, type KnotInstance } from './helpers/knot.js';

let auth: KnotInstance;
let resolver: string;
beforeAll(async () => {
  resolver = `${loadLabEnv().dns.server}:${loadLabEnv().dns.port}`;
  auth = await startKnot({ address: '127.0.0.31', zones: [{ name: 'prop.test', file: fileURLToPath(new URL('fixtures/prop.test.authoritative.zone', import.meta.url)) }] });
});
afterAll(async () => { await auth?.stop(); });

describe('authoritative vs recursive', () => {
  it('MX moved but the SMTP host\'s A record is still the old one at the resolver: both answers shown', async () => {
    const r = await runDomain({ domain: 'prop.test', host: 'smtp.prop.test', resolvers: [resolver], timeoutMs: 2000, defaultBlocklists: false });
    const d = r.facts.extra.domain as DomainFacts;
    expect(d.propagation?.zone).toBe('prop.test');
    expect(d.propagation?.nameservers).toEqual([{ name: 'ns.prop.test', addresses: ['127.0.0.31'] }]);
    const diffs = d.propagation!.differences.map((x) => `${x.type} ${x.name}: ${x.authoritative.join(',')} vs ${x.recursive.join(',')}`).sort();
    expect(diffs).toEqual([
      'A smtp.prop.test: 127.0.0.51 vs 127.0.0.50',
      'MX prop.test: 10 mx-new.prop.test vs 10 mx-old.prop.test',
    ]);
    expect(codesOf(r).filter((c) => c === 'dns.propagation-mismatch')).toHaveLength(2);
    const f = r.findings.find((x) => x.code === 'dns.propagation-mismatch' && x.title.includes('smtp.prop.test'))!;
    expect(f.evidence.map((e) => e.where)).toEqual(['authoritative 127.0.0.31', `resolver ${resolver}`]);
    // the SMTP host's addresses (from the resolver) are the IPs evaluated
    expect(d.ips).toEqual(['127.0.0.50']);
    expect(d.ipSource).toBe('smtp-host');
  });
  it('no difference when the authoritative server is the resolver itself (dom.test)', async () => {
    const r = await runDomain({ domain: 'good.dom.test', resolvers: [resolver], timeoutMs: 2000, defaultBlocklists: false, selectors: ['sel1'] });
    expect((r.facts.extra.domain as DomainFacts).propagation?.differences).toEqual([]);
  });
  it('a name server that does not answer is listed as unreachable, not as a difference', async () => {
    await auth.stop();
    const t0 = Date.now();
    const r = await runDomain({ domain: 'prop.test', host: 'smtp.prop.test', resolvers: [resolver], timeoutMs: 1000, defaultBlocklists: false });
    const d = r.facts.extra.domain as DomainFacts;
    expect(d.propagation).toMatchObject({ zone: 'prop.test', unreachable: ['127.0.0.31'], differences: [] });
    expect(codesOf(r)).not.toContain('dns.propagation-mismatch');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
