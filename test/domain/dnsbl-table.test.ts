// Blocklist answers read through the list set in data/dnsbl.json: listing codes, bitmasks, the "refused / over
// quota" codes (never a listing) and unknown codes. End to end against local stand-ins of two list zones served by
// a throwaway Knot on 127.0.0.33 (nothing leaves loopback), and table-level checks of every entry.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBlocklists, interpretAnswer, type DnsblEntry } from '../../src/domain/dnsbl.js';
import { runDomain } from '../../src/domain/run.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { codesOf } from '../helpers/findings.js';
import { startKnot, type KnotInstance } from './helpers/knot.js';

const fixture = (f: string) => fileURLToPath(new URL(`fixtures/${f}`, import.meta.url));
let knot: KnotInstance;
beforeAll(async () => {
  knot = await startKnot({ address: '127.0.0.33', zones: [{ name: 'multi.surbl.org', file: fixture('multi.surbl.org.zone') }, { name: 'zen.spamhaus.org', file: fixture('zen.spamhaus.org.zone') }] });
});
afterAll(async () => { await knot?.stop(); });

const lists = defaultBlocklists();
const zen = lists.find((l) => l.id === 'spamhaus-zen')!;
const surbl = lists.find((l) => l.id === 'surbl-multi')!;

describe('the list set (data/dnsbl.json)', () => {
  it('keeps only lists that can be queried: no key needed, not decommissioned', () => {
    expect(lists.length).toBeGreaterThan(10);
    expect(lists.every((l) => l.zone && !l.requiresKey && !l.decommissioned)).toBe(true);
    expect(lists.map((l) => l.id)).not.toContain('sorbs');
  });
  it('reads codes, bitmasks, refused codes and unknown codes', () => {
    expect(interpretAnswer(zen, ['127.0.0.10'])).toMatchObject({ status: 'listed', meaning: expect.stringMatching(/PBL/) });
    expect(interpretAnswer(zen, ['127.255.255.254'])).toMatchObject({ status: 'refused', meaning: expect.stringMatching(/public\/open resolver/) });
    expect(interpretAnswer(zen, ['127.255.255.255']).status).toBe('refused');
    expect(interpretAnswer(zen, ['127.0.0.99']).status).toBe('unknown-code');
    expect(interpretAnswer(surbl, ['127.0.0.72']).meaning).toMatch(/PH.*ABUSE/);
    const custom: DnsblEntry = { id: 'custom:x', name: 'x', zone: 'x', type: 'ip' };
    expect(interpretAnswer(custom, ['127.0.0.5']).status).toBe('listed');
    expect(interpretAnswer(custom, ['127.255.255.252']).status).toBe('refused');
  });
});

describe('end to end through the resolver', () => {
  async function run(ips: string[], domain = 'listed.dom.test') {
    const r = await runDomain({ domain, ips, resolvers: ['127.0.0.33'], timeoutMs: 1000, propagation: false });
    return { r, d: r.facts.extra.domain as DomainFacts, codes: codesOf(r) };
  }
  it('SBL + XBL listing with meanings, notes and removal link', async () => {
    const { r, d } = await run(['127.0.0.2']);
    const z = d.blocklists.find((b) => b.list === 'spamhaus-zen')!;
    expect(z).toMatchObject({ status: 'listed', answers: ['127.0.0.2', '127.0.0.4'], query: '2.0.0.127.zen.spamhaus.org' });
    expect(z.meaning).toMatch(/SBL.*XBL/);
    const f = r.findings.find((x) => x.code === 'reputation.ip-listed')!;
    expect(f.fix[0]).toMatch(/check\.spamhaus\.org/);
    expect(f.evidence.map((e) => e.text).join('\n')).toMatch(/PBL listing means/);
  });
  it('refused code: info only; unknown code: nothing', async () => {
    const refused = await run(['127.0.0.254']);
    expect(refused.codes).toContain('reputation.blocklist-refused');
    expect(refused.codes).not.toContain('reputation.ip-listed');
    const unknown = await run(['127.0.0.99']);
    expect(unknown.d.blocklists.find((b) => b.list === 'spamhaus-zen')!.status).toBe('unknown-code');
    expect(unknown.codes.filter((c) => c.startsWith('reputation.'))).toEqual(['reputation.domain-listed']);
  });
  it('domain list with a bitmask answer', async () => {
    const { d, codes } = await run(['127.0.0.42']);
    expect(d.blocklists.find((b) => b.list === 'surbl-multi')).toMatchObject({ status: 'listed', query: 'listed.dom.test.multi.surbl.org' });
    expect(codes).toContain('reputation.domain-listed');
  });
});
