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

/** A clock at `nowMs` (wall) and `monotonicMs`; each monotonic() reading advances it by `stepMs` (0: frozen). */
export function fixedClock(nowMs: number, monotonicMs = 1000, stepMs = 0): Clock & { readings: number } {
  let t = monotonicMs;
  const clock = {
    readings: 0,
    now: () => nowMs,
    monotonic: () => {
      clock.readings++;
      const v = t;
      t += stepMs;
      return v;
    },
  };
  return clock;
}
