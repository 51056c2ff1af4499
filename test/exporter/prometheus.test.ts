// The exporter scraped by the real thing: Debian's Prometheus, relabelled as examples/monitoring/prometheus.yml
// does, against the lab's Postfix (healthy, wrong password), a closed port and a server with an expired certificate;
// the series asserted through Prometheus's HTTP API. The back-off: after a rejection, no later probe sends a
// password. promtool checks the shipped config and unit-tests every shipped alert.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExporterConfig } from '../../src/exporter/config.js';
import { startExporter, type Engine } from '../../src/exporter/server.js';
import { check, domain, roundtrip } from '../../src/index.js';
import { closedPort, startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { labUser, loadLabEnv, repoRoot } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('prometheus');
const EXAMPLES = join(repoRoot, 'examples/monitoring');
const lab = loadLabEnv();
const alice = labUser(lab);
let expired: RunningServer;
let exporter: Awaited<ReturnType<typeof startExporter>>;
let prometheus: ChildProcess;
let promUrl = '';
const passwordsSent: Record<string, number> = {};

async function freePort(): Promise<number> {
  return closedPort('127.0.0.1');
}

async function query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${promUrl}api/v1/query?query=${encodeURIComponent(q)}`);
  return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
}

async function eventually<T>(q: string, ok: (r: Awaited<ReturnType<typeof query>>) => T | undefined, ms = 60_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    const r = await query(q).catch(() => []);
    last = r;
    const v = ok(r);
    if (v !== undefined) return v;
    await new Promise((r2) => setTimeout(r2, 500));
  }
  throw new Error(`no result for ${q}: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  expired = await startScriptedSmtp({ mode: 'starttls', cert: 'expired', user: 'u@example.test', password: 'pw' });
  writeFileSync(join(dir, 'alice.pw'), alice.password);
  writeFileSync(join(dir, 'wrong.pw'), 'not-the-password\n');
  const closed = await freePort();
  const cfg = parseExporterConfig(`
auth_backoff: 1h
modules:
  healthy: { kind: submission, port: ${lab.ports.submission}, security: starttls, user: ${alice.user}, password_file: ${join(dir, 'alice.pw')}, ca_file: ${lab.caFile}, sweep_ports: [${lab.ports.submission}], min_interval: 1s }
  wrongpw: { kind: submission, port: ${lab.ports.submission}, security: starttls, user: ${alice.user}, password_file: ${join(dir, 'wrong.pw')}, ca_file: ${lab.caFile}, sweep_ports: [${lab.ports.submission}], min_interval: 1s }
  closed: { kind: submission, port: ${closed}, security: starttls, sweep_ports: [${closed}], min_interval: 1s, timeout: 2s }
  expired: { kind: submission, port: ${expired.port}, security: starttls, ca_file: ${join(repoRoot, 'assets/demo-certs/ca.pem')}, sweep_ports: [${expired.port}], min_interval: 1s }
`);
  // The library engine, watched: how many probes of each module carried a password (one AUTH attempt each).
  const engine: Engine = {
    check: (input, o) => {
      // The wrong password is the wrongpw module's alone: each probe carrying it makes one AUTH attempt.
      if (input.password === 'not-the-password') passwordsSent.wrongpw = (passwordsSent.wrongpw ?? 0) + 1;
      return check(input as never, o);
    },
    roundtrip: (input, rt, o) => roundtrip(input as never, rt as never, o),
    domain: (input) => domain(input as never),
  };
  exporter = await startExporter(cfg, engine, '127.0.0.1:0');
  const exporterAddr = new URL(exporter.url).host;
  const job = (module: string, target: string) => `
  - job_name: ${module}
    metrics_path: /probe
    params: { module: [${module}] }
    static_configs: [{ targets: ['${target}'] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: '${exporterAddr}' }`;
  writeFileSync(join(dir, 'prometheus.yml'), `global: { scrape_interval: 3s, scrape_timeout: 3s, evaluation_interval: 1s }
scrape_configs:${job('healthy', lab.smtpHost)}${job('wrongpw', lab.smtpHost)}${job('closed', '127.0.0.1')}${job('expired', '127.0.0.1')}
  - job_name: exporter
    static_configs: [{ targets: ['${exporterAddr}'] }]
`);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}/`;
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
}, 60_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await exporter?.close();
  await expired?.close();
});

describe('sendcheck exporter scraped by Prometheus', () => {
  it('reports a healthy submission server as working, with its TLS version and login', async () => {
    await eventually('probe_success{job="healthy"}', (r) => (r[0]?.value[1] === '1' ? true : undefined));
    const auth = await eventually('sendcheck_auth_accepted{job="healthy"}', (r) => r[0]?.value[1]);
    expect(auth).toBe('1');
    const tls = await eventually('sendcheck_tls_version_info{job="healthy"}', (r) => r[0]?.metric.version);
    expect(tls).toMatch(/^TLSv1\.[23]$/);
  });

  it('names a rejected password as the root cause, and logs in only once however often it is scraped', async () => {
    const code = await eventually('sendcheck_root_cause{job="wrongpw"} == 1', (r) => r[0]?.metric.code);
    expect(code).toBe('auth.credentials-rejected');
    expect(await eventually('probe_success{job="wrongpw"}', (r) => r[0]?.value[1])).toBe('0');
    await eventually('sendcheck_auth_backoff_seconds{job="wrongpw"} > 0', (r) => (r.length ? true : undefined));
    // Several more scrapes (3 s interval, 1 s min_interval: each one a new probe): none with the password again.
    const before = passwordsSent.wrongpw ?? 0;
    await eventually('sum(sendcheck_exporter_probes_total{module="wrongpw"})', (r) => (Number(r[0]?.value[1]) >= 3 ? true : undefined));
    expect(before).toBe(1);
    expect(passwordsSent.wrongpw).toBe(1);
    expect(await eventually('probe_success{job="wrongpw"}', (r) => r[0]?.value[1])).toBe('0');
  });

  it('reports a closed port and an expired certificate as blocked, with their causes', async () => {
    expect(await eventually('probe_success{job="closed"}', (r) => r[0]?.value[1])).toBe('0');
    const closedCause = await eventually('sendcheck_root_cause{job="closed"} == 1', (r) => r[0]?.metric.category);
    expect(['server-settings', 'firewall', 'port-blockage']).toContain(closedCause);
    const code = await eventually('sendcheck_root_cause{job="expired"} == 1', (r) => r[0]?.metric.code);
    expect(code).toBe('tls.certificate-expired');
    const expiry = Number(await eventually('sendcheck_certificate_expiry_timestamp_seconds{job="expired"}', (r) => r[0]?.value[1]));
    expect(expiry).toBeLessThan(Date.now() / 1000);
  });

  it('exposes its own metrics (probes run, in flight, back-offs)', async () => {
    const n = await eventually('sum(sendcheck_exporter_probes_total)', (r) => (Number(r[0]?.value[1]) > 0 ? Number(r[0]!.value[1]) : undefined));
    expect(n).toBeGreaterThan(0);
    expect(await eventually('sendcheck_exporter_auth_backoffs', (r) => r[0]?.value[1])).toBe('1');
  });
});

describe('the shipped monitoring files', () => {
  it('promtool accepts the example Prometheus config and its rules', () => {
    const r = spawnSync('promtool', ['check', 'config', join(EXAMPLES, 'prometheus.yml')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('promtool unit tests every shipped alert', () => {
    const r = spawnSync('promtool', ['test', 'rules', join(EXAMPLES, 'alerts.test.yml')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const alerts = [...spawnSync('sh', ['-c', `grep -o 'alert: [A-Za-z]*' ${join(EXAMPLES, 'alerts.yml')}`], { encoding: 'utf8' }).stdout.matchAll(/alert: (\w+)/g)].map((m) => m[1]);
    const tested = spawnSync('sh', ['-c', `cat ${join(EXAMPLES, 'alerts.test.yml')}`], { encoding: 'utf8' }).stdout;
    for (const a of alerts) expect(tested, `alert ${a} has a unit test`).toContain(`alertname: ${a}`);
  });
});
