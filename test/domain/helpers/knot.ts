// A throwaway Knot instance for one test file: its own config, rundir and storage in a temp directory, listening on
// a loopback address of the caller's choice, serving the given zone files. Stopped by PID (never by name).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DnsResolver } from '../../../src/net/resolver.js';

export interface KnotInstance {
  address: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function startKnot(opts: { address: string; port?: number; zones: { name: string; file: string }[]; zonesDir?: string }): Promise<KnotInstance> {
  const port = opts.port ?? 53;
  const dir = mkdtempSync(join(tmpdir(), 'sendcheck-knot-'));
  const conf = [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: ${opts.address}@${port}`,
    '    udp-workers: 2',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'log:',
    `  - target: "${join(dir, 'knot.log')}"`,
    '    any: warning',
    'database:',
    `    storage: "${join(dir, 'db')}"`,
    'template:',
    '  - id: default',
    '    semantic-checks: off',
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    'zone:',
    ...opts.zones.map((z) => `  - domain: "${z.name}."\n    file: "${z.file}"`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'knot.conf'), conf);
  const child: ChildProcess = spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const probe = new DnsResolver({ servers: [`${opts.address}:${port}`], timeoutMs: 300 });
  for (let i = 0; i < 100; i++) {
    const z = opts.zones[opts.zones.length - 1]!.name;
    const r = await probe.withServers([`${opts.address}:${port}`]).query('SOA', z); // fresh cache each try
    if (r.ok) break;
    if (child.exitCode !== null) throw new Error(`knotd exited with ${child.exitCode} (see ${dir}/knot.log)`);
    await new Promise((r2) => setTimeout(r2, 100));
    if (i === 99) throw new Error(`knotd on ${opts.address}@${port} did not serve ${z} within 10 s`);
  }
  probe.cancel();
  return {
    address: opts.address, port, dir,
    async stop() {
      if (child.exitCode === null && child.pid) {
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
