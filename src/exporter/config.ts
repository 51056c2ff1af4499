// The exporter's configuration file (YAML): modules, each a kind of probe with its settings, and the exporter's
// own limits. Secrets come from a file or an environment variable named here, never from a URL or a label.
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { UserError } from '../errors.js';
import { readBounded } from '../input/read-bounded.js';

export type ModuleKind = 'submission' | 'domain' | 'network' | 'roundtrip';

export interface ModuleConfig {
  name: string;
  kind: ModuleKind;
  port?: number;
  security?: string;
  user?: string;
  /** Read when a probe runs (a rotated password needs no restart); never logged, never a label. */
  passwordFile?: string;
  passwordEnv?: string;
  caFiles: string[];
  resolvers: string[];
  timeoutMs: number;
  sweepPorts?: number[];
  /** network: the reference endpoints ("host:port[,port]") the path is compared with. */
  references: string[];
  /** domain: sending IPs and extra blocklists; roundtrip: the account's IMAP server. */
  ips: string[];
  blocklists: string[];
  defaultBlocklists: boolean;
  imap?: string;
  waitSeconds?: number;
  /** The shortest time between two real probes of one target with this module; scrapes in between get the last
   * result again. */
  minIntervalMs: number;
  /** A digest of everything above (and the secret's file or variable contents at load): a changed config lifts a
   * credential back-off. */
  digest: string;
}

export interface ExporterConfig {
  modules: Map<string, ModuleConfig>;
  /** Probes running at once, over every module and target. */
  concurrency: number;
  /** After a credential rejection, no AUTH for this account for this long (default one hour). */
  authBackoffMs: number;
  listen?: string;
}

export const MAX_CONFIG_BYTES = 256 * 1024;
export const MAX_MODULES = 200;
const MAX_SECRET_BYTES = 4096;
const KINDS: ModuleKind[] = ['submission', 'domain', 'network', 'roundtrip'];
const DEFAULT_INTERVAL_MS: Record<ModuleKind, number> = { submission: 60_000, domain: 300_000, network: 60_000, roundtrip: 15 * 60_000 };

/** "90s", "15m", "1h", "500ms" or a number of seconds → milliseconds. */
export function parseDuration(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v * 1000;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim()) : null;
  if (!m) throw new UserError('usage', `${what}: "${String(v).slice(0, 40)}" is not a duration (e.g. 30s, 15m, 1h)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function strings(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) throw new UserError('usage', `${what}: expected a list of strings`);
  return list.map(String);
}

function moduleFrom(name: string, raw: Record<string, unknown>): ModuleConfig {
  const kind = (raw.kind ?? raw.prober ?? name) as ModuleKind;
  if (!KINDS.includes(kind)) throw new UserError('usage', `module ${name}: kind must be one of ${KINDS.join(', ')}`);
  const known = new Set(['kind', 'prober', 'port', 'security', 'user', 'password_file', 'password_env', 'ca_file', 'resolvers', 'timeout', 'sweep_ports', 'reference', 'ip', 'blocklists', 'default_blocklists', 'imap', 'wait', 'min_interval', 'password']);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new UserError('usage', `module ${name}: unknown setting "${k.slice(0, 40)}"`);
  if ('password' in raw) throw new UserError('usage', `module ${name}: a password does not belong in the config file: use password_file or password_env`);
  const m: ModuleConfig = {
    name,
    kind,
    port: raw.port !== undefined ? Number(raw.port) : undefined,
    security: raw.security !== undefined ? String(raw.security) : undefined,
    user: raw.user !== undefined ? String(raw.user) : undefined,
    passwordFile: raw.password_file !== undefined ? String(raw.password_file) : undefined,
    passwordEnv: raw.password_env !== undefined ? String(raw.password_env) : undefined,
    caFiles: strings(raw.ca_file, `module ${name} ca_file`),
    resolvers: strings(raw.resolvers, `module ${name} resolvers`),
    timeoutMs: raw.timeout !== undefined ? parseDuration(raw.timeout, `module ${name} timeout`) : 5000,
    sweepPorts: raw.sweep_ports !== undefined ? strings(raw.sweep_ports, `module ${name} sweep_ports`).map(Number) : undefined,
    references: strings(raw.reference, `module ${name} reference`),
    ips: strings(raw.ip, `module ${name} ip`),
    blocklists: strings(raw.blocklists, `module ${name} blocklists`),
    defaultBlocklists: raw.default_blocklists !== false,
    imap: raw.imap !== undefined ? String(raw.imap) : undefined,
    waitSeconds: raw.wait !== undefined ? parseDuration(raw.wait, `module ${name} wait`) / 1000 : undefined,
    minIntervalMs: raw.min_interval !== undefined ? parseDuration(raw.min_interval, `module ${name} min_interval`) : DEFAULT_INTERVAL_MS[kind],
    digest: '',
  };
  if (m.port !== undefined && !(Number.isInteger(m.port) && m.port > 0 && m.port < 65536)) throw new UserError('usage', `module ${name}: port must be 1-65535`);
  if (m.timeoutMs < 500 || m.timeoutMs > 60_000) throw new UserError('usage', `module ${name}: timeout must be between 0.5s and 60s`);
  if (m.kind === 'roundtrip' && !(m.user && (m.passwordFile || m.passwordEnv))) throw new UserError('usage', `module ${name}: a round trip needs user and password_file or password_env`);
  if (m.kind === 'roundtrip' && m.minIntervalMs < 5 * 60_000) throw new UserError('usage', `module ${name}: a round trip sends a real message: min_interval must be at least 5m`);
  if ((m.passwordFile || m.passwordEnv) && !m.user) throw new UserError('usage', `module ${name}: a password needs a user`);
  m.digest = createHash('sha256').update(JSON.stringify({ ...m, digest: '', secret: secretDigest(m) })).digest('hex');
  return m;
}

function secretDigest(m: ModuleConfig): string {
  const s = readSecret(m, true);
  return s === undefined ? '' : createHash('sha256').update(s).digest('hex');
}

/** The module's password, read now (file or environment); undefined when it has none. */
export function readSecret(m: ModuleConfig, lenient = false): string | undefined {
  try {
    if (m.passwordEnv) {
      const v = process.env[m.passwordEnv];
      if (v === undefined) throw new UserError('usage', `module ${m.name}: environment variable ${m.passwordEnv} is not set`);
      return v;
    }
    if (m.passwordFile) return readBounded(m.passwordFile, MAX_SECRET_BYTES, `module ${m.name} password_file`).toString('utf8').replace(/\r?\n$/, '');
  } catch (e) {
    if (lenient) return undefined;
    throw e instanceof UserError ? e : new UserError('usage', `module ${m.name}: cannot read ${m.passwordFile}`);
  }
  return undefined;
}

export function parseExporterConfig(text: string): ExporterConfig {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new UserError('usage', `config: not valid YAML: ${String((e as Error).message).split('\n')[0]!.slice(0, 160)}`);
  }
  const root = (doc ?? {}) as Record<string, unknown>;
  if (typeof root !== 'object' || Array.isArray(root)) throw new UserError('usage', 'config: expected a mapping with "modules"');
  const rawModules = (root.modules ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(rawModules);
  if (!names.length) throw new UserError('usage', 'config: no modules defined');
  if (names.length > MAX_MODULES) throw new UserError('usage', `config: more than ${MAX_MODULES} modules`);
  const modules = new Map<string, ModuleConfig>();
  for (const n of names) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(n)) throw new UserError('usage', `config: module name "${n.slice(0, 40)}" may only use letters, digits, _ . -`);
    modules.set(n, moduleFrom(n, rawModules[n] ?? {}));
  }
  const concurrency = root.concurrency !== undefined ? Number(root.concurrency) : 4;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) throw new UserError('usage', 'config: concurrency must be 1-64');
  return {
    modules,
    concurrency,
    authBackoffMs: root.auth_backoff !== undefined ? parseDuration(root.auth_backoff, 'auth_backoff') : 3_600_000,
    listen: root.listen !== undefined ? String(root.listen) : undefined,
  };
}

export function loadExporterConfig(path: string): ExporterConfig {
  return parseExporterConfig(readBounded(path, MAX_CONFIG_BYTES, `--config ${path}`).toString('utf8'));
}
