// TCP connect with an outcome per attempt: open, refused, filtered (timeout), unreachable, error.
// The only place that opens plain sockets; every attempt has its own timeout and honours the run's AbortSignal.
import net from 'node:net';
import type { ConnectOutcome, Family } from '../facts/types.js';

export type DialResult =
  | { outcome: 'open'; socket: net.Socket; ms: number }
  | { outcome: Exclude<ConnectOutcome, 'open'>; errno?: string; ms: number };

export interface DialOptions {
  address: string;
  port: number;
  family: Family;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Local address to bind (tests in namespaces, multi-homed hosts). */
  localAddress?: string;
}

export function classifyConnectError(errno: string | undefined): Exclude<ConnectOutcome, 'open'> {
  switch (errno) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'filtered';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EACCES':
    case 'EPERM':
      return 'unreachable';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'error';
  }
}

export function dial(opts: DialOptions): Promise<DialResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    if (opts.signal?.aborted) return resolve({ outcome: 'filtered', errno: 'ABORTED', ms: 0 });
    const socket = net.connect({ host: opts.address, port: opts.port, family: opts.family, localAddress: opts.localAddress, noDelay: true });
    let done = false;
    const finish = (r: DialResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      socket.removeListener('connect', onConnect);
      if (r.outcome !== 'open') socket.destroy();
      resolve(r);
    };
    const onError = (err: NodeJS.ErrnoException) => finish({ outcome: classifyConnectError(err.code), errno: err.code, ms: ms() });
    const onConnect = () => {
      // Swallow late errors on an open socket until the caller attaches its own handler.
      socket.on('error', () => {});
      finish({ outcome: 'open', socket, ms: ms() });
    };
    const onAbort = () => finish({ outcome: 'filtered', errno: 'ABORTED', ms: ms() });
    const timer = setTimeout(() => finish({ outcome: 'filtered', errno: 'ETIMEDOUT', ms: ms() }), opts.timeoutMs);
    socket.once('error', onError);
    socket.once('connect', onConnect);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One connection attempt per address and port per run, shared by every probe: the first caller's attempt decides
 * the outcome for all. Dialling the same closed port twice at once can turn an ICMP reject into a fake "filtered"
 * (the kernel rate-limits ICMP errors, IPv6 especially), and it costs the server twice. When the port is open,
 * the first caller gets the socket and later callers get a fresh connection of their own.
 */
export class DialCoordinator {
  private readonly first = new Map<string, Promise<DialResult>>();

  dial(opts: DialOptions): Promise<DialResult> {
    const key = `${opts.address}|${opts.port}`;
    const pending = this.first.get(key);
    if (!pending) {
      const p = dial(opts);
      this.first.set(key, p);
      return p;
    }
    return pending.then((r) => (r.outcome === 'open' ? dial(opts) : { ...r }));
  }
}
