// sendcheck domain against the real authoritative server of the lab (Knot on 127.0.0.30, scripts/lab/up.sh), which
// serves test/fixtures/zones/*.zone: dom.test (one subdomain per fault), the 0.0.127.in-addr.arpa reverse zone, the
// bl.test / dbl.test blocklists and reports.test. Every expectation is an answer from a real DNS server.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDomain } from '../../src/domain/run.js';
import type { DomainInput } from '../../src/input/domain-input.js';
import type { DomainFacts } from '../../src/facts/domain.js';
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
    expect(f.spf.evaluations).toEqual([expect.objectContaining({ ip: '127.0.0.42', result: 'pass', decidedBy: 'ip4:127.0.0.42' })]);
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

/** Audits one fixture domain and returns its finding codes (recorded for the coverage check). */
async function codes(domain: string, extra: Partial<DomainInput> = {}): Promise<{ r: Report; codes: string[] }> {
  const r = await audit(domain, { ips: ['127.0.0.42'], helo: 'mx.good.dom.test', propagation: false, ...extra });
  return { r, codes: codesOf(r) };
}

describe('SPF faults', () => {
  it('no SPF record', async () => {
    const { codes: c } = await codes('nospf.dom.test');
    expect(c).toContain('dns.spf-missing');
  });
  it('two SPF records: a permerror for every receiver', async () => {
    const { r, codes: c } = await codes('twospf.dom.test');
    expect(c).toContain('dns.spf-multiple');
    expect(factsOf(r).spf.evaluations[0]!.result).toBe('permerror');
    expect(r.verdict).toBe('at-risk');
  });
  it('more than 10 DNS lookups over the include tree', async () => {
    const { r, codes: c } = await codes('manylookups.dom.test');
    expect(c).toContain('dns.spf-too-many-lookups');
    expect(factsOf(r).spf.totalLookups).toBe(12);
    expect(factsOf(r).spf.evaluations[0]!.result).toBe('permerror');
  });
  it('three lookups that return nothing', async () => {
    const { r, codes: c } = await codes('voids.dom.test');
    expect(c).toContain('dns.spf-void-lookups');
    expect(factsOf(r).spf.voidLookups).toHaveLength(3);
  });
  it('+all authorises everyone', async () => {
    const { r, codes: c } = await codes('plusall.dom.test');
    expect(c).toContain('dns.spf-permissive-all');
    expect(r.findings.find((f) => f.code === 'dns.spf-permissive-all')!.title).toContain('+all');
  });
  it('include loop', async () => {
    const { r, codes: c } = await codes('loop.dom.test');
    expect(c).toContain('dns.spf-include-loop');
    expect(factsOf(r).spf.loops[0]).toBe('loop.dom.test → loop2.dom.test → loop.dom.test');
  });
  it('include of a domain without SPF', async () => {
    const { codes: c } = await codes('incmissing.dom.test');
    expect(c).toContain('dns.spf-include-missing');
  });
  it('syntax error (ip4:999.1.1.1)', async () => {
    const { r, codes: c } = await codes('spfsyntax.dom.test');
    expect(c).toContain('dns.spf-syntax');
    expect(factsOf(r).spf.evaluations[0]!.result).toBe('permerror');
  });
  it('SPF does not cover the sending IP and DMARC p=reject: SPF fail, then DMARC fail', async () => {
    const { r, codes: c } = await codes('reject.dom.test');
    expect(c).toEqual(expect.arrayContaining(['dns.spf-fail', 'dns.dmarc-fail', 'dns.dkim-none-found']));
    expect(r.rootCause?.code).toBe('dns.spf-fail');
    expect(r.rootCause?.confidence).toBe('certain');
    expect(r.rootCause?.evidence.map((e) => e.text)).toContain('decided by: -all');
  });
  it('the chain of terms that decided: through an include', async () => {
    const { r } = await codes('good.dom.test', { ips: ['192.0.2.77', '198.51.100.1'], selectors: ['sel1'] });
    const ev = factsOf(r).spf.evaluations;
    expect(ev[0]).toMatchObject({ result: 'pass', decidedBy: 'include:_spf.good.dom.test → ip4:192.0.2.0/24' });
    expect(ev[1]).toMatchObject({ result: 'fail', decidedBy: '-all' });
  });
});

describe('DKIM keys', () => {
  it('selector without a key, revoked key, 512-bit key, testing mode, unusable key', async () => {
    const { r, codes: c } = await codes('dkim.dom.test', { selectors: ['missing', 'revoked', 'weak', 'testing', 'broken', 'sel1'] });
    expect(c).toEqual(expect.arrayContaining(['dns.dkim-key-missing', 'dns.dkim-key-revoked', 'dns.dkim-key-weak', 'dns.dkim-testing', 'dns.dkim-key-syntax']));
    const keys = factsOf(r).dkim.keys;
    expect(keys.find((k) => k.selector === 'weak')!.bits).toBe(512);
    expect(keys.find((k) => k.selector === 'sel1')).toMatchObject({ found: true, bits: 2048, syntaxErrors: [] });
    expect(c).not.toContain('dns.dkim-none-found');
  });
  it('a message signed with another key than the published one fails; one signed with the right key passes', async () => {
    const { dkimSign } = await import('mailauth/lib/dkim/sign.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const message = 'From: alice@dkim.dom.test\r\nTo: bob@example.test\r\nSubject: test\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@dkim.dom.test>\r\n\r\nHello\r\n';
    const sign = async (privateKey: string) => {
      const s = (await dkimSign(message, { canonicalization: 'relaxed/relaxed', signatureData: [{ signingDomain: 'dkim.dom.test', selector: 'sel1', privateKey }] } as never)) as { signatures: string };
      return s.signatures + message;
    };
    const good = readFileSync(new URL('fixtures/sel1.key', import.meta.url), 'utf8');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ok = await codes('dkim.dom.test', { message: await sign(good) });
    expect(factsOf(ok.r).dkim.messageResults).toEqual([expect.objectContaining({ domain: 'dkim.dom.test', selector: 'sel1', result: 'pass' })]);
    expect(ok.codes).not.toContain('dns.dkim-fail');
    const bad = await codes('dkim.dom.test', { message: await sign(other) });
    expect(bad.codes).toContain('dns.dkim-fail');
    expect(factsOf(bad.r).dkim.keys[0]).toMatchObject({ selector: 'sel1', source: 'message', found: true });
  });
});

describe('DMARC', () => {
  it('no record at the domain or its organizational domain', async () => {
    const { r, codes: c } = await codes('nodmarc.dom.test');
    expect(c).toContain('dns.dmarc-missing');
    expect(factsOf(r).dmarc.orgDomain).toBe('dom.test');
  });
  it('bad values', async () => {
    const { r, codes: c } = await codes('dmarcbad.dom.test');
    expect(c).toContain('dns.dmarc-syntax');
    expect(factsOf(r).dmarc.syntaxErrors.join(' ')).toMatch(/p=bogus.*pct=150|pct=150.*p=bogus/s);
  });
  it('external rua without authorization; an authorised one passes', async () => {
    const bad = await codes('extrua.dom.test');
    expect(bad.codes).toContain('dns.dmarc-external-rua-unauthorized');
    expect(factsOf(bad.r).dmarc.externalDestinations).toEqual([expect.objectContaining({ domain: 'reports.test', authorized: false, checked: 'extrua.dom.test._report._dmarc.reports.test' })]);
    const ok = await codes('extok.dom.test');
    expect(ok.codes).not.toContain('dns.dmarc-external-rua-unauthorized');
    expect(factsOf(ok.r).dmarc.externalDestinations[0]!.authorized).toBe(true);
  });
});

describe('reverse DNS of the sending IP', () => {
  it('no PTR', async () => {
    const { codes: c } = await codes('good.dom.test', { ips: ['127.0.0.41'], selectors: ['sel1'] });
    expect(c).toContain('dns.ptr-missing');
  });
  it('PTR not forward-confirmed', async () => {
    const { r, codes: c } = await codes('good.dom.test', { ips: ['127.0.0.40'], selectors: ['sel1'] });
    expect(c).toContain('dns.ptr-not-confirmed');
    expect(factsOf(r).ptr[0]).toMatchObject({ reverseName: '40.0.0.127.in-addr.arpa', names: ['unconfirmed.dom.test'], confirmed: [] });
  });
  it('HELO name differs from the PTR name', async () => {
    const { codes: c } = await codes('good.dom.test', { helo: 'server1.hosting.test', selectors: ['sel1'] });
    expect(c).toContain('dns.ptr-helo-mismatch');
  });
});

describe('addresses', () => {
  it('a domain that does not exist', async () => {
    const { r, codes: c } = await codes('nx.dom.test');
    expect(c).toContain('dns.domain-not-found');
    expect(r.verdict).toBe('at-risk');
  });
  it('no MX', async () => {
    const { codes: c } = await codes('nomx.dom.test');
    expect(c).toContain('dns.mx-missing');
  });
  it('MX host is a CNAME to a name that does not exist', async () => {
    const { r, codes: c } = await codes('dangling.dom.test');
    expect(c).toContain('dns.dangling-cname');
    expect(factsOf(r).addresses.hosts.find((h) => h.role === 'mx')).toMatchObject({ name: 'mxalias.dangling.dom.test', cnames: ['gone.dom.test'], dangling: 'gone.dom.test' });
  });
});

describe('DANE TLSA of the MX hosts (queried on the wire: Node 20 has no TLSA lookup)', () => {
  it('valid 3 1 1 record in an unsigned zone: an info, the answer is not DNSSEC-validated', async () => {
    const { r, codes: c } = await codes('danemx.dom.test');
    expect(factsOf(r).dane).toEqual([expect.objectContaining({ name: '_25._tcp.mx.danemx.dom.test', authenticated: false, problems: [] })]);
    expect(factsOf(r).dane[0]!.records[0]).toMatchObject({ usage: 3, selector: 1, mtype: 1 });
    expect(factsOf(r).dane[0]!.records[0]!.data).toHaveLength(64);
    expect(c).toContain('dns.dane-unsigned');
    expect(c).not.toContain('dns.dane-tlsa-invalid');
  });
  it('wrong digest length and a PKIX usage: unusable records', async () => {
    const { r, codes: c } = await codes('danebad.dom.test');
    expect(c).toContain('dns.dane-tlsa-invalid');
    expect(factsOf(r).dane[0]!.problems.join(' ')).toMatch(/32-byte digest, got 2 bytes.*|usage 0/);
    expect(factsOf(r).dane[0]!.problems).toHaveLength(2);
  });
  it('no TLSA: nothing recorded', async () => {
    const { r } = await codes('good.dom.test', { selectors: ['sel1'] });
    expect(factsOf(r).dane).toEqual([]);
  });
});

describe('TLS-RPT and BIMI records', () => {
  it('malformed rua= and l=', async () => {
    const { codes: c } = await codes('stsbad.dom.test');
    expect(c).toEqual(expect.arrayContaining(['dns.tls-rpt-syntax', 'dns.bimi-syntax']));
  });
});

describe('reputation (DNS blocklists served by Knot)', () => {
  it('listed IP (127.0.0.2 on bl.test) with the list\'s TXT reason', async () => {
    const { r, codes: c } = await codes('good.dom.test', { ips: ['127.0.0.2'], selectors: ['sel1'] });
    expect(c).toContain('reputation.ip-listed');
    const f = r.findings.find((x) => x.code === 'reputation.ip-listed')!;
    expect(f.evidence.map((e) => e.text).join('\n')).toMatch(/listed for testing/);
  });
  it('127.255.255.254 means "query refused": an info, not a listing', async () => {
    const { r, codes: c } = await codes('good.dom.test', { ips: ['127.0.0.3'], selectors: ['sel1'] });
    expect(c).toContain('reputation.blocklist-refused');
    expect(c).not.toContain('reputation.ip-listed');
    expect(factsOf(r).blocklists.find((b) => b.zone === 'bl.test')!.status).toBe('refused');
  });
  it('listed domain (dbl.test)', async () => {
    const { codes: c } = await codes('listed.dom.test');
    expect(c).toContain('reputation.domain-listed');
  });
  it('the lists of data/dnsbl.json are asked through the given resolver only (Knot refuses them: no listing)', async () => {
    const r = await audit('good.dom.test', { ips: ['127.0.0.42'], helo: 'mx.good.dom.test', selectors: ['sel1'], defaultBlocklists: true, propagation: false });
    const f = factsOf(r);
    expect(f.blocklists.length).toBeGreaterThan(10);
    expect(f.blocklists.filter((b) => b.zone !== 'bl.test' && b.zone !== 'dbl.test').every((b) => b.status === 'error' && b.error === 'REFUSED')).toBe(true);
    expect(codesOf(r).filter((c) => c.startsWith('reputation.'))).toEqual([]);
  });
});

describe('which IPs are evaluated', () => {
  it('--ip as given; an SMTP host on a private address is not evaluated (receivers see the public one)', async () => {
    const given = await runDomain({ domain: 'good.dom.test', ips: ['10.1.2.3'], resolvers: [resolver], defaultBlocklists: false, propagation: false, selectors: ['sel1'] });
    expect(factsOf(given).ips).toEqual(['10.1.2.3']);
    const inferred = await runDomain({ domain: 'good.dom.test', host: '10.1.2.3', resolvers: [resolver], defaultBlocklists: false, propagation: false, selectors: ['sel1'] });
    expect(factsOf(inferred)).toMatchObject({ ips: [], ipSource: 'none', privateIpsSkipped: ['10.1.2.3'] });
    expect(factsOf(inferred).spf.evaluations).toEqual([]);
    codesOf(given);
    codesOf(inferred);
  });
});
