// One run deadline derived from --timeout (LIMITS.runDeadlineSteps × timeout + runDeadlineSlackMs, src/net/limits.ts)
// bounds every run, whatever the servers do: a server that answers every command just under the timeout, an
// autoconfig document trickled a byte at a time, a DNS server that never answers. Wall time is measured, with a
// margin for a busy machine; before the deadline was honoured these took two to three times as long.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { runDeadlineMs } from '../../src/net/limits.js';
import { makeTestCa } from '../helpers/certs.js';
import { rootCodeOf } from '../helpers/findings.js';
import { slowReplies, startHostile, type HostileServer } from '../helpers/hostile-servers.js';
import { startFaultDns, type FaultDns } from '../domain/helpers/fault-dns.js';

const TIMEOUT = 1000;
const MARGIN = 1500;
let smtp: HostileServer;
let https: Server;
let httpsPort: number;
let nxdns: FaultDns;
let silentDns: FaultDns;
let caPem: string;

beforeAll(async () => {
  smtp = await startHostile(slowReplies(900));
  const ca = makeTestCa();
  caPem = ca.caPem;
  const leaf = ca.issue('autoconfig', { cn: 'autoconfig.slow.test', sans: ['DNS:autoconfig.slow.test', 'DNS:slow.test'], days: 5 });
  // An autoconfig document one byte per 200 ms: never idle long enough for a socket timeout.
  https = createServer({ key: leaf.key, cert: leaf.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    const doc = `<?xml version="1.0"?><clientConfig version="1.1">${' '.repeat(400)}</clientConfig>`;
    let i = 0;
    const t = setInterval(() => (i < doc.length && !res.destroyed ? res.write(doc[i++]!) : (clearInterval(t), res.end())), 200);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', () => r()));
  httpsPort = (https.address() as AddressInfo).port;
  nxdns = await startFaultDns(() => ({ rcode: 3 }));
  silentDns = await startFaultDns(() => ({ drop: true }));
});
afterAll(async () => {
  await smtp.close();
  await new Promise((r) => https.close(r));
  https.closeAllConnections();
  await nxdns.close();
  await silentDns.close();
});

async function wall<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

describe(`the run deadline (${runDeadlineMs(TIMEOUT)} ms at --timeout ${TIMEOUT / 1000})`, () => {
  it('a server that answers every command just under the timeout: stopped at the deadline and named', async () => {
    const to = Array.from({ length: 8 }, (_, i) => `rcpt${i}@slow.test`);
    const { value: r, ms } = await wall(() => runCheck({ host: '127.0.0.1', port: smtp.port, security: 'none', sweepPorts: [smtp.port], timeoutMs: TIMEOUT, from: 'me@slow.test', to, options: { domain: false } }));
    expect(ms).toBeLessThan(runDeadlineMs(TIMEOUT) + MARGIN);
    expect(rootCodeOf(r)).toBe('smtp.too-slow');
  }, 30_000);

  it('an autoconfig document trickled a byte at a time: each fetch bounded by the timeout', async () => {
    const hosts = { 'autoconfig.slow.test': `127.0.0.1:${httpsPort}`, 'slow.test': `127.0.0.1:${httpsPort}` };
    const { value: r, ms } = await wall(() => runCheck({ target: 'me@slow.test', resolvers: [`${nxdns.address}:${nxdns.port}`], ca: [caPem], timeoutMs: TIMEOUT, options: { discovery: { autoconfigHosts: hosts }, domain: false } }));
    expect(ms).toBeLessThan(TIMEOUT + MARGIN + 1000);
    const ac = (r.facts.extra.discovery as { autoconfig?: { error?: string }[] } | undefined)?.autoconfig ?? [];
    expect(ac.map((a) => a.error).join(' ')).toMatch(/not complete within 1000 ms/);
  }, 30_000);

  it('discovery against a DNS server that never answers: within the deadline', async () => {
    const { ms } = await wall(() => runCheck({ target: 'me@silent.test', resolvers: [`${silentDns.address}:${silentDns.port}`], timeoutMs: TIMEOUT, options: { discovery: { autoconfig: false }, domain: false } }));
    expect(ms).toBeLessThan(runDeadlineMs(TIMEOUT) + MARGIN);
  }, 30_000);
});
