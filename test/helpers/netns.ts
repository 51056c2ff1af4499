// Network-namespace topologies for tests that need real kernel behaviour (firewalls, resets, ICMP errors).
// Needs root, iproute2 (`ip`) and nftables (`nft`). No dependencies beyond node:*.
//
// Design (no bridge): one "client" namespace with a veth pair to each host namespace; pair i is its own /30
// (10.200.i.0/30: client .1, host .2) and, with ipv6, its own /64 (fd00:200:<i in hex>::/64: client ::1, host ::2).
// These addresses exist only inside the namespaces; nothing touches the root namespace's interfaces or routes
// (veth ends are created directly inside the namespaces, so interface names never clash between topologies).
//
//   const topo = await createTopology({ name: 'fw', hosts: ['server', 'reference'], ipv6: true });
//   afterAll(() => topo.destroy());
//   const srv = topo.spawnIn(topo.ns.server, process.execPath, [scriptPath, ...args]);
//   await waitForOutput(srv, /listening/);
//   await topo.applyNft(topo.client, nftOutputRules(['tcp dport 25 drop']));
//   const r = await runIn(topo.client, process.execPath, ['dist/cli/main.js', ...], { timeoutMs: 10_000 });
//
// nftables rule texts verified by test/interop/netns.test.ts (client namespace, output chain, inet table; kernel 6.18,
// nft 1.0.6), outcome as seen by Node's net.connect() in the client namespace:
//   tcp dport 25 drop                                                        -> no answer: connect times out (v4+v6)
//   tcp dport 25 reject with tcp reset                                       -> ECONNREFUSED at once (v4+v6)
//   ip daddr 10.200.0.2 tcp dport 587 reject with icmp type admin-prohibited -> EHOSTUNREACH at once
//   ip daddr 10.200.0.2 tcp dport 587 reject with icmp type host-unreachable -> EHOSTUNREACH at once
//   ip daddr 10.200.0.2 tcp dport 587 reject with icmp type net-unreachable  -> ENETUNREACH at once
//   ip daddr 10.200.0.2 tcp dport 587 reject with icmp type port-unreachable -> ECONNREFUSED at once
//   ip6 daddr fd00:200::2 tcp dport 587 reject with icmpv6 type admin-prohibited -> EACCES (not EHOSTUNREACH!)
//   ip6 daddr fd00:200::2 tcp dport 587 reject with icmpv6 type addr-unreachable -> EHOSTUNREACH
//   ip6 daddr fd00:200::2 tcp dport 587 reject with icmpv6 type no-route         -> ENETUNREACH
//   ip6 daddr fd00:200::2 tcp dport 587 reject with icmpv6 type port-unreachable -> ECONNREFUSED
//   tcp dport 587 reject with icmpx type admin-prohibited                    -> v4 EHOSTUNREACH, v6 EACCES
// IPv6 caveat: the ICMPv6 errors above reach the socket at once but connect() only fails when the first SYN
// retransmission timer fires, about 1 s later (same with the reject in the server namespace's input chain). A probe
// with a connect timeout under ~1.1 s sees a plain timeout on IPv6. IPv4 ICMP errors fail connect() within ~2 ms.
// The same statements in the *server* namespace's input chain (nftOutputRules([], [...])) give the same errnos.
// Rules go in a file with one statement per line (nftOutputRules() builds one); the one-line `{ ...; }` form was
// refused on this machine.
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Every namespace this module creates is named `${NS_PREFIX}<pid>-<thread>-<seq>-<name>-<host>`. */
export const NS_PREFIX = 'sct-';

export interface HostSpec {
  name: string;
  /** extra IPv4 addresses (no prefix) put on the host's lo; the client routes them via this host's link */
  extraAddresses?: string[];
  /** extra IPv6 addresses (no prefix), same treatment (needs ipv6: true) */
  extraAddresses6?: string[];
}

export interface TopologyOptions {
  /** short label, part of the namespace names (sanitised to [a-z0-9_]) */
  name: string;
  /** namespaces connected to the client namespace, e.g. ['server', 'reference'] */
  hosts: Array<string | HostSpec>;
  /** also give every link an IPv6 /64 (addresses added with nodad: usable at once) */
  ipv6?: boolean;
  /** name of the host whose link carries the client's default route(s); without it the client has only on-link
   *  routes (plus extra-address routes) and anything else fails with ENETUNREACH */
  defaultVia?: string;
  /** content for the client's /etc/resolv.conf inside the namespace (via /etc/netns/<ns>/resolv.conf) */
  clientResolvConf?: string;
}

export interface Link {
  host: string;
  /** the host's namespace */
  ns: string;
  index: number;
  /** interface name inside the client namespace */
  clientIf: string;
  /** interface name inside the host namespace */
  hostIf: string;
  clientAddr: string;
  hostAddr: string;
  prefixLen: number;
  clientAddr6?: string;
  hostAddr6?: string;
  prefixLen6?: number;
  extraAddresses: string[];
  extraAddresses6: string[];
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** kill (SIGKILL) after this long; default 30 s */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

export interface Topology {
  name: string;
  /** the client namespace */
  client: string;
  /** logical name -> namespace name; includes "client" */
  ns: Record<string, string>;
  /** host name -> link between the client and that host */
  links: Record<string, Link>;
  /** all namespaces of this topology, client first */
  namespaces: string[];
  /** IPv4 address of a host as seen from the client */
  addr(host: string): string;
  /** IPv6 address of a host as seen from the client (throws without ipv6) */
  addr6(host: string): string;
  applyNft(ns: string, rulesText: string): Promise<void>;
  execIn(ns: string, cmd: string, args?: string[]): Promise<{ stdout: string; stderr: string }>;
  spawnIn(ns: string, cmd: string, args?: string[], options?: SpawnOptions): ChildProcess;
  runIn(ns: string, cmd: string, args?: string[], options?: RunOptions): Promise<RunResult>;
  /** kill every process in the namespaces, delete them; idempotent */
  destroy(): Promise<void>;
  /** synchronous variant (used from process 'exit') */
  destroySync(): void;
  readonly destroyed: boolean;
}

// ---------------------------------------------------------------------------------------------------------------------
// low-level helpers

function run(cmd: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const e = new Error(`${cmd} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`);
        (e as Error & { cause?: unknown }).cause = err;
        reject(e);
      } else {
        resolve({ stdout: String(stdout), stderr: String(stderr) });
      }
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/** Processes started by spawnIn/runIn (any namespace), so that destroy()/exit can stop them. */
const tracked = new Map<number, { ns: string; child: ChildProcess }>();

function track(ns: string, child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  tracked.set(pid, { ns, child });
  child.once('exit', () => tracked.delete(pid));
}

function nsPidsSync(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kill every process in ns (tracked ones, and anything `ip netns pids` finds), then delete ns. Sync, never throws. */
function deleteNamespaceSync(ns: string): void {
  for (const [pid, t] of tracked) {
    if (t.ns === ns) killPid(pid);
  }
  for (const pid of nsPidsSync(ns)) killPid(pid);
  try {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    /* not there */
  }
  try {
    rmSync(join('/etc/netns', ns), { recursive: true, force: true });
  } catch {
    /* ignore */
  }
}

/** Names of the existing network namespaces (`ip netns list`). */
export function listNamespaces(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Delete namespaces left over by crashed runs: every namespace whose name starts with `prefix`, except (unless
 * `includeLive`) those whose creating process (the pid in `sct-<pid>-...`) is still alive, so that test files running
 * in parallel are not disturbed. Processes inside are killed first. Returns the deleted names.
 */
export function sweepStaleNamespaces(prefix: string = NS_PREFIX, opts: { includeLive?: boolean } = {}): string[] {
  const deleted: string[] = [];
  for (const ns of listNamespaces()) {
    if (!ns.startsWith(prefix)) continue;
    const m = /^sct-(\d+)-/.exec(ns);
    const owner = m ? Number(m[1]) : undefined;
    if (!opts.includeLive && owner !== undefined && (owner === process.pid || pidAlive(owner))) continue;
    deleteNamespaceSync(ns);
    deleted.push(ns);
  }
  return deleted;
}

/** Can this process create network namespaces (root, `ip` present)? For describe.skipIf. */
export function netnsSupported(): boolean {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// per-namespace operations (usable without a Topology)

/** Run a command inside ns; resolves with its output, rejects (with stderr in the message) on a non-zero exit. */
export function execIn(ns: string, cmd: string, args: string[] = []): Promise<{ stdout: string; stderr: string }> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args]);
}

/**
 * Load nftables rules into ns: `rulesText` is written to a temporary file and loaded with `nft -f` (one statement
 * per line; see nftOutputRules()). Throws with nft's message and the numbered rules on failure.
 */
export async function applyNft(ns: string, rulesText: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sct-nft-'));
  const file = join(dir, 'rules.nft');
  try {
    writeFileSync(file, rulesText.endsWith('\n') ? rulesText : `${rulesText}\n`);
    try {
      await run('ip', ['netns', 'exec', ns, 'nft', '-f', file]);
    } catch (err) {
      const numbered = rulesText
        .split('\n')
        .map((l, i) => `${String(i + 1).padStart(3)}  ${l}`)
        .join('\n');
      throw new Error(`${(err as Error).message}\nrules:\n${numbered}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A complete ruleset (replacing any previous one: it starts with `flush ruleset`) with one inet table whose output
 * chain holds `statements`, one per line, e.g. ['tcp dport 25 drop'] or
 * ['ip daddr 10.200.0.2 tcp dport 587 reject with icmp type admin-prohibited'].
 * `inputStatements`, if given, go into an input chain.
 */
export function nftOutputRules(statements: string[], inputStatements: string[] = []): string {
  const lines = ['flush ruleset', 'table inet sendcheck_test {', '\tchain output {'];
  lines.push('\t\ttype filter hook output priority filter; policy accept;');
  for (const s of statements) lines.push(`\t\t${s}`);
  lines.push('\t}');
  if (inputStatements.length > 0) {
    lines.push('\tchain input {', '\t\ttype filter hook input priority filter; policy accept;');
    for (const s of inputStatements) lines.push(`\t\t${s}`);
    lines.push('\t}');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Remove every nftables rule in ns. */
export function flushNft(ns: string): Promise<void> {
  return applyNft(ns, 'flush ruleset\n');
}

/**
 * Start a long-running process inside ns (`ip netns exec` execs the command, so child.pid is the command's own
 * pid). The process is tracked: destroy() and process exit kill it. Processes started in a namespace survive the
 * namespace's deletion otherwise.
 */
export function spawnIn(ns: string, cmd: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  track(ns, child);
  return child;
}

/** Run a command to completion inside ns (e.g. `node dist/cli/main.js ...`), with a hard timeout. Never rejects
 *  for a non-zero exit: inspect code/stdout/stderr. */
export function runIn(ns: string, cmd: string, args: string[] = [], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    track(ns, child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/** Resolve when the child's stdout (or stderr) matches `pattern`; reject on exit or after timeoutMs. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer | string): void => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        cleanup();
        resolve(m[0]);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`process exited (code ${code}, signal ${signal}) before printing ${pattern}; output:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output so far:\n${seen}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// topologies

const live = new Set<Topology>();
let exitHookInstalled = false;
let seq = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const t of live) t.destroySync();
  });
}

function sanitize(s: string, max: number): string {
  return s.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, max) || 'x';
}

/**
 * Create a client namespace plus one namespace per host, each host linked to the client by its own veth pair.
 * On any failure, whatever was created is deleted again before the error propagates.
 */
export async function createTopology(opts: TopologyOptions): Promise<Topology> {
  installExitHook();
  const label = sanitize(opts.name, 16);
  const id = `${NS_PREFIX}${process.pid}-${threadId}-${++seq}-${label}`;
  const specs: HostSpec[] = opts.hosts
    .map((h) => (typeof h === 'string' ? { name: h } : h))
    .filter((h) => h.name !== 'client');
  const names = new Set<string>();
  for (const h of specs) {
    if (names.has(h.name)) throw new Error(`createTopology: duplicate host ${h.name}`);
    names.add(h.name);
  }
  if (specs.length > 250) throw new Error('createTopology: too many hosts');
  if (opts.defaultVia !== undefined && !names.has(opts.defaultVia)) {
    throw new Error(`createTopology: defaultVia ${opts.defaultVia} is not a host`);
  }

  const client = `${id}-client`;
  const ns: Record<string, string> = { client };
  const links: Record<string, Link> = {};
  const namespaces = [client];
  let destroyed = false;

  const destroySync = (): void => {
    if (destroyed) return;
    destroyed = true;
    live.delete(topo);
    for (const n of namespaces) deleteNamespaceSync(n);
  };

  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    // Wait (briefly) for the tracked processes to be reaped, so nothing outlives the call.
    const exits: Promise<unknown>[] = [];
    for (const t of tracked.values()) {
      if (namespaces.includes(t.ns) && t.child.exitCode === null && t.child.signalCode === null) {
        exits.push(new Promise((r) => t.child.once('exit', r)));
      }
    }
    destroySync();
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 2000))]);
  };

  const topo: Topology = {
    name: opts.name,
    client,
    ns,
    links,
    namespaces,
    addr(host: string): string {
      const l = links[host];
      if (!l) throw new Error(`no host ${host} in topology ${opts.name}`);
      return l.hostAddr;
    },
    addr6(host: string): string {
      const l = links[host];
      if (!l) throw new Error(`no host ${host} in topology ${opts.name}`);
      if (!l.hostAddr6) throw new Error(`topology ${opts.name} was created without ipv6`);
      return l.hostAddr6;
    },
    applyNft,
    execIn,
    spawnIn,
    runIn,
    destroy,
    destroySync,
    get destroyed(): boolean {
      return destroyed;
    },
  };
  live.add(topo);

  try {
    await ip('netns', 'add', client);
    await ip('-n', client, 'link', 'set', 'lo', 'up');
    if (opts.ipv6) await sysctlIPv6(client);
    if (opts.clientResolvConf !== undefined) {
      mkdirSync(join('/etc/netns', client), { recursive: true });
      writeFileSync(join('/etc/netns', client, 'resolv.conf'), opts.clientResolvConf);
    }

    for (const [i, h] of specs.entries()) {
      const hostNs = `${id}-${sanitize(h.name, 16)}`;
      ns[h.name] = hostNs;
      namespaces.push(hostNs);
      await ip('netns', 'add', hostNs);
      await ip('-n', hostNs, 'link', 'set', 'lo', 'up');
      if (opts.ipv6) await sysctlIPv6(hostNs);

      const clientIf = `veth${i}`;
      const hostIf = 'eth0';
      // Both ends are created inside the namespaces: no name can clash in the root namespace.
      await ip('-n', client, 'link', 'add', clientIf, 'type', 'veth', 'peer', 'name', hostIf, 'netns', hostNs);
      const link: Link = {
        host: h.name,
        ns: hostNs,
        index: i,
        clientIf,
        hostIf,
        clientAddr: `10.200.${i}.1`,
        hostAddr: `10.200.${i}.2`,
        prefixLen: 30,
        extraAddresses: h.extraAddresses ?? [],
        extraAddresses6: h.extraAddresses6 ?? [],
      };
      await ip('-n', client, 'addr', 'add', `${link.clientAddr}/30`, 'dev', clientIf);
      await ip('-n', hostNs, 'addr', 'add', `${link.hostAddr}/30`, 'dev', hostIf);
      if (opts.ipv6) {
        // canonical text form (RFC 5952), as Node reports addresses: fd00:200::1, fd00:200:1::1, ..., fd00:200:a::1
        const net6 = i === 0 ? 'fd00:200:' : `fd00:200:${i.toString(16)}:`;
        link.clientAddr6 = `${net6}:1`;
        link.hostAddr6 = `${net6}:2`;
        link.prefixLen6 = 64;
        // nodad: usable immediately (a tentative address cannot be bound or used as a source)
        await ip('-n', client, 'addr', 'add', `${link.clientAddr6}/64`, 'dev', clientIf, 'nodad');
        await ip('-n', hostNs, 'addr', 'add', `${link.hostAddr6}/64`, 'dev', hostIf, 'nodad');
      }
      await ip('-n', client, 'link', 'set', clientIf, 'up');
      await ip('-n', hostNs, 'link', 'set', hostIf, 'up');
      // Static neighbour entries both ways: no ARP/ND at all. (Without them the first IPv6 connection over a fresh
      // link lost its SYN to neighbour discovery and took ~1 s, the SYN retransmission timeout.)
      const clientMac = await macOf(client, clientIf);
      const hostMac = await macOf(hostNs, hostIf);
      await ip('-n', client, 'neigh', 'replace', link.hostAddr, 'lladdr', hostMac, 'dev', clientIf, 'nud', 'permanent');
      await ip('-n', hostNs, 'neigh', 'replace', link.clientAddr, 'lladdr', clientMac, 'dev', hostIf, 'nud', 'permanent');
      if (opts.ipv6) {
        await ip('-n', client, 'neigh', 'replace', link.hostAddr6 as string, 'lladdr', hostMac, 'dev', clientIf,
          'nud', 'permanent');
        await ip('-n', hostNs, 'neigh', 'replace', link.clientAddr6 as string, 'lladdr', clientMac, 'dev', hostIf,
          'nud', 'permanent');
      }

      for (const a of link.extraAddresses) {
        await ip('-n', hostNs, 'addr', 'add', `${a}/32`, 'dev', 'lo');
        await ip('-n', client, 'route', 'add', `${a}/32`, 'via', link.hostAddr);
      }
      if (link.extraAddresses6.length > 0 && !opts.ipv6) {
        throw new Error('createTopology: extraAddresses6 needs ipv6: true');
      }
      for (const a of link.extraAddresses6) {
        await ip('-n', hostNs, 'addr', 'add', `${a}/128`, 'dev', 'lo', 'nodad');
        await ip('-n', client, '-6', 'route', 'add', `${a}/128`, 'via', link.hostAddr6 as string);
      }
      // Replies to the client come from the host's on-link address or its extra addresses; the host routes
      // back over its only link.
      await ip('-n', hostNs, 'route', 'add', 'default', 'via', link.clientAddr);
      if (opts.ipv6) await ip('-n', hostNs, '-6', 'route', 'add', 'default', 'via', link.clientAddr6 as string);
      links[h.name] = link;
    }

    if (opts.defaultVia !== undefined) {
      const l = links[opts.defaultVia] as Link;
      await ip('-n', client, 'route', 'add', 'default', 'via', l.hostAddr);
      if (opts.ipv6) await ip('-n', client, '-6', 'route', 'add', 'default', 'via', l.hostAddr6 as string);
    }
  } catch (err) {
    destroySync();
    throw err;
  }
  return topo;
}

async function macOf(ns: string, dev: string): Promise<string> {
  const { stdout } = await run('ip', ['-n', ns, '-o', 'link', 'show', 'dev', dev]);
  const m = /link\/ether ([0-9a-f:]{17})/.exec(stdout);
  if (!m?.[1]) throw new Error(`no MAC address for ${dev} in ${ns}: ${stdout}`);
  return m[1];
}

async function sysctlIPv6(ns: string): Promise<void> {
  // IPv6 is on by default in new namespaces unless the host disabled it; make sure, and skip DAD everywhere.
  for (const [k, v] of [
    ['net.ipv6.conf.all.disable_ipv6', '0'],
    ['net.ipv6.conf.default.disable_ipv6', '0'],
    ['net.ipv6.conf.default.accept_dad', '0'],
  ] as const) {
    try {
      await run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `${k}=${v}`]);
    } catch {
      /* best effort: addresses are added with nodad anyway */
    }
  }
}
