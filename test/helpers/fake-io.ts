// Stand-ins for parts of the run's I/O seam (src/net/io.ts): files from a fixture map instead of /proc and /sys, and a
// clock that says what the test wants. Handed to the code under test, or to createProbeContext({ io }) / runDomain's
// `io`, so no test patches modules or needs root to read another process's files.
import type { Clock, LocalFiles } from '../../src/net/io.js';

/** Files from `texts` (path → content) and symbolic links from `links`; directories are the paths' parents. */
export function fakeFiles(texts: Record<string, string>, links: Record<string, string> = {}): LocalFiles & { reads: string[] } {
  const reads: string[] = [];
  const all = [...Object.keys(texts), ...Object.keys(links)];
  return {
    reads,
    readFile(path, maxBytes) {
      reads.push(path);
      const t = texts[path];
      return t !== undefined && Buffer.byteLength(t) <= maxBytes ? t : undefined;
    },
    listDir(path) {
      const names = new Set(all.filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1).split('/')[0]!));
      return names.size ? [...names] : undefined;
    },
    readLink: (path) => links[path],
    exists: (path) => path in texts || path in links,
  };
}

/** The next turn of the event loop: a fake sleep yields there, so sockets and real timers still get their turn. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock at `nowMs` (wall) and `monotonicMs`; each monotonic() reading advances it by `stepMs` (0: frozen). Its
 * sleep() does not move it: it only yields a turn of the event loop (code waiting on it must end by other means). */
export function fixedClock(nowMs: number, monotonicMs = 1000, stepMs = 0): Clock & { readings: number; sleeps: number[] } {
  let t = monotonicMs;
  const clock = {
    readings: 0,
    sleeps: [] as number[],
    now: () => nowMs,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      return nextTurn();
    },
    monotonic: () => {
      clock.readings++;
      const v = t;
      t += stepMs;
      return v;
    },
  };
  return clock;
}

/** A clock that moves only when someone sleeps on it: sleep(ms) advances both readings by ms, then yields a turn of
 * the event loop. A wait of minutes runs in microseconds, and what the code measured is exactly what it slept. */
export function virtualClock(nowMs: number, monotonicMs = 1000): Clock & { sleeps: number[] } {
  let elapsed = 0;
  const clock = {
    sleeps: [] as number[],
    now: () => nowMs + elapsed,
    monotonic: () => monotonicMs + elapsed,
    sleep: (ms: number, signal?: AbortSignal) => {
      clock.sleeps.push(ms);
      if (!signal?.aborted) elapsed += Math.max(0, ms);
      return nextTurn();
    },
  };
  return clock;
}
