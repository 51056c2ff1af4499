// Whose DNS failed (issue 11 item 9): this machine's resolver or the domain's servers. A scripted resolver on
// loopback (test/helpers/dns-responder.ts) forwards to a throwaway Knot (127.0.0.57:53, zones in
// test/fixtures/zones-blame/) or answers SERVFAIL / REFUSED / nothing; the domain's authoritative servers are asked
// directly: 127.0.0.57 answers, 127.0.0.58 (dead.blame.test's listed server) does not exist.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomain } from '../../src/domain/run.js';
import { runCheck } from '../../src/engine.js';
import type { Report } from '../../src/report/types.js';
import { startKnot, type KnotInstance } from '../domain/helpers/knot.js';
import { startDnsResponder, type DnsPolicy, type DnsResponder } from '../helpers/dns-responder.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';

const zone = (f: string) => fileURLToPath(new URL(`../fixtures/zones-blame/${f}`, import.meta.url));
let knot: KnotInstance;
const responders: DnsResponder[] = [];
beforeAll(async () => {
  knot = await startKnot({ address: '127.0.0.57', zones: [{ name: 'blame.test', file: zone('blame.test.zone') }, { name: 'dead.blame.test', file: zone('dead.blame.test.zone') }] });
});
afterAll(async () => {
  await Promise.all(responders.map((r) => r.close()));
  await knot?.stop();
});

async function checkVia(host: string, policy: DnsPolicy, options: Record<string, unknown> = {}): Promise<Report> {
  const dns = await startDnsResponder({ address: knot.address, port: knot.port }, policy);
  responders.push(dns);
  return runCheck({ host, port: 587, resolvers: [`${dns.address}:${dns.port}`], timeoutMs: 800, sweepPorts: [587], options: { network: { noReference: true }, ...options } });
}
const fixText = (r: Report) => r.rootCause!.fix.join(' ');

describe('this machine\'s resolver', () => {
  it('refuses every query: resolve.refused, never titled SERVFAIL, never the domain owner\'s job', async () => {
    const r = await checkVia('smtp.blame.test', () => 'refused');
    expect(codesOf(r)[0]).toBe('resolve.refused');
    expect(r.rootCause!.title).not.toMatch(/SERVFAIL/);
    expect(fixText(r)).not.toMatch(/domain owner/);
  });
  it('fails every query (SERVFAIL for the root and the parents too): resolve.resolver-failed, likely', async () => {
    const r = await checkVia('smtp.blame.test', () => 'servfail');
    expect(codesOf(r)[0]).toBe('resolve.resolver-failed');
    expect(r.rootCause!.confidence).toBe('likely');
    expect(r.rootCause!.evidence.map((e) => e.text)).toContain('the same resolver answered nothing for the names above the host either');
    expect(fixText(r)).not.toMatch(/domain owner/);
  });
  it('fails only this host while its authoritative server answers: resolver-failed, possible (DNSSEC could be the domain\'s)', async () => {
    const r = await checkVia('smtp.blame.test', (n) => (n === 'smtp.blame.test' ? 'servfail' : 'forward'));
    expect(codesOf(r)[0]).toBe('resolve.resolver-failed');
    expect(r.rootCause!.confidence).toBe('possible');
    expect(r.rootCause!.evidence).toContainEqual({ text: 'authoritative server of blame.test answers directly: 127.0.0.20', where: '127.0.0.57' });
  });
  it('another resolver the user names (--compare-resolver) gets the answer: resolver-failed, likely', async () => {
    const r = await checkVia('smtp.blame.test', (n) => (n === 'smtp.blame.test' ? 'servfail' : 'forward'), { dns: { compareResolvers: ['127.0.0.57'] } });
    expect(codesOf(r)[0]).toBe('resolve.resolver-failed');
    expect(r.rootCause!.confidence).toBe('likely');
    expect(r.rootCause!.evidence.map((e) => e.text)).toContain('the other resolver (--compare-resolver) answers directly: 127.0.0.20');
    const dns = await startDnsResponder({ address: knot.address, port: knot.port }, (n) => (n === 'smtp.blame.test' ? 'servfail' : 'forward'));
    responders.push(dns);
    const cli = await runCli(['check', '--host', 'smtp.blame.test', '--resolver', `${dns.address}:${dns.port}`, '--compare-resolver', '127.0.0.57', '--ports', '587', '--no-reference', '--timeout', '1', '--json']);
    expect((JSON.parse(cli.stdout) as Report).rootCause).toMatchObject({ code: 'resolve.resolver-failed', confidence: 'likely' });
    expect(cli.code).toBe(1);
  });
});

describe('the domain\'s servers', () => {
  it('the resolver works, the zone\'s own server is down: resolve.servfail (likely), the domain owner\'s to fix', async () => {
    const r = await checkVia('smtp.dead.blame.test', (n) => (n === 'smtp.dead.blame.test' ? 'servfail' : 'forward'));
    expect(codesOf(r)[0]).toBe('resolve.servfail');
    expect(r.rootCause!.confidence).toBe('likely');
    expect(r.rootCause!.evidence.map((e) => e.text)).toContain('the same resolver answers for dead.blame.test (SOA): it works, but not for this host');
    expect(r.rootCause!.evidence.find((e) => e.where === '127.0.0.58')!.text).toMatch(/^authoritative server of dead\.blame\.test gave no address either/);
    expect(fixText(r)).toMatch(/domain owner/);
  });
  it('the same with the resolver timing out on the host: resolve.timeout (likely)', async () => {
    const r = await checkVia('smtp.dead.blame.test', (n) => (n === 'smtp.dead.blame.test' ? 'drop' : 'forward'));
    expect(codesOf(r)[0]).toBe('resolve.timeout');
    expect(r.rootCause!.confidence).toBe('likely');
  });
});

describe('the sender-domain audit (sendcheck domain)', () => {
  it('a resolver that answers nothing: one dns.resolver-failed (at risk, exit 4), nothing sends the domain owner to their name servers', async () => {
    const dns = await startDnsResponder({ address: knot.address, port: knot.port }, () => 'refused');
    responders.push(dns);
    const run = await runCli(['domain', 'blame.test', '--resolver', `${dns.address}:${dns.port}`, '--no-default-blocklists', '--no-propagation', '--timeout', '1', '--json']);
    const r = JSON.parse(run.stdout) as Report;
    expect(codesOf(r).filter((c) => c !== 'dns.dkim-none-found')).toEqual(['dns.resolver-failed']);
    expect(r.rootCause!.fix.join(' ')).not.toMatch(/name servers|domain owner/);
    expect([r.verdict, run.code]).toEqual(['at-risk', 4]);
  });
  it('a resolver that works while the domain\'s servers fail: dns.lookup-failed stays (the domain\'s to fix)', async () => {
    const dns = await forwarderFailing('dead.blame.test');
    const r = await runDomain({ domain: 'dead.blame.test', resolvers: [`${dns.address}:${dns.port}`], timeoutMs: 1000, defaultBlocklists: false, propagation: false });
    const codes = codesOf(r);
    expect(codes).toContain('dns.lookup-failed');
    expect(codes).not.toContain('dns.resolver-failed');
  });
});

/** A resolver that forwards to the blame Knot but fails every name at or under `zone`. */
async function forwarderFailing(zone: string): Promise<DnsResponder> {
  const dns = await startDnsResponder({ address: knot.address, port: knot.port }, (n) => (n === zone || n.endsWith(`.${zone}`) ? 'servfail' : 'forward'));
  responders.push(dns);
  return dns;
}
