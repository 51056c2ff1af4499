// Worst-case inputs for `npm run bench` (bench/run.mjs calls runWorstCaseBench()): each hostile input that used to
// hang or take gigabytes, run as a whole process through the CLI, with wall time and peak RSS (GNU time). The
// goals are the limits' promise (docs/security.md "Limits"): linear time, memory a small multiple of the input.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const CLI = `${root}dist/bin/sendcheck.js`;
const MB = 1024 * 1024;

/** Wall seconds and peak RSS (MB) of one CLI run, through /usr/bin/time (asynchronous: a hostile server in this
 * process must keep serving while the CLI runs). */
function measure(args) {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M', process.execPath, CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(t);
      const m = /(\d+\.\d+) (\d+)\s*$/.exec(stderr);
      resolve(m ? { s: Number(m[1]), rssMb: Math.round(Number(m[2]) / 1024), code } : { s: NaN, rssMb: NaN, code });
    });
  });
}

/** A server that greets, then answers EHLO with a continuation that never ends, at normal speed. */
async function endlessEhloServer() {
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.write('220 hostile.bench ESMTP\r\n');
    sock.once('data', () => {
      let i = 0;
      const t = setInterval(() => (sock.destroyed ? clearInterval(t) : sock.write(Array.from({ length: 20 }, () => `250-X-CAP-${i++}\r\n`).join(''))), 2);
      sock.on('close', () => clearInterval(t));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

export async function runWorstCaseBench() {
  const dir = mkdtempSync(join(tmpdir(), 'sendcheck-bench-worst-'));
  const file = (name, text) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rows = [
    ['explain: 2 MB of "."', ['explain', file('dots.txt', '.'.repeat(2 * MB))], 1, 150],
    ['explain: 2 MB of "5.5.5."', ['explain', file('555.txt', '5.5.5.'.repeat(MB / 3))], 1, 150],
    ['explain: multipart, boundary "-", 2M "---" lines', ['explain', file('parts.eml', `From: MAILER-DAEMON@x.test\nTo: a@x.test\nSubject: Undeliverable\nContent-Type: multipart/mixed; boundary="-"\n\n${'---\n'.repeat(2_000_000)}`)], 2, 300],
    ['explain: 2 MB of "<" in an HTML bounce', ['explain', file('lt.eml', `From: MAILER-DAEMON@x.test\nTo: a@x.test\nSubject: Undeliverable\nContent-Type: text/html\n\n${'<'.repeat(2 * MB)}`)], 1, 150],
    ['check --replay /dev/zero (cap 50 MB)', ['check', '--replay', '/dev/zero'], 2, 250],
    ['explain /dev/zero (cap 10 MB)', ['explain', '/dev/zero'], 1, 150],
  ];
  const server = await endlessEhloServer();
  const port = server.address().port;
  rows.push(['check: an EHLO reply that never ends (--timeout 3)', ['check', '--host', '127.0.0.1', '--port', String(port), '--security', 'none', '--ports', String(port), '--timeout', '3', '--no-reference'], 3, 200]);
  console.log('worst-case input                                          wall     peak RSS   goal');
  for (const [name, args, goalS, goalMb] of rows) {
    const r = await measure(args);
    const ok = r.s <= goalS && r.rssMb <= goalMb;
    console.log(`${name.padEnd(56)} ${`${r.s.toFixed(2)} s`.padStart(7)} ${`${r.rssMb} MB`.padStart(9)}   ≤ ${goalS} s, ≤ ${goalMb} MB ${ok ? 'ok' : 'MISSED'} (exit ${r.code})`);
  }
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await runWorstCaseBench();
