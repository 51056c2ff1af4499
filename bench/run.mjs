// npm run bench: sendcheck side by side with swaks (Debian's SMTP test tool) on the same loopback scenarios,
// medians of several runs and the ratio, then the benchmarks of the other areas when present.
// Needs root (starts the lab and a network namespace for the dropped-port scenario).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(cmd, args, runs, input) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = sh(cmd, args, { input });
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), runs, status: last.status, out: last.stdout + last.stderr };
}

// Start the lab only when it is not already answering (restarting it would disturb a test run in progress).
const labUp = existsSync(`${root}.lab/env.json`) && sh('bash', ['-c', 'exec 3<>/dev/tcp/127.0.0.20/587'], { timeout: 2000 }).status === 0;
if (!labUp) {
  execFileSync('bash', [`${root}scripts/lab/up.sh`], { stdio: 'inherit' });
  // Leave the machine as we found it.
  process.on('exit', () => spawnSync('bash', [`${root}scripts/lab/down.sh`], { stdio: 'ignore' }));
}
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
const lab = JSON.parse(readFileSync(`${root}.lab/env.json`, 'utf8'));
const alice = lab.users[0];
const cli = [`${root}dist/cli/main.js`];
const host = lab.smtpHost;
const common = ['--host', host, '--ca', lab.caFile, '--resolver', `${lab.dns.server}:${lab.dns.port}`];

// A namespace whose loopback drops every mail port: the "firewall drops everything" case.
const ns = `scbench${process.pid}`;
sh('ip', ['netns', 'add', ns]);
sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
const rules = `${root}.lab/bench-drop.nft`;
execFileSync('bash', ['-c', `printf 'table inet f {\\n chain out {\\n type filter hook output priority 0;\\n tcp dport { 25, 465, 587, 2525 } drop\\n }\\n}\\n' > ${rules}`]);
sh('ip', ['netns', 'exec', ns, 'nft', '-f', rules]);

const scenarios = [
  {
    name: 'healthy 587 STARTTLS + AUTH',
    sendcheck: () => time(process.execPath, [...cli, 'check', ...common, '--port', '587', '--user', alice.user, '--password-stdin'], RUNS, alice.password),
    swaks: () => time('swaks', ['--server', host, '--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', alice.password, '--quit-after', 'AUTH', '--tls-verify', '--tls-ca-path', lab.caFile, '--tls-verify-host', lab.smtpName], RUNS),
  },
  {
    name: 'wrong password on 587',
    sendcheck: () => time(process.execPath, [...cli, 'check', ...common, '--port', '587', '--user', alice.user, '--password-stdin'], RUNS, 'wrong-password'),
    swaks: () => time('swaks', ['--server', host, '--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', 'wrong-password', '--quit-after', 'AUTH'], RUNS),
  },
  {
    name: 'every mail port dropped (timeout 5 s)',
    sendcheck: () => time('ip', ['netns', 'exec', ns, process.execPath, ...cli, 'check', '--host', '127.0.0.1', '--port', '587', '--timeout', '5'], Math.min(RUNS, 3)),
    // swaks' own default timeout is 30 s; we give it the same 5 s to compare like with like.
    swaks: () => time('ip', ['netns', 'exec', ns, 'swaks', '--server', '127.0.0.1', '--port', '587', '--timeout', '5', '--quit-after', 'CONNECT'], Math.min(RUNS, 3)),
  },
];

console.log(`\nsendcheck vs swaks on loopback (median of up to ${RUNS} runs each, including process start)\n`);
console.log('scenario'.padEnd(40), 'sendcheck'.padStart(11), 'swaks'.padStart(11), 'ratio'.padStart(8), '  sendcheck verdict');
try {
  for (const s of scenarios) {
    const a = s.sendcheck();
    const b = s.swaks();
    const verdict = (a.out.match(/ROOT CAUSE\n\s+(.*?)\s+\[/) ?? a.out.match(/(OK: nothing blocks sending)/))?.[1] ?? `exit ${a.status}`;
    console.log(s.name.padEnd(40), `${a.median.toFixed(0)} ms`.padStart(11), `${b.median.toFixed(0)} ms`.padStart(11), `${(a.median / b.median).toFixed(2)}x`.padStart(8), ` ${verdict}`);
  }
  console.log('\nNote: swaks tests one port and one setting; sendcheck also sweeps 25/465/587/2525 and inspects TLS in the same time.');
} finally {
  sh('ip', ['netns', 'del', ns]);
}

for (const [file, fn] of [['network.mjs', 'runNetworkBench'], ['domain.mjs', 'runDomainBench'], ['explain.mjs', 'runExplainBench'], ['roundtrip.mjs', 'runRoundtripBench']]) {
  const url = new URL(file, import.meta.url);
  if (!existsSync(url)) continue;
  const mod = await import(url.href);
  if (typeof mod[fn] === 'function') {
    console.log(`\n--- ${file} ---`);
    await mod[fn]();
  }
}
