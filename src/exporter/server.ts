// `sendcheck exporter`: the Prometheus multi-target exporter pattern. GET /probe?module=M&target=T runs one check
// with module M's settings and answers its metrics; GET /metrics answers the exporter's own. A good citizen: bounded
// concurrency, a minimum interval per module and target (scrapes in between get the last answer again), the probe's
// deadline from Prometheus's X-Prometheus-Scrape-Timeout-Seconds, and never a second AUTH for an account whose
// credentials were just rejected (a monitor must not lock the account it watches).
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isUserError } from '../errors.js';
import { readCaFile } from '../input/read-bounded.js';
import { LIMITS } from '../net/limits.js';
import type { Report } from '../report/types.js';
import { readSecret, type ExporterConfig, type ModuleConfig } from './config.js';
import { probeRegistry } from './metrics.js';

export interface Engine {
  check(input: Record<string, unknown>, options: { signal?: AbortSignal }): Promise<Report>;
  roundtrip(input: Record<string, unknown>, rt: Record<string, unknown>, options: { signal?: AbortSignal }): Promise<Report>;
  domain(input: Record<string, unknown>): Promise<Report>;
}

interface Last {
  at: number;
  report?: Report;
  seconds: number;
  error?: string;
}

const TARGET = /^[A-Za-z0-9._@+:[\]-]{1,254}$/;

/** A check's input for a module and a target, without the password when the account is backing off. */
function checkInput(m: ModuleConfig, target: string, password: string | undefined, timeoutMs: number): Record<string, unknown> {
  return {
    target,
    port: m.port,
    security: m.security,
    user: m.user,
    password,
    ca: m.caFiles.map((f) => readCaFile(f, LIMITS.maxCaBytes)),
    resolvers: m.resolvers,
    timeoutMs,
    sweepPorts: m.sweepPorts,
    options: { domain: false, network: m.kind === 'network' ? { references: m.references } : { noReference: true } },
  };
}

export class Exporter {
  readonly registry = new Registry();
  private readonly last = new Map<string, Last>();
  private readonly backoffUntil = new Map<string, number>();
  private readonly rejectedBy = new Map<string, Report>();
  private readonly running = new Map<string, Promise<Last>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly probes = new Counter({ name: 'sendcheck_exporter_probes_total', help: 'Probes run (not answered from the minimum-interval cache), by module and result', labelNames: ['module', 'result'], registers: [this.registry] });
  private readonly cachedAnswers = new Counter({ name: 'sendcheck_exporter_cached_answers_total', help: 'Scrapes answered with the last result within the module\'s min_interval', labelNames: ['module'], registers: [this.registry] });
  private readonly durations = new Histogram({ name: 'sendcheck_exporter_probe_duration_seconds', help: 'Duration of the probes run', labelNames: ['module'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry] });
  private readonly errors = new Counter({ name: 'sendcheck_exporter_probe_errors_total', help: 'Probes that could not run (bad target or config, internal error)', labelNames: ['module'], registers: [this.registry] });
  private readonly inFlight = new Gauge({ name: 'sendcheck_exporter_probes_in_flight', help: 'Probes running now', registers: [this.registry] });
  private readonly backoffs = new Gauge({ name: 'sendcheck_exporter_auth_backoffs', help: 'Accounts not logged in to now, after a credential rejection', registers: [this.registry] });

  constructor(private readonly cfg: ExporterConfig, private readonly engine: Engine, private readonly now: () => number = Date.now) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sendcheck_exporter_' });
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.cfg.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.inFlight.set(this.active);
    try {
      return await fn();
    } finally {
      this.active--;
      this.inFlight.set(this.active);
      this.waiting.shift()?.();
    }
  }

  private backoffSeconds(account: string): number {
    const until = this.backoffUntil.get(account) ?? 0;
    const left = Math.max(0, Math.ceil((until - this.now()) / 1000));
    if (!left) {
      this.backoffUntil.delete(account);
      this.rejectedBy.delete(account);
    }
    this.backoffs.set(this.backoffUntil.size);
    return left;
  }

  /** The metrics text for one scrape. */
  async probe(moduleName: string, target: string, scrapeTimeoutSeconds?: number): Promise<string> {
    const m = this.cfg.modules.get(moduleName)!;
    const key = `${moduleName}\0${target}`;
    // The account is the module's settings (digest includes the secret) at this target: a changed config lifts it.
    const account = `${m.digest}\0${target}`;
    const prev = this.last.get(key);
    if (prev && this.now() - prev.at < m.minIntervalMs) {
      this.cachedAnswers.inc({ module: moduleName });
      return probeRegistry(prev.report, prev.seconds, { module: moduleName, cached: true, authBackoffSeconds: this.backoffSeconds(account), error: prev.error, rejectedBy: this.rejectedBy.get(account) }).metrics();
    }
    // Two scrapes of one target at once (two Prometheus replicas) share one probe: never two logins.
    let run = this.running.get(key);
    if (!run) {
      run = this.slot(() => this.runProbe(m, target, account, scrapeTimeoutSeconds)).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    const done = await run;
    return probeRegistry(done.report, done.seconds, { module: moduleName, cached: false, authBackoffSeconds: this.backoffSeconds(account), error: done.error, rejectedBy: this.rejectedBy.get(account) }).metrics();
  }

  private async runProbe(m: ModuleConfig, target: string, account: string, scrapeTimeoutSeconds?: number): Promise<Last> {
    const t0 = performance.now();
    // Answer before Prometheus gives up: the whole probe ends half a second before the scrape timeout.
    const budgetMs = scrapeTimeoutSeconds ? Math.max(1000, scrapeTimeoutSeconds * 1000 - 500) : undefined;
    const signal = budgetMs ? AbortSignal.timeout(budgetMs) : undefined;
    const stepMs = budgetMs ? Math.min(m.timeoutMs, Math.max(500, Math.floor(budgetMs / LIMITS.runDeadlineSteps))) : m.timeoutMs;
    let result: Last;
    try {
      const password = this.backoffSeconds(account) > 0 ? undefined : readSecret(m);
      let report: Report;
      if (m.kind === 'domain') {
        report = await this.engine.domain({ domain: target, ips: m.ips, blocklists: m.blocklists, defaultBlocklists: m.defaultBlocklists, resolvers: m.resolvers, timeoutMs: stepMs, propagation: true });
      } else if (m.kind === 'roundtrip' && password !== undefined) {
        report = await this.engine.roundtrip(checkInput(m, target, password, stepMs), { imap: m.imap, waitSeconds: m.waitSeconds }, { signal });
      } else {
        report = await this.engine.check(checkInput(m, target, password, stepMs), { signal });
      }
      const auth = report.facts.session?.auth;
      if (auth?.attempted && !auth.accepted && (auth.reply?.code ?? 0) >= 500) {
        this.backoffUntil.set(account, this.now() + this.cfg.authBackoffMs);
        this.rejectedBy.set(account, report);
      }
      result = { at: this.now(), report, seconds: (performance.now() - t0) / 1000 };
      this.probes.inc({ module: m.name, result: report.verdict === 'blocked' ? 'blocked' : 'ok' });
    } catch (e) {
      this.errors.inc({ module: m.name });
      result = { at: this.now(), seconds: (performance.now() - t0) / 1000, error: isUserError(e) ? e.message : 'internal error' };
    }
    this.durations.observe({ module: m.name }, result.seconds);
    this.last.set(`${m.name}\0${target}`, result);
    return result;
  }

  /** Handles one HTTP request. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://exporter.invalid');
    const text = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return text(405, 'only GET\n');
    if (url.pathname === '/metrics') return text(200, await this.registry.metrics(), this.registry.contentType);
    if (url.pathname === '/probe') {
      const moduleName = url.searchParams.get('module') ?? '';
      const target = url.searchParams.get('target') ?? '';
      if (!this.cfg.modules.has(moduleName)) return text(400, `unknown module "${moduleName.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}" (configured: ${[...this.cfg.modules.keys()].join(', ')})\n`);
      if (!TARGET.test(target)) return text(400, 'target must be a host name, an address or an email address\n');
      const header = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
      return text(200, await this.probe(moduleName, target, Number.isFinite(header) && header > 0 ? header : undefined), this.registry.contentType);
    }
    if (url.pathname === '/') {
      return text(200, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sendcheck exporter</title></head><body><main><h1>sendcheck exporter</h1><p><a href="/metrics">/metrics</a> · /probe?module=MODULE&amp;target=HOST</p><p>Modules: ${[...this.cfg.modules.values()].map((m) => `${m.name} (${m.kind})`).join(', ').replace(/[<&]/g, '')}</p></main></body></html>`, 'text/html; charset=utf-8');
    }
    return text(404, 'not found: /probe, /metrics\n');
  }
}

/** Listens on `listen` ("host:port"; loopback unless the operator says otherwise). */
export async function startExporter(cfg: ExporterConfig, engine: Engine, listen: string): Promise<{ url: string; exporter: Exporter; close(): Promise<void> }> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen ${listen}: expected HOST:PORT`);
  const exporter = new Exporter(cfg, engine);
  const server = http.createServer((req, res) => {
    exporter.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 600_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(m[2]), m[1], resolve);
  });
  const addr = server.address() as { address: string; port: number };
  const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return { url: `http://${host}:${addr.port}/`, exporter, close: () => new Promise((r) => server.close(() => r())) };
}
