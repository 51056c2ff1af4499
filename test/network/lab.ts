// Shared set-up for the network-path tests: a client namespace linked to a "server" and a "reference" namespace
// (test/helpers/netns.ts), certificates made at test time, fixture stacks (scripted SMTP servers and middlebox
// proxies from test/fixtures/proxies/) started inside the namespaces, and sendcheck run as a CLI in the client.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/types.js';
import { makeTestCa, type TestCa } from '../helpers/certs.js';
import { CLI } from '../helpers/cli.js';
import { repoRoot } from '../helpers/lab-env.js';
import { createTopology, nftOutputRules, waitForOutput, type RunResult, type Topology } from '../helpers/netns.js';

export const STACK = join(repoRoot, 'test/fixtures/proxies/stack.mjs');
/** Short per-step timeout: every scenario stays fast, and "dropped" costs this much. */
export const TIMEOUT_S = 1.5;

export interface CertFiles { keyFile: string; certFile: string }

export interface NetLab {
  topo: Topology;
  ca: TestCa;
  caFile: string;
  certs: { server: CertFiles; reference: CertFiles };
  /** Writes a key/cert pair issued by `ca` (another CA: an interceptor's) and returns the file names. */
  issueWith(ca: TestCa, name: string, sans: string[]): CertFiles;
  server: string;
  reference: string;
  server6: string;
  reference6: string;
  stacks: Map<string, ChildProcess>;
  startStack(host: 'server' | 'reference' | 'client', cfg: unknown): Promise<void>;
  stopStack(host: 'server' | 'reference' | 'client'): Promise<void>;
  nft(statements: string[]): Promise<void>;
  check(args: string[], opts?: { env?: NodeJS.ProcessEnv; wrap?: string }): Promise<{ run: RunResult; report: Report }>;
  destroy(): Promise<void>;
}

function writePair(dir: string, name: string, pair: { key: string; cert: string }): CertFiles {
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.cert.pem`);
  writeFileSync(keyFile, pair.key);
  writeFileSync(certFile, pair.cert);
  return { keyFile, certFile };
}

/** Environment for the CLI: no proxy variables or colours from the test runner's own environment. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/proxy/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

export async function createNetLab(name: string): Promise<NetLab> {
  const topo = await createTopology({ name, hosts: ['server', 'reference'], ipv6: true, clientResolvConf: 'nameserver 127.0.0.1\n' });
  try {
    // mail.test has an IPv4 and an IPv6 address (hosts file of the client namespace; DNS fails fast on 127.0.0.1).
    mkdirSync(join('/etc/netns', topo.client), { recursive: true });
    // nov6.test: an IPv6 address the client has no route to (a machine without IPv6 connectivity).
    writeFileSync(join('/etc/netns', topo.client, 'hosts'),
      `127.0.0.1 localhost\n${topo.addr('server')} mail.test\n${topo.addr6('server')} mail.test\n${topo.addr('server')} nov6.test\nfd00:999::2 nov6.test\n`);
    const ca = makeTestCa('sendcheck network test CA');
    const caFile = join(ca.dir, 'ca.pem');
    const server = topo.addr('server');
    const reference = topo.addr('reference');
    const server6 = topo.addr6('server');
    const reference6 = topo.addr6('reference');
    const certs = {
      server: writePair(ca.dir, 'server', ca.issue('server', { cn: 'mail.test', sans: ['DNS:mail.test', `IP:${server}`, `IP:${server6}`], days: 10 })),
      reference: writePair(ca.dir, 'reference', ca.issue('reference', { cn: 'ref.test', sans: ['DNS:ref.test', `IP:${reference}`, `IP:${reference6}`], days: 10 })),
    };
    const stacks = new Map<string, ChildProcess>();
    const lab: NetLab = {
      topo, ca, caFile, certs, server, reference, server6, reference6, stacks,
      issueWith: (other, n, sans) => writePair(ca.dir, n, other.issue(n, { cn: n, sans, days: 10 })),
      async startStack(host, cfg) {
        await lab.stopStack(host);
        const child = topo.spawnIn(topo.ns[host]!, process.execPath, [STACK, JSON.stringify(cfg)]);
        stacks.set(host, child);
        await waitForOutput(child, /ready/, 10_000);
      },
      async stopStack(host) {
        const c = stacks.get(host);
        if (!c) return;
        stacks.delete(host);
        if (c.exitCode === null && c.signalCode === null) {
          const gone = new Promise((r) => c.once('exit', r));
          c.kill('SIGKILL');
          await gone;
        }
      },
      nft: (statements) => topo.applyNft(topo.client, nftOutputRules(statements)),
      async check(args, opts = {}) {
        const argv = ['check', ...args, '--ca', caFile, '--timeout', String(TIMEOUT_S), '--json'];
        const run = opts.wrap
          ? await topo.runIn(topo.client, 'unshare', ['-m', 'sh', '-c', `${opts.wrap}\nexec "$0" "$@"`, process.execPath, CLI, ...argv], { timeoutMs: 40_000, env: cleanEnv(opts.env) })
          : await topo.runIn(topo.client, process.execPath, [CLI, ...argv], { timeoutMs: 40_000, env: cleanEnv(opts.env) });
        let report: Report;
        try {
          report = JSON.parse(run.stdout) as Report;
        } catch {
          throw new Error(`sendcheck did not print a JSON report (exit ${run.code}, timed out: ${run.timedOut}):\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);
        }
        return { run, report };
      },
      async destroy() {
        for (const h of [...stacks.keys()]) await lab.stopStack(h as 'server');
        await topo.destroy();
        rmSync(ca.dir, { recursive: true, force: true });
      },
    };
    return lab;
  } catch (err) {
    await topo.destroy();
    throw err;
  }
}

/** The plain server set-up: STARTTLS on 25 and 587, implicit TLS on 465, all on every address; `name` for the
 *  reference, which must not greet like the server (scripted servers all call themselves mail.demo.test). */
export function plainServers(c: CertFiles, name?: string): unknown[] {
  return [
    { host: '::', port: 25, mode: 'starttls', name, ...c },
    { host: '::', port: 587, mode: 'starttls', name, ...c },
    { host: '::', port: 465, mode: 'implicit-tls', name, ...c },
  ];
}

export function findingOf(report: Report, code: string) {
  const f = report.findings.find((x) => x.code === code);
  if (!f) throw new Error(`no finding ${code}; got: ${report.findings.map((x) => x.code).join(', ')}`);
  return f;
}
