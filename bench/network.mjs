// Network-path scenarios for `npm run bench` (bench/run.mjs calls runNetworkBench()): sendcheck with its reference
// comparison beside swaks, in namespaces with real nftables rules. Prints medians, the ratio to swaks and the
// ratio to the connect timeout (the whole check, reference included, should end within about one timeout).
// Needs root, iproute2, nftables; run `npm run build` first. Usable alone: node bench/network.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const CLI = `${root}dist/bin/sendcheck.js`;
const STACK = `${root}test/fixtures/proxies/stack.mjs`;
const SERVER_NAME = 'mail.demo.test';
const TIMEOUT_S = Number(process.env.BENCH_NET_TIMEOUT ?? 2);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  if (opts.check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r;
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function topology() {
  const id = `scnb${process.pid}`;
  const ns = { client: `${id}-c`, server: `${id}-s`, reference: `${id}-r` };
  const addr = { server: '10.201.0.2', reference: '10.201.1.2' };
  for (const n of Object.values(ns)) {
    sh('ip', ['netns', 'add', n], { check: true });
    sh('ip', ['-n', n, 'link', 'set', 'lo', 'up'], { check: true });
  }
  [['server', 0], ['reference', 1]].forEach(([h, i]) => {
    sh('ip', ['-n', ns.client, 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns[h]], { check: true });
    sh('ip', ['-n', ns.client, 'addr', 'add', `10.201.${i}.1/30`, 'dev', `veth${i}`], { check: true });
    sh('ip', ['-n', ns[h], 'addr', 'add', `10.201.${i}.2/30`, 'dev', 'eth0'], { check: true });
    sh('ip', ['-n', ns.client, 'link', 'set', `veth${i}`, 'up'], { check: true });
    sh('ip', ['-n', ns[h], 'link', 'set', 'eth0', 'up'], { check: true });
  });
  // The fixture servers' certificate names mail.demo.test: the client namespace's own hosts file (ip netns exec
  // mounts /etc/netns/NAME/* over /etc) names the server by it, as a user's settings would; checked by its IP
  // address, the certificate rightly does not match (tls.hostname-mismatch) and "nothing blocked" is refused.
  mkdirSync(`/etc/netns/${ns.client}`, { recursive: true });
  writeFileSync(`/etc/netns/${ns.client}/hosts`, `127.0.0.1 localhost\n${addr.server} ${SERVER_NAME}\n`);
  writeFileSync(`/etc/netns/${ns.client}/resolv.conf`, 'nameserver 127.0.0.1\n');
  return { ns, addr };
}

function startStack(ns, name) {
  const cfg = { servers: [25, 587].map((port) => ({ host: '0.0.0.0', port, mode: 'starttls', name })).concat([{ host: '0.0.0.0', port: 465, mode: 'implicit-tls', name }]) };
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, STACK, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('fixture stack did not start')), 10_000);
    child.stdout.on('data', (d) => { if (String(d).includes('ready')) { clearTimeout(t); resolve(child); } });
    child.once('exit', (code) => reject(new Error(`fixture stack exited (${code})`)));
  });
}

function nft(ns, statements, dir) {
  const file = join(dir, 'rules.nft');
  writeFileSync(file, ['flush ruleset', 'table inet bench {', '\tchain output {', '\t\ttype filter hook output priority filter; policy accept;', ...statements.map((s) => `\t\t${s}`), '\t}', '}', ''].join('\n'));
  sh('ip', ['netns', 'exec', ns, 'nft', '-f', file], { check: true });
}

function timeRuns(args, runs) {
  const ms = [];
  const statuses = new Set();
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = sh(args[0], args.slice(1));
    ms.push(performance.now() - t0);
    statuses.add(last.status);
  }
  return { median: median(ms), out: last.stdout, status: last.status, statuses: [...statuses] };
}

/** Why a side's runs do not count (an unexpected exit code in any run), or '' when they do. */
function unexpected(who, r, allowed) {
  const bad = r.statuses.filter((x) => !allowed.includes(x));
  return bad.length ? `${who} exited ${bad.join(', ')} (expected ${allowed.join(' or ')})` : '';
}

export async function runNetworkBench({ runs = Number(process.env.BENCH_RUNS ?? 3) } = {}) {
  if (process.getuid?.() !== 0) {
    console.log('network bench: skipped (needs root for namespaces)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sendcheck-netbench-'));
  const { ns, addr } = topology();
  const stacks = [];
  const hasSwaks = sh('swaks', ['--version']).status === 0;
  try {
    stacks.push(await startStack(ns.server), await startStack(ns.reference, 'ref.bench.test'));
    // The fixture servers use the demo certificate (mail.demo.test, demo CA): trust that CA, as a user would theirs.
    const { demoCaPem } = await import(`${root}dist/lab/certs.js`);
    const caFile = join(dir, 'demo-ca.pem');
    writeFileSync(caFile, demoCaPem());
    const S = addr.server;
    const R = addr.reference;
    const scenarios = [
      { name: 'nothing blocked', rules: [], port: 587 },
      { name: 'port 25 dropped everywhere (ISP block)', rules: ['tcp dport 25 drop'], port: 25 },
      { name: 'every mail port dropped, reference too', rules: ['tcp dport 25 drop', 'tcp dport 465 drop', 'tcp dport 587 drop'], port: 587 },
      { name: '587 reset everywhere (local REJECT)', rules: ['tcp dport 587 reject with tcp reset'], port: 587 },
      { name: '587 ICMP-rejected towards the server', rules: [`ip daddr ${S} tcp dport 587 reject with icmp type port-unreachable`], port: 587 },
    ];
    console.log(`\nnetwork path: sendcheck (3 ports × server + reference, RST/ICMP told apart) vs swaks (one port), connect timeout ${TIMEOUT_S} s, median of ${runs}\n`);
    console.log('scenario'.padEnd(42), 'sendcheck'.padStart(10), 'swaks'.padStart(10), 'ratio'.padStart(7), '/timeout'.padStart(9), '  network findings');
    for (const s of scenarios) {
      nft(ns.client, s.rules, dir);
      const a = timeRuns(['ip', 'netns', 'exec', ns.client, process.execPath, CLI, 'check', '--host', SERVER_NAME, '--port', String(s.port), '--ports', '25,465,587',
        '--reference', R, '--ca', caFile, '--timeout', String(TIMEOUT_S), '--json'], runs);
      const b = hasSwaks
        ? timeRuns(['ip', 'netns', 'exec', ns.client, 'swaks', '--server', SERVER_NAME, '--port', String(s.port), '--timeout', String(TIMEOUT_S), '--quit-after', 'EHLO'], runs)
        : undefined;
      // Both sides checked on every run: swaks 0 when it got through, 2 when it could not connect; sendcheck 0/4 when
      // nothing blocks sending, 1 when something does. A row with an unexpected exit is refused, never timed.
      const blocked = s.rules.length > 0;
      const refusal = unexpected('sendcheck', a, blocked ? [1] : [0, 4]) || (b ? unexpected('swaks', b, blocked ? [2] : [0]) : '');
      if (refusal) {
        console.log(s.name.padEnd(42), `REFUSED: ${refusal}`);
        continue;
      }
      let codes = '?';
      try {
        codes = JSON.parse(a.out).findings.map((f) => f.code).filter((c) => /^(port|firewall|filter|local|security-software)\./.test(c)).join(', ') || '-';
      } catch { /* keep '?' */ }
      console.log(s.name.padEnd(42), `${a.median.toFixed(0)} ms`.padStart(10), (b ? `${b.median.toFixed(0)} ms` : 'n/a').padStart(10),
        (b ? `${(a.median / b.median).toFixed(2)}x` : '').padStart(7), `${(a.median / (TIMEOUT_S * 1000)).toFixed(2)}`.padStart(9), `  ${codes}`);
    }
    console.log('\nsendcheck times include process start (~0.2 s). "/timeout" near 1 means the reference comparison ran in parallel, not after.');
  } finally {
    for (const c of stacks) c.kill('SIGKILL');
    for (const n of Object.values(ns)) sh('ip', ['netns', 'del', n]);
    rmSync(`/etc/netns/${ns.client}`, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runNetworkBench();
