// The domain audit and its rules on small in-memory zones (test/helpers/zone-resolver.ts): no DNS server, no root.
// Knot (test/domain/knot.test.ts) stays the integration test of the same paths over the wire.
import { describe, expect, it } from 'vitest';
import { auditDomain } from '../../src/domain/audit.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import type { HttpsFetchOptions } from '../../src/net/io.js';
import { judgeDomainReport } from '../../src/rules/judge.js';
import { fixedClock } from '../helpers/fake-io.js';
import { ZoneResolver, type Zone } from '../helpers/zone-resolver.js';

const IP = '192.0.2.10';
const PTR = '10.2.0.192.in-addr.arpa';

/** A domain that does everything right for IP (a documentation address, so nothing here is real). */
function healthyZone(): Zone {
  return {
    'shop.test': { A: [IP], MX: [{ exchange: 'mx.shop.test', priority: 10 }], TXT: [[`v=spf1 ip4:${IP} -all`]] },
    'mx.shop.test': { A: [IP] },
    '_dmarc.shop.test': { TXT: [['v=DMARC1; p=reject']] },
    [PTR]: { PTR: ['mx.shop.test'] },
  };
}

/** The audit's I/O seam without a network: HTTPS answers from `policies` (host → body), the clock is fixed. */
function offlineIo(policies: Record<string, string> = {}) {
  const fetched: HttpsFetchOptions[] = [];
  const https = async (o: HttpsFetchOptions) => {
    fetched.push(o);
    const body = policies[o.servername];
    return body === undefined ? { status: 404, body: '' } : { status: 200, body };
  };
  return { https, clock: fixedClock(Date.UTC(2026, 11, 1), 5000), fetched };
}

async function audit(zone: Zone, io = offlineIo()): Promise<{ facts: DomainFacts; codes: string[]; dns: ZoneResolver }> {
  const dns = new ZoneResolver(zone);
  const facts = await auditDomain(dns, { domain: 'shop.test', ips: [IP], helo: 'mx.shop.test', defaultBlocklists: false, propagation: false, discoverSelectors: false, timeoutMs: 1000 }, io);
  const codes = judgeDomainReport({ connects: [], speaks: [], extra: { domain: facts } }).map((f) => f.code);
  return { facts, codes, dns };
}

describe('domain audit on zone fixtures', () => {
  it('takes its clock and its HTTPS fetch from the seam it is handed (a fixed clock, a policy served from memory)', async () => {
    const zone = healthyZone();
    zone['_mta-sts.shop.test'] = { TXT: [['v=STSv1; id=20261201']] };
    zone['mta-sts.shop.test'] = { A: ['192.0.2.80'] };
    const io = offlineIo({ 'mta-sts.shop.test': 'version: STSv1\nmode: enforce\nmx: mx.shop.test\nmax_age: 86400\n' });
    const { facts } = await audit(zone, io);
    // A frozen monotonic clock: the audit took no time by it.
    expect(facts.ms).toBe(0);
    expect(io.fetched.map((o) => `${o.address}:${o.port} ${o.servername}${o.path}`)).toEqual(['192.0.2.80:443 mta-sts.shop.test/.well-known/mta-sts.txt']);
    expect(facts.mtaSts?.policy).toMatchObject({ mode: 'enforce', mx: ['mx.shop.test'], errors: [] });
    expect(facts.mtaSts?.mxNotCovered).toEqual([]);
  });

  it('a healthy domain: SPF passes for the IP, DMARC found, PTR confirmed; no warning or blocker', async () => {
    const { facts, codes, dns } = await audit(healthyZone());
    expect(facts.spf.evaluations.map((e) => e.result)).toEqual(['pass']);
    expect(facts.dmarc.parsed?.p).toBe('reject');
    expect(facts.ptr[0]?.confirmed).toEqual(['mx.shop.test']);
    expect(codes.filter((c) => c !== 'dns.dkim-none-found')).toEqual([]);
    expect(dns.asked).toContain(`PTR ${PTR}`);
  });

  it('an IP that SPF does not authorize with -all is dns.spf-fail', async () => {
    const zone = healthyZone();
    zone['shop.test'] = { ...(zone['shop.test'] as object), TXT: [['v=spf1 ip4:198.51.100.1 -all']] };
    const { codes } = await audit(zone);
    expect(codes).toContain('dns.spf-fail');
  });

  it('no DMARC record is dns.dmarc-missing; two SPF records are dns.spf-multiple', async () => {
    const zone = healthyZone();
    delete zone['_dmarc.shop.test'];
    zone['shop.test'] = { ...(zone['shop.test'] as object), TXT: [[`v=spf1 ip4:${IP} -all`], ['v=spf1 -all']] };
    const { codes } = await audit(zone);
    expect(codes).toEqual(expect.arrayContaining(['dns.dmarc-missing', 'dns.spf-multiple']));
  });

  it('a PTR name that does not resolve back to the IP is dns.ptr-not-confirmed', async () => {
    const zone = healthyZone();
    zone[PTR] = { PTR: ['elsewhere.test'] };
    const { facts, codes } = await audit(zone);
    expect(facts.ptr[0]?.confirmed).toEqual([]);
    expect(codes).toContain('dns.ptr-not-confirmed');
  });

  it('a resolver that fails the domain\'s own lookups says so (dns.lookup-failed), not "missing"', async () => {
    const zone = healthyZone();
    zone['TXT shop.test'] = 'SERVFAIL';
    zone['TXT _dmarc.shop.test'] = 'TIMEOUT';
    const { facts, codes } = await audit(zone);
    expect(facts.failedLookups.map((l) => `${l.type} ${l.name} ${l.error}`)).toEqual(['TXT shop.test SERVFAIL', 'TXT _dmarc.shop.test TIMEOUT']);
    expect(codes).toContain('dns.lookup-failed');
    expect(codes).not.toContain('dns.spf-missing');
    expect(codes).not.toContain('dns.dmarc-missing');
  });
});
