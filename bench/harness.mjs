// The side-by-side harness every row of `npm run bench` goes through, so that no row can flatter us:
// - whole processes on both sides (start-up included), each wrapped in GNU time for its peak RSS;
// - one warm-up each, then interleaved runs (A B A B …), so drift of a shared machine hits both sides alike;
// - every run of BOTH sides is checked: its exit code and a line it must print. A row whose peer failed even once is
//   refused (printed as REFUSED with the reason), never given a ratio; a row where we failed says so;
// - min / median / max of each side and the ratio of the medians (ours / peer: below 1 means we are faster).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';
const tmp = mkdtempSync(join(tmpdir(), 'sendcheck-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/**
 * @typedef {{ label: string, cmd: string, args: string[], input?: string, env?: Record<string,string>,
 *   exit: number | number[], expect: RegExp, timeoutMs?: number }} Side
 */

/** One whole-process run: wall ms (measured here), peak RSS in MB (GNU time), exit code, output. */
export function runOnce(side) {
  const rss = join(tmp, 'rss');
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', '%M', '-o', rss, side.cmd, ...side.args], {
    input: side.input,
    env: side.env ? { ...process.env, ...side.env } : process.env,
    encoding: 'utf8',
    timeout: side.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  let peakMb = NaN;
  try {
    peakMb = Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024;
  } catch {
    /* time did not write: the run was killed */
  }
  // GNU time reports a command killed by a signal as "Command terminated by signal N" and exits 128+N.
  return { ms, peakMb, status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/** Why a run does not count as that side succeeding, or null when it does. */
export function verify(side, run) {
  const exits = Array.isArray(side.exit) ? side.exit : [side.exit];
  if (run.error) return `${run.error.code ?? run.error.message}`;
  if (!exits.includes(run.status)) return `exit ${run.status} (expected ${exits.join(' or ')}): ${lastLine(run.out)}`;
  if (!side.expect.test(run.out)) return `output lacks ${side.expect}: ${lastLine(run.out)}`;
  return null;
}

function lastLine(s) {
  return (s.trim().split('\n').pop() ?? '').slice(0, 160);
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
}

/**
 * Runs one row: `ours` against `peer` (or ours alone when peer is null), interleaved. Returns the row's figures, or
 * { refused } when a side failed: a ratio is never computed against a peer that did not do its job.
 */
export function compare({ name, ours, peer, runs = 5, note = '' }) {
  const sides = peer ? [ours, peer] : [ours];
  const results = sides.map(() => []);
  for (let i = 0; i <= runs; i++) {
    for (const [k, side] of sides.entries()) {
      const run = runOnce(side);
      const bad = verify(side, run);
      if (bad) return { name, refused: `${k === 0 ? 'sendcheck' : `peer (${side.label})`} failed on run ${i}: ${bad}`, note };
      if (i > 0) results[k].push(run); // run 0 is the warm-up
    }
  }
  const [a, b] = results.map((rs) => ({ wall: stats(rs.map((r) => r.ms)), rss: stats(rs.map((r) => r.peakMb)) }));
  return { name, ours: { label: ours.label, ...a }, peer: peer ? { label: peer.label, ...b } : null, ratio: b ? a.wall.median / b.wall.median : null, runs, note };
}

const fmtMs = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const fmtSide = (s) => `${fmtMs(s.wall.median)} [${fmtMs(s.wall.min)}–${fmtMs(s.wall.max)}] ${s.rss.median.toFixed(0)} MB`;

/** Prints a row as one block: name, both sides (median [min–max] peak RSS), the ratio, and the row's note. */
export function printRow(row, goal) {
  if (row.refused) {
    console.log(`\n${row.name}\n  REFUSED: ${row.refused}`);
    return;
  }
  console.log(`\n${row.name}  (${row.runs} interleaved runs each after a warm-up; median [min–max], peak RSS)`);
  console.log(`  sendcheck  ${fmtSide(row.ours)}   ${row.ours.label}`);
  if (row.peer) console.log(`  peer       ${fmtSide(row.peer)}   ${row.peer.label}`);
  if (row.ratio !== null) console.log(`  ratio      ${row.ratio.toFixed(2)}× (sendcheck / peer, medians)${goal ? `   goal ${goal.text}: ${goal.met(row) ? 'met' : 'NOT met'}` : ''}`);
  else if (goal) console.log(`  goal ${goal.text}: ${goal.met(row) ? 'met' : 'NOT met'}`);
  if (row.note) console.log(`  note: ${row.note}`);
}
