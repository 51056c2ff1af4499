// npm run bench: sendcheck side by side with the tools people use instead (swaks, Python's smtplib, spfquery,
// sisimai), whole process against whole process, interleaved, every run of both sides checked (bench/harness.mjs).
// Then the area benchmarks (domain throughput, network path, round trip, explain corpus) when present.
// Needs root: it starts the lab when it is not running, creates a network namespace, and installs missing peers.
// BENCH_RUNS (default 7) sets the counted runs per side; BENCH_ONLY=substring runs only the rows whose name matches.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, printRow } from './harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ONLY = process.env.BENCH_ONLY ?? '';

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...opts });
}

/** Debian packages the peers come from; installed when missing (the bench is run by a person, as root). */
function ensurePackages(pkgs) {
  const missing = pkgs.filter((p) => !sh('dpkg-query', ['-W', '-f=${Status}', p]).stdout.includes('install ok installed'));
  if (!missing.length) return;
  const r = sh('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) console.log(`(could not install ${missing.join(', ')}: rows that need them will be refused)`);
}
ensurePackages(['swaks', 'time', 'python3', 'libsisimai-perl']);

// Start the lab only when it is not already answering (restarting it would disturb a test run in progress).
const labUp = existsSync(`${root}.lab/env.json`) && sh('bash', ['-c', 'exec 3<>/dev/tcp/127.0.0.20/587'], { timeout: 2000 }).status === 0;
if (!labUp) {
  execFileSync('bash', [`${root}scripts/lab/up.sh`], { stdio: 'inherit' });
  process.on('exit', () => spawnSync('bash', [`${root}scripts/lab/down.sh`], { stdio: 'ignore' }));
}
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
const lab = JSON.parse(readFileSync(`${root}.lab/env.json`, 'utf8'));
const alice = lab.users.find((u) => u.role === 'inbox');
const host = lab.smtpHost;
const node = process.execPath;
const CLI = `${root}dist/bin/sendcheck.js`;
const sc = (args, extra = {}) => ({ label: `sendcheck ${args.filter((a) => !a.startsWith('/')).join(' ')}`.slice(0, 90), cmd: node, args: [CLI, ...args], ...extra });
const common = ['--host', host, '--ca', lab.caFile, '--resolver', `${lab.dns.server}:${lab.dns.port}`];
const work = mkdtempSync(join(tmpdir(), 'sendcheck-bench-run-'));

// swaks verifies the certificate against the lab CA (Debian's swaks 20201014 has --tls-verify and --tls-ca-path; it
// has no --tls-verify-host: the address it connects to is in the certificate's SANs, so the host check is made too).
const swaks = (extra, expect, exit = 0) => ({
  label: `swaks ${extra.join(' ')}`.slice(0, 90),
  cmd: 'swaks',
  args: ['--server', host, '--tls-verify', '--tls-ca-path', lab.caFile, ...extra],
  exit,
  expect,
});

// Python's smtplib: connect, STARTTLS with a verifying context, login, quit: the minimum a script does.
const smtplibScript = join(work, 'smtplib_login.py');
writeFileSync(smtplibScript, `import smtplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = smtplib.SMTP(sys.argv[1], 587, timeout=5)
s.starttls(context=ctx)
s.login(sys.argv[3], sys.stdin.read().strip())
print("login ok")
s.quit()
`);

// A namespace whose loopback drops every mail port: "the firewall drops everything".
const ns = `scbench${process.pid}`;
sh('ip', ['netns', 'add', ns]);
sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
writeFileSync(join(work, 'drop.nft'), 'table inet f {\n chain out {\n type filter hook output priority 0;\n tcp dport { 25, 465, 587, 2525 } drop\n }\n}\n');
sh('ip', ['netns', 'exec', ns, 'nft', '-f', join(work, 'drop.nft')]);
process.on('exit', () => sh('ip', ['netns', 'del', ns]));

const ok = /OK: nothing blocks sending/;
const ratioAtMost = (x) => ({ text: `≤ ${x}×`, met: (r) => r.ratio <= x });

const rows = [
  {
    name: 'start-up: --version vs node -e 0',
    ours: sc(['--version'], { exit: 0, expect: /^\d+\.\d+\.\d+/ }),
    peer: { label: 'node -e 0 (an empty Node process)', cmd: node, args: ['-e', '0'], exit: 0, expect: /^$/ },
    goal: ratioAtMost(1.3),
  },
  {
    name: 'start-up: check --help vs node -e 0',
    ours: sc(['check', '--help'], { exit: 0, expect: /--host/ }),
    peer: { label: 'node -e 0 (an empty Node process)', cmd: node, args: ['-e', '0'], exit: 0, expect: /^$/ },
    goal: ratioAtMost(1.3),
  },
  {
    name: 'healthy server, default sweep (25/465/587/2525 + login on 587) vs swaks (587 only, login)',
    ours: sc(['check', ...common, '--user', alice.user, '--password-stdin'], { input: alice.password, exit: 0, expect: ok }),
    peer: swaks(['--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', alice.password, '--quit-after', 'AUTH'], /235 /),
    goal: ratioAtMost(2),
    note: 'not the same work: sendcheck also sweeps four ports, inspects TLS on each and judges; swaks logs in on one port',
  },
  {
    name: 'healthy server, --ports 587 vs swaks (587, login)',
    ours: sc(['check', ...common, '--port', '587', '--ports', '587', '--user', alice.user, '--password-stdin'], { input: alice.password, exit: 0, expect: ok }),
    peer: swaks(['--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', alice.password, '--quit-after', 'AUTH'], /235 /),
    goal: ratioAtMost(1.5),
  },
  {
    name: 'healthy server, --ports 587 vs Python smtplib (STARTTLS, verified, login)',
    ours: sc(['check', ...common, '--port', '587', '--ports', '587', '--user', alice.user, '--password-stdin'], { input: alice.password, exit: 0, expect: ok }),
    peer: { label: 'python3 smtplib: starttls + login', cmd: '/usr/bin/python3', args: [smtplibScript, host, lab.caFile, alice.user], input: alice.password, exit: 0, expect: /login ok/ },
  },
  {
    name: 'healthy server with --ca vs the same CA through NODE_EXTRA_CA_CERTS (sendcheck against itself)',
    ours: sc(['check', ...common, '--user', alice.user, '--password-stdin'], { input: alice.password, exit: 0, expect: ok }),
    peer: { ...sc(['check', '--host', host, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--user', alice.user, '--password-stdin'], { input: alice.password, exit: 0, expect: ok }), label: 'sendcheck check (CA via NODE_EXTRA_CA_CERTS)', env: { NODE_EXTRA_CA_CERTS: lab.caFile } },
    goal: ratioAtMost(1.1),
  },
  {
    name: 'wrong password on 587 vs swaks (both verify the certificate)',
    ours: sc(['check', ...common, '--port', '587', '--ports', '587', '--user', alice.user, '--password-stdin'], { input: 'wrong-password', exit: 1, expect: /auth\.credentials-rejected/ }),
    peer: swaks(['--port', '587', '--tls', '--auth', 'PLAIN', '--auth-user', alice.user, '--auth-password', 'wrong-password', '--quit-after', 'AUTH'], /535 /, [28]),
  },
  {
    name: 'every mail port dropped, 5 s timeout vs swaks (one port, 5 s timeout)',
    ours: { ...sc(['check', '--host', '127.0.0.1', '--port', '587', '--timeout', '5'], { exit: 1, expect: /port\.filtered|firewall/ }), cmd: 'ip', args: ['netns', 'exec', ns, node, CLI, 'check', '--host', '127.0.0.1', '--port', '587', '--timeout', '5'] },
    peer: { label: 'swaks --port 587 --timeout 5 --quit-after CONNECT', cmd: 'ip', args: ['netns', 'exec', ns, 'swaks', '--server', '127.0.0.1', '--port', '587', '--timeout', '5', '--quit-after', 'CONNECT'], exit: [2], expect: /connect: timeout/i },
    runs: 3,
    goal: { text: 'sendcheck ≤ timeout + 0.3 s', met: (r) => r.ours.wall.median <= 5300 },
  },
];

console.log(`sendcheck bench: ${new Date().toISOString()}, node ${process.version}, ${RUNS} runs per side`);
const results = [];
for (const row of rows) {
  if (ONLY && !row.name.includes(ONLY)) continue;
  const r = compare({ ...row, runs: row.runs ?? RUNS });
  printRow(r, row.goal);
  results.push({ row: r, goal: row.goal });
}

for (const [file, fn] of [['startup-extra.mjs', 'runStartupBench'], ['explain.mjs', 'runExplainBench'], ['domain.mjs', 'runDomainBench'], ['network.mjs', 'runNetworkBench'], ['roundtrip.mjs', 'runRoundtripBench'], ['exporter.mjs', 'runExporterBench'], ['worst-case.mjs', 'runWorstCaseBench']]) {
  const url = new URL(file, import.meta.url);
  if (!existsSync(url) || (ONLY && !file.includes(ONLY))) continue;
  const mod = await import(url.href);
  if (typeof mod[fn] === 'function') {
    console.log(`\n--- ${file} ---`);
    await mod[fn]({ runs: RUNS });
  }
}
