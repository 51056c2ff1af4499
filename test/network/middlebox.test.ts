// Middleboxes between the sender and the server, as fixture proxies in front of real SMTP servers in the server and
// reference namespaces: STARTTLS stripping, Cisco-style banner masking and keyword mangling, TLS interception by an
// "antivirus" root and by an unknown one, idle cuts (hold test), a cut at DATA (DATA-start test), HTTP answers.
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtraFacts } from '../../src/facts/index.js';
import type { NetworkFacts } from '../../src/facts/network.js';
import { makeTestCa } from '../helpers/certs.js';
import { codesOf } from '../helpers/findings.js';
import { netnsSupported, sweepStaleNamespaces } from '../helpers/netns.js';
import { createNetLab, findingOf, type CertFiles, type NetLab } from './lab.js';

if (!netnsSupported()) throw new Error('these tests need root, iproute2 and nftables (run them as CI does: npm test)');

type Mode = 'pass' | 'strip-starttls' | 'cisco' | 'own-banner' | 'intercept-tls' | 'idle-cut' | 'idle-blackhole' | 'close-on-data' | 'http';
interface BoxSpec { mode: Mode; tls?: CertFiles; idleMs?: number }

let lab: NetLab;
let avLeaf: CertFiles;
let unknownLeaf: CertFiles;
const extraCaDirs: string[] = [];

beforeAll(async () => {
  sweepStaleNamespaces();
  lab = await createNetLab('mbx');
  const sans = [`IP:${lab.server}`, `IP:${lab.reference}`, `IP:${lab.server6}`, `IP:${lab.reference6}`, 'DNS:mail.test', 'DNS:ref.test'];
  // The "antivirus" root carries an issuer name listed in data/interception-cas.json; the other one is unknown.
  const av = makeTestCa('Avast Web\\/Mail Shield Root');
  const unknown = makeTestCa('Acme Outbound Inspection CA');
  extraCaDirs.push(av.dir, unknown.dir);
  avLeaf = lab.issueWith(av, 'av-leaf', sans);
  unknownLeaf = lab.issueWith(unknown, 'unknown-leaf', sans);
});
afterAll(async () => {
  await lab?.destroy();
  for (const d of extraCaDirs) rmSync(d, { recursive: true, force: true });
});

/** Real servers on 127.0.0.1:10025/10587/10465 inside the namespace; a box on each public port 25/587/465. */
function stack(certs: CertFiles, boxes: Partial<Record<25 | 587 | 465, BoxSpec>>, name?: string) {
  return {
    servers: [
      { host: '127.0.0.1', port: 10025, mode: 'starttls', name, ...certs },
      { host: '127.0.0.1', port: 10587, mode: 'starttls', name, ...certs },
      { host: '127.0.0.1', port: 10465, mode: 'implicit-tls', name, ...certs },
    ],
    boxes: ([25, 587, 465] as const).map((port) => {
      const b = boxes[port] ?? { mode: 'pass' };
      return { listen: { host: '::', port }, upstream: { host: '127.0.0.1', port: 10000 + port }, mode: b.mode, idleMs: b.idleMs, tls: b.tls ? { ...b.tls, implicit: port === 465 } : undefined };
    }),
  };
}

async function scenario(server: Partial<Record<25 | 587 | 465, BoxSpec>>, reference: Partial<Record<25 | 587 | 465, BoxSpec>>) {
  await Promise.all([lab.startStack('server', stack(lab.certs.server, server)), lab.startStack('reference', stack(lab.certs.reference, reference, 'ref.test'))]);
}

const netFacts = (r: { facts: { extra: ExtraFacts } }) => r.facts.extra.network as NetworkFacts;
const ALL = ['--ports', '25,465,587'];

describe('application-level filtering', () => {
  it('control: transparent relays change nothing; the DATA-start test never sends message content', async () => {
    await Promise.all([
      lab.startStack('server', { ...stack(lab.certs.server, {}, 'mail.test') }),
      lab.startStack('reference', stack(lab.certs.reference, {}, 'ref.test')),
    ]);
    let serverOut = '';
    lab.stacks.get('server')!.stdout!.on('data', (d) => (serverOut += d));
    const { report } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'starttls', ...ALL, '--reference', lab.reference,
      '--from', 'alice@mail.test', '--to', 'bob@elsewhere.test', '--data-probe']);
    const codes = codesOf(report);
    expect(codes.filter((c) => /^(port|firewall|filter|security-software)\./.test(c))).toEqual([]);
    expect(netFacts(report).dataProbe).toMatchObject({ outcome: 'data-accepted', reply: { code: 354 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(serverOut).not.toMatch(/message-bytes|message-complete/);
  });

  it('STARTTLS removed from EHLO on port 25 towards server and reference, offered on 587: stripped on your side', async () => {
    const strip = { 25: { mode: 'strip-starttls' } } as const;
    await scenario(strip, strip);
    const { report } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'starttls', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toContain('filter.starttls-stripped');
    const f = findingOf(report, 'filter.starttls-stripped');
    expect(f.severity).toBe('blocker');
    expect(f.confidence).toBe('likely');
    expect(f.explanation).toMatch(/missing towards the server and the reference on port 25/);
  });

  it('Cisco-style ESMTP inspection: masked banner and STARTTLS rewritten to XXXXXXXA (towards the server only)', async () => {
    await scenario({ 25: { mode: 'cisco' } }, {});
    const { report } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'starttls', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['filter.banner-masked', 'filter.starttls-stripped']));
    const f = findingOf(report, 'filter.starttls-stripped');
    expect(f.confidence).toBe('certain');
    expect(f.explanation).toMatch(/XXXXXXXA/);
    expect(findingOf(report, 'filter.banner-masked').title).toMatch(/^The SMTP greeting is masked by a firewall \("220 \*{8,}/);
  });

  it('a proxy on your side greets with its own banner for the server and the reference alike', async () => {
    const own = { 587: { mode: 'own-banner' } } as const;
    await scenario(own, own);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toContain('filter.proxy-banner');
    const f = findingOf(report, 'filter.proxy-banner');
    expect(f.title).toBe('Something on your side answers mail connections on port 587 ("220 mailgw.corp.test ESMTP MailScan proxy ready")');
    expect(codes).not.toContain('filter.banner-masked');
  });

  it('an HTTP answer on port 25 towards the server and the reference: the network intercepts mail ports', async () => {
    const http = { 25: { mode: 'http' } } as const;
    await scenario(http, http);
    const { report } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'starttls', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toContain('filter.http-intercept');
    const f = findingOf(report, 'filter.http-intercept');
    expect(f.confidence).toBe('certain');
    expect(f.severity).toBe('blocker');
  });

  it('a cut when DATA begins (DATA-start test: no message content is ever sent)', async () => {
    await scenario({ 25: { mode: 'close-on-data' } }, {});
    // Plain SMTP on 25 (as between mail servers): the filter can only see DATA when the session is not encrypted.
    const { report } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'none', '--ports', '25', '--no-reference',
      '--from', 'alice@mail.test', '--to', 'bob@elsewhere.test', '--data-probe']);
    const codes = codesOf(report);
    expect(codes).toContain('filter.closed-on-data');
    expect(netFacts(report).dataProbe).toMatchObject({ outcome: 'closed-on-data' });
  });
});

describe('TLS interception', () => {
  it('an antivirus re-signs STARTTLS and implicit TLS with its own root: product named, with how to turn it off', async () => {
    const av = { 587: { mode: 'intercept-tls', tls: avLeaf }, 465: { mode: 'intercept-tls', tls: avLeaf } } as const;
    await scenario(av, av);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toContain('security-software.tls-interception');
    const f = findingOf(report, 'security-software.tls-interception');
    expect(f.title).toBe('Avast Antivirus - Web/Mail Shield intercepts the encrypted connection');
    expect(f.fix[0]).toMatch(/Mail Shield/);
    expect(f.evidence.map((e) => e.text)).toContain('the reference server\'s certificate has the same issuer: the re-signing happens on your side');
    expect(f.severity).toBe('blocker');
  });

  it('an unknown interceptor: the same untrusted issuer on the server and the reference', async () => {
    const mitm = { 587: { mode: 'intercept-tls', tls: unknownLeaf }, 465: { mode: 'intercept-tls', tls: unknownLeaf } } as const;
    await scenario(mitm, mitm);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', ...ALL, '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toContain('security-software.tls-unknown-interceptor');
    expect(codes).not.toContain('security-software.tls-interception');
    const f = findingOf(report, 'security-software.tls-unknown-interceptor');
    expect(f.title).toBe('Something on your side re-signs TLS connections ("Acme Outbound Inspection CA")');
    // A reference of the user's choosing might share the server's private CA: a weaker conclusion than with the default.
    expect([f.confidence, f.severity]).toEqual(['possible', 'warning']);
  });
});

describe('DANE', () => {
  /** The server's TLSA record (3 1 1: its own key) served by a DNS responder in the server namespace. */
  function dnsFor(spki: string) {
    return {
      host: lab.server, port: 53,
      zone: {
        'mail.test': { A: [lab.server], AAAA: [lab.server6] },
        '_587._tcp.mail.test': { TLSA: [[3, 1, 1, spki]] },
      },
    };
  }
  const spkiOf = (certFile: string) => createHash('sha256').update(new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const args = () => ['--host', 'mail.test', '--resolver', lab.server, '--port', '587', '--ports', '587', '--no-reference'];

  it('the certificate seen from here matches the TLSA record: nothing to report', async () => {
    await lab.startStack('server', { ...stack(lab.certs.server, {}), dns: dnsFor(spkiOf(lab.certs.server.certFile)) });
    const { report } = await lab.check(args());
    expect(codesOf(report)).not.toContain('security-software.dane-mismatch');
    expect(netFacts(report).dane).toMatchObject({ name: '_587._tcp.mail.test', ad: false });
    expect(netFacts(report).dane?.records).toHaveLength(1);
    expect(report.facts.session?.tls?.chain[0]?.spkiSha256).toBe(netFacts(report).dane?.records[0]?.data);
  });

  it('an interceptor re-signs the connection: the chain matches no TLSA record', async () => {
    await lab.startStack('server', { ...stack(lab.certs.server, { 587: { mode: 'intercept-tls', tls: avLeaf } }), dns: dnsFor(spkiOf(lab.certs.server.certFile)) });
    const { report } = await lab.check(args());
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['security-software.dane-mismatch', 'security-software.tls-interception']));
    const f = findingOf(report, 'security-software.dane-mismatch');
    expect(f.confidence).toBe('possible');
    expect(f.explanation).toMatch(/no AD flag/);
  });
});

describe('stateful inspection', () => {
  it('idle connections cut after 1.5 s towards server and reference (hold test)', async () => {
    const cut = { 587: { mode: 'idle-cut', idleMs: 1500 } } as const;
    await scenario(cut, cut);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`, '--hold', '3']);
    const codes = codesOf(report);
    expect(codes).toContain('firewall.idle-cut');
    const f = findingOf(report, 'firewall.idle-cut');
    expect(f.title).toMatch(/^Idle connections are cut after about 1\.\d s idle on your side$/);
    const holds = netFacts(report).holds;
    expect(holds.map((h) => [h.role, h.outcome]).sort()).toEqual([['reference', 'reset'], ['target', 'reset']]);
  });

  it('a NAT that silently forgets idle connections towards the server only: nothing answers after the pause', async () => {
    await scenario({ 587: { mode: 'idle-blackhole', idleMs: 1000 } }, {});
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`, '--hold', '2']);
    const codes = codesOf(report);
    expect(codes).toContain('firewall.idle-cut');
    const f = findingOf(report, 'firewall.idle-cut');
    expect(f.title).toBe('Idle connections are cut within 2 s of idling between you and this server');
    expect(Object.fromEntries(netFacts(report).holds.map((h) => [h.role, h.outcome]))).toEqual({ target: 'cut-silently', reference: 'survived' });
  });

  it('hold test without a middlebox: the connection survives, nothing reported', async () => {
    await scenario({}, {});
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`, '--hold', '2']);
    expect(codesOf(report)).not.toContain('firewall.idle-cut');
    expect(netFacts(report).holds.map((h) => h.outcome)).toEqual(['survived', 'survived']);
  });
});
