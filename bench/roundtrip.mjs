// The round trip's cost, side by side in one run: `sendcheck roundtrip` (check + IMAP login + send + wait for the
// copy + read its headers + delete) against swaks sending the same kind of message (send only, no confirmation).
// Medians of several runs; also the median time from the server's 250 to the copy being seen over IMAP.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runRoundtripBench() {
  const lab = JSON.parse(readFileSync(`${root}.lab/env.json`, 'utf8'));
  const alice = lab.users.find((u) => u.role === 'inbox');
  const sc = [];
  const sw = [];
  const arrival = [];
  const failures = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    const a = spawnSync(process.execPath, [`${root}dist/bin/sendcheck.js`, 'roundtrip', alice.user, '--host', lab.smtpName, '--port', '587', '--ports', '587', '--imap', `${lab.smtpName}:993`,
      '--ca', lab.caFile, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--no-domain', '--no-reference', '--password-stdin', '--json'], { input: alice.password, encoding: 'utf8', timeout: 120_000 });
    sc.push(performance.now() - t0);
    const copy = JSON.parse(a.stdout).facts.roundtrip?.copy;
    if (copy) arrival.push(copy.foundAfterMs);
    t0 = performance.now();
    const b = spawnSync('swaks', ['--server', lab.smtpHost, '--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', alice.password,
      '--from', alice.user, '--to', alice.user, '--header', 'Subject: swaks bench', '--tls-verify', '--tls-ca-path', lab.caFile], { encoding: 'utf8', timeout: 60_000 });
    sw.push(performance.now() - t0);
    // Both sides must have done their job, or the row is refused (a peer failing at once would flatter us).
    if (a.status !== 0 || !copy) failures.push(`sendcheck run ${i}: exit ${a.status}, ${copy ? 'copy seen' : 'no copy seen'}`);
    if (b.status !== 0 || !/250 .*queued/i.test(b.stdout + b.stderr)) failures.push(`swaks run ${i}: exit ${b.status}: ${(b.stdout + b.stderr).trim().split('\n').pop()}`);
  }
  if (failures.length) return console.log(`round trip vs send-only: REFUSED: ${failures[0]}`);
  console.log(`round trip vs send-only (median of ${RUNS}, including process start; both sides checked)`);
  console.log(`  sendcheck roundtrip (send, confirm in INBOX over IMAP IDLE, read, delete): ${median(sc).toFixed(0)} ms`);
  console.log(`  swaks (send only, nothing confirmed):                                     ${median(sw).toFixed(0)} ms`);
  console.log(`  ratio: ${(median(sc) / median(sw)).toFixed(2)}x; 250 → copy seen over IMAP: median ${arrival.length ? median(arrival).toFixed(0) : '?'} ms (${arrival.length}/${RUNS} arrived)`);
  console.log('  (swaks copies stay in alice\'s inbox; the lab is recreated at every start)');
}
