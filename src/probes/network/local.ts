// Local evidence about the sender's machine, read from files only (no network, no metadata servers):
// proxy environment variables, processes listening on mail ports, container markers, DMI machine identity.
// Files, environment and clock come from the run's I/O seam (net/io.ts), so tests feed fixtures instead of /proc.
import type { Family } from '../../facts/types.js';
import type { ListenerHint, LocalHints, ProxyEnvHint } from '../../facts/network.js';
import type { Clock, LocalFiles, RunIo } from '../../net/io.js';
import { LIMITS } from '../../net/limits.js';

/** One environment variable (RunIo.env). */
type EnvLookup = (name: string) => string | undefined;

const PROXY_VARS = ['http_proxy', 'https_proxy', 'all_proxy', 'ftp_proxy', 'socks_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'FTP_PROXY', 'SOCKS_PROXY'];
export const LISTENER_PORTS = [25, 465, 587];
const DMI_FIELDS = ['sys_vendor', 'product_name', 'product_version', 'bios_vendor', 'bios_version', 'chassis_asset_tag', 'board_vendor'];

/**
 * A proxy setting reduced to scheme://host:port: user:password is replaced by a marker, and any path or query (where
 * tokens sometimes hide) is dropped. Secrets never reach a report.
 */
export function redactProxyValue(value: string): string {
  const v = value.trim();
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:([^@/\s]*)@)?(\[[^\]]*\]|[^/:?#\s]*)(?::(\d+))?/i.exec(v);
  if (!m || !m[3]) return '(unparsable value hidden)';
  return `${m[1] ? `${m[1]}://` : ''}${m[2] !== undefined ? '[credentials removed]@' : ''}${m[3]}${m[4] ? `:${m[4]}` : ''}${v.length > m[0].length ? '/…' : ''}`.slice(0, 200);
}

export function proxyEnv(env: EnvLookup): ProxyEnvHint[] {
  const out: ProxyEnvHint[] = [];
  for (const name of PROXY_VARS) {
    const v = env(name);
    if (v && v.trim()) out.push({ name, value: redactProxyValue(v.trim()) });
  }
  return out;
}

function hexToV4(hex: string): string {
  // /proc/net/tcp stores the address as a host-order (little-endian here) 32-bit word.
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

function hexToV6(hex: string): string {
  // Four host-order 32-bit words; the URL parser gives the canonical (RFC 5952) text form.
  const groups: string[] = [];
  for (let i = 0; i < 4; i++) {
    const bytes = hex.slice(i * 8, i * 8 + 8).match(/../g)!.reverse().join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Sockets in LISTEN state on a mail port, from /proc/net/tcp and tcp6 (this network namespace only). */
export function mailPortListeners(files: LocalFiles, procNet = '/proc/net', ports = LISTENER_PORTS): (ListenerHint & { inode: string })[] {
  const out: (ListenerHint & { inode: string })[] = [];
  for (const [file, family] of [['tcp', 4], ['tcp6', 6]] as const) {
    const text = files.readFile(`${procNet}/${file}`, LIMITS.maxSocketTableBytes);
    if (text === undefined) continue;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const [addrHex, portHex] = cols[1]!.split(':');
      const port = parseInt(portHex!, 16);
      if (!ports.includes(port)) continue;
      out.push({ address: family === 4 ? hexToV4(addrHex!) : hexToV6(addrHex!), port, family: family as Family, inode: cols[9]! });
    }
  }
  return out;
}

/** Maps socket inodes to "name (pid N)" by scanning /proc/<pid>/fd; bounded in time, best effort (needs privileges). */
export function ownersOf(files: LocalFiles, clock: Clock, inodes: Set<string>, budgetMs = 300, proc = '/proc'): Map<string, string> {
  const found = new Map<string, string>();
  if (!inodes.size) return found;
  const t0 = clock.monotonic();
  const pids = files.listDir(proc)?.filter((d) => /^\d+$/.test(d));
  if (!pids) return found;
  for (const pid of pids) {
    if (clock.monotonic() - t0 > budgetMs || found.size === inodes.size) break;
    for (const fd of files.listDir(`${proc}/${pid}/fd`) ?? []) {
      const m = /^socket:\[(\d+)\]$/.exec(files.readLink(`${proc}/${pid}/fd/${fd}`) ?? '');
      if (m && inodes.has(m[1]!) && !found.has(m[1]!)) {
        // A process gone since its fd was listed has no name left.
        const comm = files.readFile(`${proc}/${pid}/comm`, LIMITS.maxLocalFileBytes)?.trim() ?? '?';
        found.set(m[1]!, `${comm} (pid ${pid})`);
      }
    }
  }
  return found;
}

/** Markers of a container runtime: Docker/Podman marker files, container cgroups of PID 1, a container env var. */
export function containerEvidence(files: LocalFiles, env: EnvLookup): string[] {
  const out: string[] = [];
  if (files.exists('/.dockerenv')) out.push('/.dockerenv exists (Docker)');
  if (files.exists('/run/.containerenv')) out.push('/run/.containerenv exists (Podman)');
  const cg = files.readFile('/proc/1/cgroup', LIMITS.maxLocalFileBytes);
  const m = cg && /(docker|kubepods|containerd|libpod|lxc|crio)[^\n]*/i.exec(cg);
  if (m) out.push(`/proc/1/cgroup: ${m[0].slice(0, 120)}`);
  const container = env('container');
  if (container) out.push(`environment: container=${container.slice(0, 40)}`);
  if (env('KUBERNETES_SERVICE_HOST')) out.push('environment: KUBERNETES_SERVICE_HOST is set (Kubernetes pod)');
  return out;
}

export function dmiIdentity(files: LocalFiles, dir = '/sys/class/dmi/id'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of DMI_FIELDS) {
    const v = files.readFile(`${dir}/${f}`, LIMITS.maxLocalFileBytes)?.trim();
    if (v) out[f] = v.slice(0, 100);
  }
  return out;
}

/** `identifyOwners`: also find which process holds each listener (scans /proc/<pid>/fd; skipped when irrelevant). */
export function collectLocalHints(io: Pick<RunIo, 'files' | 'env' | 'clock'>, identifyOwners = true): LocalHints {
  const raw = mailPortListeners(io.files);
  const owners = identifyOwners ? ownersOf(io.files, io.clock, new Set(raw.map((l) => l.inode))) : new Map<string, string>();
  return {
    proxyEnv: proxyEnv(io.env),
    listeners: raw.map(({ inode, ...l }) => ({ ...l, process: owners.get(inode) })),
    container: containerEvidence(io.files, io.env),
    dmi: dmiIdentity(io.files),
  };
}
