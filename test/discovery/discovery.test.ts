// Settings discovery against the lab's Knot (test/fixtures/zones/disc.test.zone) and a local HTTPS server for
// autoconfig documents. Autoconfig requests only go to hosts mapped to loopback: an empty map fetches nothing.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { DnsResolver } from '../../src/net/resolver.js';
import { parseAutoconfig } from '../../src/input/autoconfig.js';
import { discoverSettings, discoverSubmission } from '../../src/input/discover.js';
import { compareWithDiscovered, describeDiff } from '../../src/rules/discovery.js';
import { makeTestCa, type TestCa } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

const lab = loadLabEnv();
const DNS = `${lab.dns.server}:${lab.dns.port}`;
const resolver = () => new DnsResolver({ servers: [DNS], timeoutMs: 2000 });
const NO_FETCH = { autoconfigHosts: {} as Record<string, string> };

const AUTOCONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="ac.disc.test">
    <domain>ac.disc.test</domain>
    <displayName>AC test mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.ac.disc.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.ac.disc.test</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.ac.disc.test</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`;

let ca: TestCa;
let server: Server;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  ca = makeTestCa();
  const leaf = ca.issue('autoconfig', { cn: 'autoconfig.ac.disc.test', sans: ['DNS:autoconfig.ac.disc.test', 'DNS:ac.disc.test', 'DNS:autoconfig.big.disc.test'], days: 5 });
  server = createServer({ key: leaf.key, cert: leaf.cert }, (req, res) => {
    requests.push(`${req.headers.host}${req.url}`);
    if (req.headers.host?.startsWith('autoconfig.big.')) {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<clientConfig>${'<x/>'.repeat(200_000)}</clientConfig>`);
    } else if (req.headers.host?.startsWith('autoconfig.ac.') && req.url?.startsWith('/mail/config-v1.1.xml')) {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(AUTOCONFIG);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('discovery from DNS', () => {
  it('SRV: implicit TLS (_submissions) ranks before STARTTLS (_submission), by priority; IMAP SRV listed', async () => {
    const d = await discoverSettings('alice@srv.disc.test', resolver(), NO_FETCH);
    expect(d.submission.map((c) => `${c.host}:${c.port}:${c.security}:${c.source}`)).toEqual([
      'smtp.srv.disc.test:465:implicit-tls:srv',
      'smtp.srv.disc.test:587:starttls:srv',
      'backup.srv.disc.test:2525:starttls:srv',
    ]);
    expect(d.imap.map((c) => `${c.host}:${c.port}:${c.security}`)).toEqual(['imap.srv.disc.test:993:implicit-tls', 'imap.srv.disc.test:143:starttls']);
  });

  it('SRV target "." means not offered: no candidate', async () => {
    expect(await discoverSubmission('bob@none.disc.test', resolver(), NO_FETCH)).toEqual([]);
  });

  it('an MX at a large provider gives that provider\'s submission servers', async () => {
    const c = await discoverSubmission('bob@mxp.disc.test', resolver(), NO_FETCH);
    expect(c[0]).toMatchObject({ host: 'smtp.gmail.com', source: 'mx-provider', providerId: 'gmail' });
  });

  it('the provider table by the address\'s domain (no DNS answer needed for it)', async () => {
    const c = await discoverSubmission('someone@gmail.com', new DnsResolver({ servers: [DNS], timeoutMs: 1000 }), NO_FETCH);
    expect(c.some((x) => x.host === 'smtp.gmail.com' && x.source === 'provider')).toBe(true);
  });

  it('the conventional smtp.DOMAIN name as a last resort', async () => {
    const c = await discoverSubmission('bob@guess.disc.test', resolver(), NO_FETCH);
    expect(c).toEqual([expect.objectContaining({ host: 'smtp.guess.disc.test', port: 587, security: 'starttls', source: 'guess' })]);
  });

  it('an address with nothing discoverable: check reports discovery.no-server-found', async () => {
    const r = await check({ target: 'bob@none.disc.test', resolvers: [DNS], timeoutMs: 2000, options: { discovery: NO_FETCH } });
    expect(codesOf(r)).toEqual(['discovery.no-server-found']);
  });
});

describe('autoconfig over HTTPS (local server, test CA)', () => {
  it('fetches autoconfig.DOMAIN with the address, fills placeholders, ranks it after SRV', async () => {
    requests.length = 0;
    const map = { 'autoconfig.ac.disc.test': `127.0.0.1:${port}`, 'ac.disc.test': `127.0.0.1:${port}` };
    const d = await discoverSettings('carol@ac.disc.test', resolver(), { autoconfigHosts: map, ca: [ca.caPem] });
    expect(d.submission.slice(0, 2).map((c) => `${c.host}:${c.port}:${c.security}:${c.source}`)).toEqual(['smtp.ac.disc.test:587:starttls:autoconfig', 'smtp.ac.disc.test:465:implicit-tls:autoconfig']);
    expect(d.imap[0]).toMatchObject({ host: 'imap.ac.disc.test', port: 993, security: 'implicit-tls' });
    expect(requests).toContain('autoconfig.ac.disc.test/mail/config-v1.1.xml?emailaddress=carol%40ac.disc.test');
    expect(requests.some((r) => r.startsWith('ac.disc.test/.well-known/autoconfig/mail/config-v1.1.xml'))).toBe(true);
    expect(d.autoconfig.find((a) => a.url.includes('.well-known'))).toMatchObject({ ok: false, status: 404 });
  });

  it('without a host map the autoconfig host is resolved through the run\'s resolver (Knot → 127.0.0.61:443)', async () => {
    const leaf = ca.issue('res', { cn: 'autoconfig.res.disc.test', sans: ['DNS:autoconfig.res.disc.test'], days: 5 });
    const s443 = createServer({ key: leaf.key, cert: leaf.cert }, (_req, res) => { res.writeHead(200); res.end(AUTOCONFIG.replace(/ac\.disc\.test/g, 'res.disc.test')); });
    await new Promise<void>((r) => s443.listen(443, '127.0.0.61', () => r()));
    try {
      const d = await discoverSettings('dave@res.disc.test', resolver(), { ca: [ca.caPem] });
      expect(d.submission[0]).toMatchObject({ host: 'smtp.res.disc.test', port: 587, security: 'starttls', source: 'autoconfig' });
      // The .well-known URL's host (res.disc.test) has no address in the zone: not fetched at all.
      expect(d.autoconfig.find((a) => a.url.includes('.well-known'))?.error).toMatch(/does not resolve/);
    } finally {
      await new Promise((r) => s443.close(r));
    }
  });

  it('without the test CA the document is not trusted (no candidate from it)', async () => {
    const d = await discoverSettings('carol@ac.disc.test', resolver(), { autoconfigHosts: { 'autoconfig.ac.disc.test': `127.0.0.1:${port}` } });
    expect(d.submission.filter((c) => c.source === 'autoconfig')).toEqual([]);
    expect(d.autoconfig[0]!.error).toMatch(/certificate|self.signed|issuer/i);
  });

  it('an oversized document is cut at the size limit', async () => {
    const d = await discoverSettings('x@big.disc.test', resolver(), { autoconfigHosts: { 'autoconfig.big.disc.test': `127.0.0.1:${port}` }, ca: [ca.caPem] });
    expect(d.autoconfig[0]).toMatchObject({ ok: false });
    expect(d.autoconfig[0]!.error).toMatch(/larger than/);
  });

  it('parseAutoconfig ignores servers without a usable host or port', () => {
    expect(parseAutoconfig('<outgoingServer type="smtp"><hostname>bad host</hostname><port>587</port></outgoingServer><outgoingServer type="smtp"><hostname>ok.test</hostname><port>99999</port></outgoingServer>', 'a@b.test')).toEqual([]);
  });
});

describe('your settings against discovered ones', () => {
  it('describes a security mismatch the way a user reads it', () => {
    const cands = [{ host: 'mail.example.test', port: 587, security: 'starttls' as const, source: 'srv' as const, detail: 'SRV _submission._tcp.lab.disc.test' }];
    expect(describeDiff({ host: 'mail.example.test', port: 587, security: 'implicit-tls' }, cands)).toBe('your client uses SSL/TLS (implicit TLS) on port 587; this server speaks STARTTLS on 587 (SRV _submission._tcp.lab.disc.test)');
    expect(compareWithDiscovered({ host: 'mail.example.test', port: 587, security: 'starttls' }, cands)).toEqual([]);
    const guess = [{ host: 'smtp.example.test', port: 587, security: 'starttls' as const, source: 'guess' as const, detail: 'smtp.example.test exists (conventional name)' }];
    expect(compareWithDiscovered({ host: 'relay.example.test', port: 465, security: 'implicit-tls' }, guess)).toEqual([]);
    expect(compareWithDiscovered({ host: 'smtp.example.test', port: 587, security: 'implicit-tls' }, guess).map((f) => f.confidence)).toEqual(['possible']);
  });

  it('check with an address and --host: config.differs-from-discovered next to the live verdict (lab Postfix)', async () => {
    const r = await runCli(['check', 'alice@lab.disc.test', '--host', lab.smtpName, '--port', '587', '--security', 'implicit-tls', '--resolver', DNS, '--ca', lab.caFile, '--ports', '587', '--no-reference', '--no-autoconfig', '--timeout', '2', '--json'], { env: { SENDCHECK_PASSWORD: '' } });
    const report = JSON.parse(r.stdout);
    const codes = codesOf(report);
    expect(codes).toContain('config.differs-from-discovered');
    expect(codes).toContain('tls.mode-mismatch.implicit-on-starttls-port');
    const f = report.findings.find((x: { code: string }) => x.code === 'config.differs-from-discovered');
    expect(f.explanation).toContain('your client uses SSL/TLS (implicit TLS) on port 587; this server speaks STARTTLS on 587');
  });

  it('check with only an address uses the best discovered candidate (SRV → lab Postfix 587 STARTTLS)', async () => {
    const r = await check({ target: 'alice@lab.disc.test', resolvers: [DNS], ca: [readFileSync(lab.caFile, 'utf8')], sweepPorts: [587], timeoutMs: 2000, options: { discovery: { autoconfig: false }, network: { noReference: true } } });
    expect(r.target).toMatchObject({ host: 'mail.example.test', port: 587, security: 'starttls' });
    expect(codesOf(r)).not.toContain('config.differs-from-discovered');
    expect(r.hops.find((h) => h.hop === 'tls')?.status).toBe('ok');
  });
});
