// The I/O seam besides TCP connects and DNS (the probe context's dial and resolver): TLS handshakes on the run's
// trust store and deadline, HTTPS fetches, the clock, the environment and bounded reads of local files (/proc, /sys).
// Probes, the domain audit and the round trip reach these only through a RunIo they are handed (the probe context is
// one), never by calling Node or net/ themselves (test/architecture/io-seam.test.ts), so a test swaps any part (a
// fixed clock, a /proc fixture) without patching modules. systemIo() is the real one, built once per run.
import { closeSync, existsSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import type net from 'node:net';
import type tls from 'node:tls';
import type { TlsFact } from '../facts/types.js';
import { httpsGet, type HttpsGetOptions } from './https.js';
import { tlsHandshake, type TlsOptions } from './tls-inspect.js';
import { upgradeToTls } from './trust.js';

export interface Clock {
  /** Wall-clock time in ms since the epoch (timestamps: when a message was accepted, a report's start). */
  now(): number;
  /** A monotonic ms counter for durations (performance.now()): it never jumps when the wall clock is set. */
  monotonic(): number;
  /**
   * Resolves after `ms` on this clock, or at once when `signal` aborts; never rejects. The run's waits (the round trip
   * polling for its message, a probe watching counters) go through here so a test clock can drive them without real
   * waiting; I/O timeouts inside net/ stay on real timers.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Read-only access to local files, best effort: what cannot be read is undefined (or empty), never an exception. */
export interface LocalFiles {
  /** The file's text, or undefined when it cannot be read or holds more than `maxBytes` (never a cut-off text). */
  readFile(path: string, maxBytes: number): string | undefined;
  /** The names in a directory, or undefined when it cannot be listed. */
  listDir(path: string): string[] | undefined;
  /** A symbolic link's target, or undefined. */
  readLink(path: string): string | undefined;
  exists(path: string): boolean;
}

/** A handshake's options without what the run supplies: its trust store (--ca) and deadline; timeoutMs defaults to the
 * run's per-step timeout. */
export type TlsConnectOptions = Omit<TlsOptions, 'ca' | 'signal' | 'timeoutMs'> & { timeoutMs?: number };
/** An HTTPS GET's options without the trust store, which is the run's. */
export type HttpsFetchOptions = Omit<HttpsGetOptions, 'ca'>;

export interface RunIo {
  /** A TLS handshake with inspection (net/tls-inspect.ts): the facts, and the secure socket when it succeeded. */
  tls(o: TlsConnectOptions): Promise<{ fact: TlsFact; socket?: tls.TLSSocket }>;
  /** TLS on an open socket, verified against the run's trust store; rejects on failure or timeout (POP3's STLS). */
  tlsUpgrade(socket: net.Socket, servername: string | undefined, timeoutMs?: number): Promise<tls.TLSSocket>;
  /** One bounded HTTPS (or plain HTTP) GET (net/https.ts), verified against the run's trust store. */
  https(o: HttpsFetchOptions): Promise<{ status: number; body: string }>;
  clock: Clock;
  files: LocalFiles;
  /** One environment variable of this process (proxy settings, container markers). */
  env(name: string): string | undefined;
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now(), sleep: sleepReal };

const CHUNK = 64 * 1024;

/** Up to maxBytes of a file, chunk by chunk (a /proc file reports size 0, /dev/zero never ends); undefined past it. */
function readFileBounded(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte more than allowed tells "exactly at the cap" from "over it".
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return Buffer.concat(chunks, total).toString('utf8');
      total += n;
      if (total > maxBytes) return undefined;
      chunks.push(buf.subarray(0, n));
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function orUndefined<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export const systemFiles: LocalFiles = {
  readFile: readFileBounded,
  listDir: (path) => orUndefined(() => readdirSync(path)),
  readLink: (path) => orUndefined(() => readlinkSync(path)),
  exists: (path) => existsSync(path),
};

/**
 * The real seam for one run. The trust store is the run's CA set (the system roots plus --ca), whose SecureContext
 * net/trust.ts builds once and every handshake and fetch of the run reuses; `signal` is the run's deadline.
 */
export function systemIo(run: { ca?: readonly string[]; signal?: AbortSignal; timeoutMs: number }): RunIo {
  const ca = run.ca ? [...run.ca] : undefined;
  return {
    tls: (o) => tlsHandshake({ ...o, ca, signal: run.signal, timeoutMs: o.timeoutMs ?? run.timeoutMs }),
    tlsUpgrade: (socket, servername, timeoutMs) => upgradeToTls(socket, servername, ca ?? [], timeoutMs ?? run.timeoutMs),
    https: (o) => httpsGet({ ...o, ca }),
    clock: systemClock,
    files: systemFiles,
    env: (name) => process.env[name],
  };
}
