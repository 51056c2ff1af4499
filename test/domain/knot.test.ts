// sendcheck domain against the real authoritative server of the lab (Knot on 127.0.0.30, scripts/lab/up.sh), which
// serves test/fixtures/zones/*.zone: dom.test (one subdomain per fault), the 0.0.127.in-addr.arpa reverse zone, the
// bl.test / dbl.test blocklists and reports.test. Every expectation is an answer from a real DNS server.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDomain, type DomainInput } from '../../src/domain/run.js';
import type { DomainFacts } from '../../src/domain/types.js';
import type { Report } from '../../src/report/types.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

let resolver: string;
beforeAll(() => {
  const lab = loadLabEnv();
  resolver = `${lab.dns.server}:${lab.dns.port}`;
});

function audit(domain: string, extra: Partial<DomainInput> = {}): Promise<Report> {
  return runDomain({ domain, resolvers: [resolver], timeoutMs: 2000, defaultBlocklists: false, blocklists: ['bl.test', 'domain:dbl.test'], ...extra });
}
const factsOf = (r: Report) => r.facts.extra.domain as DomainFacts;

describe('a well-configured domain', () => {
  it('good.dom.test sending from 127.0.0.42 as mx.good.dom.test: nothing to fix', async () => {
    const r = await audit('good.dom.test', { ips: ['127.0.0.42'], helo: 'mx.good.dom.test', selectors: ['sel1'], propagation: true });
    const codes = codesOf(r);
    const f = factsOf(r);
    expect(f.spf.evaluations).toEqual([expect.objectContaining({ ip: '127.0.0.42', result: 'pass' })]);
    expect(f.dkim.keys[0]).toMatchObject({ selector: 'sel1', found: true, keyType: 'rsa', bits: 2048, revoked: false, testing: false });
    expect(f.dmarc.parsed).toMatchObject({ p: 'reject', pct: 100, adkim: 'r', aspf: 'r' });
    expect(f.ptr[0]).toMatchObject({ names: ['mx.good.dom.test'], confirmed: ['mx.good.dom.test'], heloMatches: true });
    expect(f.blocklists.filter((b) => b.type === 'ip').map((b) => b.status)).toEqual(['not-listed']);
    expect(f.tlsRpt?.syntaxErrors).toEqual([]);
    expect(f.bimi?.syntaxErrors).toEqual([]);
    expect(f.propagation?.zone).toBe('dom.test');
    expect(f.propagation?.differences).toEqual([]);
    // MTA-STS is announced; without a policy host mapping the fetch goes to 127.0.0.43:443 where nothing listens
    expect(codes.filter((c) => c !== 'dns.mta-sts-policy-unreachable')).toEqual([]);
    expect(r.command).toBe('domain');
    expect(r.stats.dnsQueries).toBeGreaterThan(10);
  });
});
