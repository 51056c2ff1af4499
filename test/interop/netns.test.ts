// Verifies test/helpers/netns.ts against the real kernel: namespaces, veth links, nftables rules in the client's
// output chain, and the socket errors a Node client sees for each kind of block. Needs root, ip and nft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopology,
  listNamespaces,
  netnsSupported,
  nftOutputRules,
  sweepStaleNamespaces,
  waitForOutput,
  type Topology,
} from '../helpers/netns.js';

// A TCP server: listens on [::] (dual stack) on every port given, greets with "220 hi", prints "listening".
const SERVER = `
const net = require('node:net');
const ports = process.argv.slice(1).map(Number);
let n = 0;
for (const p of ports) {
  net.createServer((s) => { s.end('220 hi\\r\\n'); }).listen({ host: '::', port: p }, () => {
    if (++n === ports.length) console.log('listening ' + process.pid);
  });
}
`;

// A client probe: connect(host, port) with an application timeout; prints one JSON line.
const PROBE = `
const net = require('node:net');
const [host, port, timeout] = process.argv.slice(1);
const t0 = Date.now();
const s = net.connect({ host, port: Number(port) });
const done = (o) => { console.log(JSON.stringify({ ...o, ms: Date.now() - t0 })); s.destroy(); process.exit(0); };
s.setTimeout(Number(timeout), () => done({ result: 'timeout' }));
s.once('data', (d) => done({ result: 'data', data: d.toString().trim() }));
s.once('error', (e) => done({ result: 'error', code: e.code }));
`;

interface Probe {
  result: 'timeout' | 'data' | 'error';
  code?: string;
  data?: string;
  ms: number;
}

describe('netns helper (real kernel)', () => {
  it('this machine supports network namespaces and nftables (CI must: the firewall tests depend on it)', () => {
    expect(netnsSupported()).toBe(true);
  });

  let topo: Topology;
  let names: string[] = [];

  async function probe(host: string, port: number, timeoutMs = 1000): Promise<Probe> {
    const r = await topo.runIn(topo.client, process.execPath, ['-e', PROBE, host, String(port), String(timeoutMs)], {
      timeoutMs: timeoutMs + 5000,
    });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim()) as Probe;
  }

  async function rules(...statements: string[]): Promise<void> {
    await topo.applyNft(topo.client, nftOutputRules(statements));
  }

  beforeAll(async () => {
    sweepStaleNamespaces();
    topo = await createTopology({ name: 'selftest', hosts: ['server', 'reference'], ipv6: true });
    names = [...topo.namespaces];
    for (const h of ['server', 'reference']) {
      const srv = topo.spawnIn(topo.ns[h] as string, process.execPath, ['-e', SERVER, '25', '587']);
      await waitForOutput(srv, /listening/);
    }
  });

  afterAll(async () => {
    await topo?.destroy();
  });

  it('creates uniquely named namespaces with the expected links', async () => {
    expect(names).toHaveLength(3);
    for (const n of names) expect(n.startsWith(`sct-${process.pid}-`)).toBe(true);
    const existing = listNamespaces();
    for (const n of names) expect(existing).toContain(n);
    expect(topo.addr('server')).toBe('10.200.0.2');
    expect(topo.addr('reference')).toBe('10.200.1.2');
    expect(topo.addr6('server')).toBe('fd00:200::2');
    expect(topo.addr6('reference')).toBe('fd00:200:1::2');
    const { stdout } = await topo.execIn(topo.client, 'ip', ['-o', 'addr', 'show']);
    expect(stdout).toContain('10.200.0.1/30');
    expect(stdout).toContain('fd00:200::1/64');
  });

  it('reaches a server in the server namespace (IPv4 and IPv6), not the root namespace', async () => {
    await rules();
    expect(await probe(topo.addr('server'), 25)).toMatchObject({ result: 'data', data: '220 hi' });
    expect(await probe(topo.addr6('server'), 587)).toMatchObject({ result: 'data', data: '220 hi' });
    expect(await probe(topo.addr('reference'), 25)).toMatchObject({ result: 'data', data: '220 hi' });
    // No route out of the client namespace (no defaultVia): the lab's loopback server is unreachable.
    expect(await probe('192.0.2.1', 25)).toMatchObject({ result: 'error', code: 'ENETUNREACH' });
  });

  it('tcp dport 25 drop -> connect times out', async () => {
    await rules('tcp dport 25 drop');
    const p = await probe(topo.addr('server'), 25, 1000);
    expect(p.result).toBe('timeout');
    expect(p.ms).toBeGreaterThanOrEqual(900);
    // other ports unaffected
    expect(await probe(topo.addr('server'), 587)).toMatchObject({ result: 'data' });
    // the inet table covers IPv6 too
    expect(await probe(topo.addr6('server'), 25, 500)).toMatchObject({ result: 'timeout' });
  });

  it('tcp dport 25 reject with tcp reset -> ECONNREFUSED at once (v4 and v6)', async () => {
    await rules('tcp dport 25 reject with tcp reset');
    const p = await probe(topo.addr('server'), 25);
    expect(p).toMatchObject({ result: 'error', code: 'ECONNREFUSED' });
    expect(p.ms).toBeLessThan(500);
    expect(await probe(topo.addr6('server'), 25)).toMatchObject({ result: 'error', code: 'ECONNREFUSED' });
  });

  it('ip daddr X tcp dport 587 reject with icmp type admin-prohibited -> EHOSTUNREACH, only for X', async () => {
    await rules(`ip daddr ${topo.addr('server')} tcp dport 587 reject with icmp type admin-prohibited`);
    const p = await probe(topo.addr('server'), 587);
    expect(p).toMatchObject({ result: 'error', code: 'EHOSTUNREACH' });
    expect(p.ms).toBeLessThan(500);
    expect(await probe(topo.addr('reference'), 587)).toMatchObject({ result: 'data' });
    expect(await probe(topo.addr6('server'), 587)).toMatchObject({ result: 'data' });
  });

  it.each([
    ['host-unreachable', 'EHOSTUNREACH'],
    ['net-unreachable', 'ENETUNREACH'],
    ['port-unreachable', 'ECONNREFUSED'],
  ])('ip daddr X tcp dport 587 reject with icmp type %s -> %s', async (type, code) => {
    await rules(`ip daddr ${topo.addr('server')} tcp dport 587 reject with icmp type ${type}`);
    const p = await probe(topo.addr('server'), 587);
    expect(p).toMatchObject({ result: 'error', code });
    expect(p.ms).toBeLessThan(500);
  });

  it.each([
    ['admin-prohibited', 'EACCES'],
    ['addr-unreachable', 'EHOSTUNREACH'],
    ['no-route', 'ENETUNREACH'],
    ['port-unreachable', 'ECONNREFUSED'],
  ])('ip6 daddr X tcp dport 587 reject with icmpv6 type %s -> %s after ~1 s', async (type, code) => {
    await rules(`ip6 daddr ${topo.addr6('server')} tcp dport 587 reject with icmpv6 type ${type}`);
    // On this kernel an ICMPv6 error during connect() is only reported when the SYN retransmission timer fires
    // (~1 s): a probe with a connect timeout under 1 s sees a plain timeout on IPv6.
    const p = await probe(topo.addr6('server'), 587, 3000);
    expect(p).toMatchObject({ result: 'error', code });
    expect(p.ms).toBeGreaterThan(700);
    expect(p.ms).toBeLessThan(2500);
    // IPv4 to the same host is unaffected
    expect(await probe(topo.addr('server'), 587)).toMatchObject({ result: 'data' });
  });

  it('a reject in the server namespace input chain looks the same to the client', async () => {
    await rules();
    const server = topo.ns.server as string;
    try {
      await topo.applyNft(server, nftOutputRules([], ['tcp dport 587 reject with icmpx type admin-prohibited']));
      const p4 = await probe(topo.addr('server'), 587);
      expect(p4).toMatchObject({ result: 'error', code: 'EHOSTUNREACH' });
      expect(p4.ms).toBeLessThan(500);
      expect(await probe(topo.addr6('server'), 587, 3000)).toMatchObject({ result: 'error', code: 'EACCES' });
      await topo.applyNft(server, nftOutputRules([], ['tcp dport 587 reject with tcp reset']));
      expect(await probe(topo.addr6('server'), 587)).toMatchObject({ result: 'error', code: 'ECONNREFUSED' });
    } finally {
      await topo.applyNft(server, 'flush ruleset\n');
    }
  });

  it('reject with icmpx type admin-prohibited applies to both families', async () => {
    await rules('tcp dport 587 reject with icmpx type admin-prohibited');
    expect(await probe(topo.addr('server'), 587)).toMatchObject({ result: 'error', code: 'EHOSTUNREACH' });
    expect(await probe(topo.addr6('server'), 587, 3000)).toMatchObject({ result: 'error', code: 'EACCES' });
  });

  it('runIn enforces its timeout', async () => {
    const r = await topo.runIn(topo.client, 'sleep', ['10'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('destroy() kills the namespace processes and deletes every namespace', async () => {
    const pids = (await topo.execIn(topo.ns.server as string, 'ip', ['netns', 'pids', topo.ns.server as string])).stdout
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    expect(pids.length).toBeGreaterThan(0);
    await topo.destroy();
    expect(topo.destroyed).toBe(true);
    const existing = listNamespaces();
    for (const n of names) expect(existing).not.toContain(n);
    for (const pid of pids) {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      expect(alive, `pid ${pid} still alive`).toBe(false);
    }
    await topo.destroy(); // idempotent
  });
});

describe('netns helper: createTopology cleans up after a failure', () => {
  it('deletes what it created when a step fails', async () => {
    const before = listNamespaces().filter((n) => n.startsWith(`sct-${process.pid}-`));
    await expect(
      createTopology({ name: 'broken', hosts: [{ name: 'server', extraAddresses: ['not-an-address'] }] }),
    ).rejects.toThrow(/not-an-address|Error/);
    const after = listNamespaces().filter((n) => n.startsWith(`sct-${process.pid}-`));
    expect(after).toEqual(before);
  });
});
