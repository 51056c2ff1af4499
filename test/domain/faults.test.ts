// DNS faults a real authoritative server does not produce on demand (SERVFAIL, silence, truncation), from a tiny
// UDP responder on loopback (test/domain/helpers/fault-dns.ts): the audit reports them, never throws, and stays
// within its timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomain } from '../../src/domain/run.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { codesOf } from '../helpers/findings.js';
import { QTYPE, startFaultDns, type FaultDns } from './helpers/fault-dns.js';

let dns: FaultDns;
beforeAll(async () => {
  dns = await startFaultDns((name, type) => {
    if (name === 'flaky.test' && type === QTYPE.TXT) return { rcode: 2 }; // SERVFAIL
    if (name === '_dmarc.flaky.test') return { drop: true }; // timeout
    if (name === 'flaky.test' && type === QTYPE.MX) return { truncate: true }; // TC=1 and no TCP listener
    if (name === 'flaky.test' && type === QTYPE.A) return { rcode: 0, answers: [{ type: 'A', data: '127.0.0.42' }] };
    return { rcode: 3 }; // NXDOMAIN
  });
});
afterAll(async () => { await dns.close(); });

describe('DNS faults', () => {
  it('SERVFAIL, timeout and truncation are lookup failures, not "no record"', async () => {
    const t0 = Date.now();
    const r = await runDomain({ domain: 'flaky.test', resolvers: [`${dns.address}:${dns.port}`], timeoutMs: 400, ips: ['127.0.0.42'], defaultBlocklists: false, propagation: false });
    const codes = codesOf(r);
    const d = r.facts.extra.domain as DomainFacts;
    expect(codes).toContain('dns.lookup-failed');
    expect(d.failedLookups.map((l) => `${l.type} ${l.name} ${l.error}`)).toEqual(expect.arrayContaining(['TXT flaky.test SERVFAIL', 'TXT _dmarc.flaky.test TIMEOUT']));
    expect(d.failedLookups.find((l) => l.type === 'MX')).toBeDefined();
    // no false "missing" findings for records we could not read
    expect(codes).not.toContain('dns.spf-missing');
    expect(codes).not.toContain('dns.dmarc-missing');
    expect(codes).not.toContain('dns.mx-missing');
    expect(d.spf.evaluations[0]!.result).toBe('temperror');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
