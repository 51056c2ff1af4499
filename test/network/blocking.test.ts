// Who blocks and how: real nftables rules in the client namespace (drop, TCP reset, ICMP per destination and port,
// IPv4 and IPv6), sendcheck run as a CLI in the client namespace against a server and a reference namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../helpers/findings.js';
import { netnsSupported, sweepStaleNamespaces } from '../helpers/netns.js';
import type { ExtraFacts } from '../../src/facts/index.js';
import type { NetworkFacts } from '../../src/facts/network.js';
import { createNetLab, findingOf, plainServers, TIMEOUT_S, type NetLab } from './lab.js';

if (!netnsSupported()) throw new Error('these tests need root, iproute2 and nftables (run them as CI does: npm test)');

let lab: NetLab;
beforeAll(async () => {
  sweepStaleNamespaces();
  lab = await createNetLab('blk');
  const boxes = (addr: string) => [{ listen: { host: '::', port: 2525 }, upstream: { host: addr, port: 25 }, mode: 'close-at-once' }];
  await lab.startStack('server', { servers: plainServers(lab.certs.server), boxes: boxes(lab.server) });
  await lab.startStack('reference', { servers: plainServers(lab.certs.reference, 'ref.test'), boxes: boxes(lab.reference) });
});
afterAll(async () => { await lab?.destroy(); });

const net = (r: { facts: { extra: ExtraFacts } }) => r.facts.extra.network as NetworkFacts;

describe('reference comparison', () => {
  it('baseline: nothing blocked, nothing to report about the network', async () => {
    await lab.nft([]);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '25,465,587', '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(report.verdict).not.toBe('blocked');
    expect(codes.filter((c) => /^(port|firewall|filter|security-software)\./.test(c))).toEqual([]);
    expect(net(report).reference.connects.filter((c) => c.outcome === 'open')).toHaveLength(3);
  });

  it('port 25 silently dropped everywhere: your network blocks it; 465/587 to the same server work', async () => {
    await lab.nft(['tcp dport 25 drop']);
    const { report, run } = await lab.check(['--host', lab.server, '--port', '25', '--security', 'starttls', '--ports', '25,465,587', '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(run.code).toBe(1);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-locally', 'firewall.silent-drop']));
    expect(codes).not.toContain('port.blocked-towards-server');
    const f = findingOf(report, 'port.blocked-locally');
    expect(f.severity).toBe('blocker');
    // The specific cause outranks the generic "port 25 is filtered" it explains.
    expect(report.rootCause?.code).toBe('port.blocked-locally');
    expect(f.title).toBe('Your network blocks outgoing port 25');
    expect(f.fix[0]).toMatch(/^Port (465|587) with .* to the same server works from here: use it\.$/);
    expect(f.evidence.map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^server: silently dropped/), expect.stringMatching(/^reference: silently dropped/)]));
    // Everything in parallel: the drop costs one connect timeout, not one per port or per destination.
    expect(report.durationMs).toBeLessThan(TIMEOUT_S * 1000 * 2);
  });

  it('port 587 rejected with a TCP reset everywhere: a reset, told apart from ICMP by the kernel counters', async () => {
    await lab.nft(['tcp dport 587 reject with tcp reset']);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '25,465,587', '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-locally', 'firewall.tcp-reset']));
    expect(codes).not.toContain('firewall.icmp-reject');
    const refusal = net(report).refusals.find((r) => r.address === lab.server && r.port === 587);
    expect(refusal?.verdict).toBe('rst');
    expect(refusal?.attempts.every((a) => a.icmpDelta === 0)).toBe(true);
    expect(findingOf(report, 'port.blocked-locally').fix[0]).toMatch(/^Port (25|465) with/);
  });

  it('ICMP rejections only towards the server: blocked towards this server, by a firewall (port-unreachable, admin-prohibited)', async () => {
    await lab.nft([
      `ip daddr ${lab.server} tcp dport 587 reject with icmp type port-unreachable`,
      `ip daddr ${lab.server} tcp dport 25 reject with icmp type admin-prohibited`,
    ]);
    const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '25,465,587', '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-towards-server', 'firewall.icmp-reject']));
    expect(codes).not.toContain('port.blocked-locally');
    const icmp = findingOf(report, 'firewall.icmp-reject');
    expect(icmp.title).toMatch(/port unreachable/);
    expect(icmp.title).toMatch(/admin prohibited/);
    expect(icmp.confidence).toBe('likely');
    expect(icmp.explanation).toMatch(/Only the server is rejected/);
    const r587 = net(report).refusals.find((r) => r.address === lab.server && r.port === 587);
    expect(r587?.verdict).toBe('icmp');
    expect(findingOf(report, 'port.blocked-towards-server').severity).toBe('blocker');
  });

  it('ICMP port-unreachable towards everything: the firewall is on your side', async () => {
    await lab.nft(['tcp dport 465 reject with icmpx type port-unreachable']);
    const { report } = await lab.check(['--host', lab.server, '--port', '465', '--security', 'implicit-tls', '--ports', '25,465,587', '--reference', lab.reference]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-locally', 'firewall.icmp-reject']));
    expect(findingOf(report, 'firewall.icmp-reject').explanation).toMatch(/on your side/);
  });

  it('IPv6: ICMPv6 port-unreachable and admin-prohibited towards the server, a reset on another port', async () => {
    await lab.nft([
      `ip6 daddr ${lab.server6} tcp dport 587 reject with icmpv6 type port-unreachable`,
      `ip6 daddr ${lab.server6} tcp dport 25 reject with icmpv6 type admin-prohibited`,
      `ip6 daddr ${lab.server6} tcp dport 465 reject with tcp reset`,
    ]);
    // Linux reports an ICMPv6 error in SYN-SENT only after the first retransmission (~1 s): the 1.5 s timeout sees it.
    const { report } = await lab.check(['--host', lab.server6, '--port', '587', '--ports', '25,465,587', '--reference', `[${lab.reference6}]`]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-towards-server', 'firewall.icmp-reject']));
    const verdicts = Object.fromEntries(net(report).refusals.filter((r) => r.role === 'target').map((r) => [r.port, r.verdict]));
    expect(verdicts).toEqual({ 25: 'icmp', 465: 'rst', 587: 'icmp' });
    const icmp = findingOf(report, 'firewall.icmp-reject');
    expect(icmp.title).toBe('A firewall rejects ports 25 and 587 with ICMP "administratively prohibited, port unreachable"');
  });

  it('IPv6 dropped towards the server on 587 while IPv4 works (and the reference works over IPv6)', async () => {
    await lab.nft([`ip6 daddr ${lab.server6} tcp dport 587 drop`]);
    const { report } = await lab.check(['--host', 'mail.test', '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`, '--reference', `[${lab.reference6}]:587`]);
    const codes = codesOf(report);
    expect(report.facts.resolve?.addresses.map((a) => a.family).sort()).toEqual([4, 6]);
    expect(codes).toContain('port.blocked-one-family');
    const f = findingOf(report, 'port.blocked-one-family');
    expect(f.title).toBe('Port 587 works over IPv4 but is blocked over IPv6');
    expect(f.explanation).toMatch(/server's IPv6 side/);
    expect(codes).not.toContain('port.blocked-locally');
  });

  it('IPv6 port 587 dropped towards everything while IPv4 works: your network\'s IPv6 path', async () => {
    await lab.nft(['meta nfproto ipv6 tcp dport 587 drop']);
    const { report } = await lab.check(['--host', 'mail.test', '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`, '--reference', `[${lab.reference6}]:587`]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['port.blocked-one-family', 'port.blocked-locally']));
    expect(findingOf(report, 'port.blocked-one-family').explanation).toMatch(/your network's IPv6 path is the problem/);
    // The session got through over IPv4: the IPv6 block is information here, not the blocker.
    expect(findingOf(report, 'port.blocked-locally').severity).toBe('info');
    expect(report.verdict).not.toBe('blocked');
  });

  it('no IPv6 route from this machine at all: not a block by anyone, nothing reported', async () => {
    await lab.nft([]);
    const { report } = await lab.check(['--host', 'nov6.test', '--port', '587', '--ports', '587', '--reference', `${lab.reference}:587`]);
    const codes = codesOf(report);
    expect(report.facts.connects.find((c) => c.family === 6)).toMatchObject({ outcome: 'unreachable', errno: 'ENETUNREACH' });
    expect(codes.filter((c) => /^(port|firewall)\./.test(c))).toEqual([]);
  });

  it('connections accepted and closed at once on server and reference: something local closes them', async () => {
    await lab.nft([]);
    const { report } = await lab.check(['--host', lab.server, '--port', '2525', '--ports', '2525', '--reference', `${lab.reference}:2525`]);
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['firewall.closed-after-connect', 'port.blocked-locally']));
  });

  it('everything dropped: the whole check, reference included, ends within about one connect timeout', async () => {
    await lab.nft(['tcp dport 25 drop', 'tcp dport 465 drop', 'tcp dport 587 drop']);
    const { report, run } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '25,465,587', '--reference', lab.reference]);
    codesOf(report);
    expect(report.durationMs).toBeLessThan(TIMEOUT_S * 1000 + 1000);
    expect(run.durationMs).toBeLessThan(TIMEOUT_S * 1000 + 3000);
    // The configured port is the blocker; the other ports are one finding of information.
    const locally = report.findings.filter((f) => f.code === 'port.blocked-locally');
    expect(locally.map((f) => [f.title, f.severity])).toEqual([
      ['Your network blocks outgoing port 587', 'blocker'],
      ['Your network blocks outgoing ports 25 and 465', 'info'],
    ]);
  });
});

describe('local evidence', () => {
  it('a cloud host that blocks 25, a proxy variable and a container, read from local files only (secrets redacted)', async () => {
    await lab.nft(['tcp dport 25 drop']);
    // A private mount namespace: fake DMI identity (Google Compute Engine) and a container cgroup for PID 1.
    const wrap = [
      'set -e',
      'mount -t tmpfs sendcheck-dmi /sys/class',
      'mkdir -p /sys/class/dmi/id',
      'echo Google > /sys/class/dmi/id/sys_vendor',
      'echo "Google Compute Engine" > /sys/class/dmi/id/product_name',
      'T=$(mktemp)',
      'echo "0::/docker/0123456789abcdef" > "$T"',
      'mount --bind "$T" /proc/1/cgroup',
    ].join('\n');
    const { report, run } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '25,587', '--reference', lab.reference],
      { wrap, env: { HTTPS_PROXY: 'http://alice:s3cret-pw@proxy.corp.test:3128' } });
    const codes = codesOf(report);
    expect(codes).toEqual(expect.arrayContaining(['local.cloud-port25', 'local.proxy-env', 'local.container', 'port.blocked-locally']));
    expect(findingOf(report, 'local.cloud-port25').title).toBe('This machine runs on Google Compute Engine, which blocks outgoing port 25');
    expect(findingOf(report, 'local.container').evidence.map((e) => e.text)).toContain('/proc/1/cgroup: docker/0123456789abcdef');
    expect(findingOf(report, 'local.proxy-env').evidence[0]!.text).toBe('HTTPS_PROXY=http://[credentials removed]@proxy.corp.test:3128');
    expect(run.stdout).not.toContain('s3cret-pw');
    // Port 25 blocked locally is not the user's problem here (587 works): information only.
    expect(findingOf(report, 'port.blocked-locally').severity).toBe('info');
  });

  it('a local program listening on a mail port', async () => {
    await lab.nft([]);
    await lab.startStack('client', { listeners: [{ host: '127.0.0.1', port: 25 }, { host: '::1', port: 587 }] });
    try {
      const { report } = await lab.check(['--host', lab.server, '--port', '587', '--ports', '587', '--no-reference']);
      const codes = codesOf(report);
      expect(codes).toContain('local.mail-port-listener');
      const f = findingOf(report, 'local.mail-port-listener');
      expect(f.title).toBe('A local program listens on mail ports 25 and 587');
      expect(f.evidence.map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^listening: 127\.0\.0\.1:25 — node \(pid \d+\)/), expect.stringMatching(/^listening: \[::1\]:587/)]));
    } finally {
      await lab.stopStack('client');
    }
  });
});

describe('clean-up', () => {
  it('destroy() removes the namespaces, the /etc/netns files and the fixture processes', async () => {
    const other = await createNetLab('cln');
    await other.startStack('server', { servers: plainServers(other.certs.server) });
    const pid = other.stacks.get('server')!.pid!;
    const names = [...other.topo.namespaces];
    await other.destroy();
    const { listNamespaces } = await import('../helpers/netns.js');
    const { existsSync } = await import('node:fs');
    expect(listNamespaces().filter((n) => names.includes(n))).toEqual([]);
    expect(existsSync(`/etc/netns/${other.topo.client}`)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
