// Domain-audit benchmark (issue 4): 1,000 generated zones served by a throwaway Knot on 127.0.0.32, audited by
// `sendcheck domain --file --json` (full audit) and by sendcheck's SPF evaluation alone, side by side with Debian's
// SPF checkers on the same zones: libspf2's spfquery and pyspf (python3-spf), installed here if missing.
// The peers read /etc/resolv.conf, so they run in a private mount namespace where it names 127.0.0.32 only.
// Needs root (knotd on port 53, apt-get, unshare -m). Run by bench/run.mjs, or alone: node bench/domain.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ADDR = '127.0.0.32';
const IP = '192.0.2.10';

function zoneText(i, name) {
  // Every tenth domain is broken in one of the ways the audit reports, so the run does real judging.
  const fault = i % 10;
  const spf = fault === 1 ? '' : fault === 2 ? `@ IN TXT "v=spf1 +all"\n` : fault === 6 ? `@ IN TXT "v=spf1 ip4:198.51.100.0/24 -all"\n` : fault === 3 ? `@ IN TXT "v=spf1 include:_a.${name} include:_b.${name} -all"\n_a IN TXT "v=spf1 ip4:198.51.100.0/24 a mx -all"\n_b IN TXT "v=spf1 ip4:${IP} -all"\n` : `@ IN TXT "v=spf1 ip4:192.0.2.0/24 mx -all"\n`;
  return `$ORIGIN ${name}.\n$TTL 300\n@ IN SOA ns1.${name}. hostmaster.${name}. 1 3600 600 86400 300\n@ IN NS ns1.${name}.\nns1 IN A ${ADDR}\n`
    + `@ IN MX 10 mx.${name}.\nmx IN A 192.0.2.${(i % 250) + 1}\n@ IN A 192.0.2.${(i % 250) + 1}\n${spf}`
    + (fault === 4 ? '' : `_dmarc IN TXT "v=DMARC1; p=${fault === 5 || fault === 6 ? 'reject' : 'none'}; rua=mailto:dmarc@${name}"\n`)
    + `sel1._domainkey IN TXT "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALgSoqXVSEmfcIsOzw7oRuCCOwsmtX/SJnTWxYyj2leFxfS/AVJ+dYfY+hXqMsT7l+MZvvh/R1WzN4MO/kI/7XsCAwEAAQ=="\n`;
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 256 * 1024 * 1024, ...opts });
}

async function startKnot(dir, zones) {
  const conf = `server:\n    rundir: "${dir}"\n    listen: ${ADDR}@53\n    udp-workers: 2\n    tcp-workers: 1\nlog:\n  - target: "${dir}/knot.log"\n    any: warning\ndatabase:\n    storage: "${dir}/db"\ntemplate:\n  - id: default\n    storage: "${dir}/zones"\n    file: "%s.zone"\n    semantic-checks: off\n    zonefile-sync: -1\n    journal-content: none\nzone:\n${zones.map((z) => `  - domain: "${z}."`).join('\n')}\n`;
  writeFileSync(join(dir, 'knot.conf'), conf);
  const child = spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const r = sh('dig', ['+short', '+time=1', '+tries=1', `@${ADDR}`, `${zones[zones.length - 1]}.`, 'SOA']);
    if (r.stdout.trim()) return child;
    if (child.exitCode !== null) throw new Error(`knotd exited (${dir}/knot.log)`);
    await new Promise((r2) => setTimeout(r2, 100));
  }
  throw new Error('knotd did not load the bench zones within 20 s');
}

function ensurePeers() {
  const missing = ['spfquery', 'python3-spf'].filter((p) => sh('dpkg-query', ['-W', '-f=${Status}', p]).stdout.indexOf('install ok installed') < 0);
  if (missing.length) {
    const r = sh('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) console.log(`(could not install ${missing.join(', ')}: ${r.stderr.trim().split('\n').pop()})`);
  }
}

/** Runs `script` with /etc/resolv.conf replaced by one naming only the bench server (private mount namespace). */
function withPrivateResolver(dir, script) {
  writeFileSync(join(dir, 'resolv.conf'), `nameserver ${ADDR}\noptions timeout:2 attempts:1\n`);
  return sh('unshare', ['-m', 'sh', '-c', `mount --bind ${dir}/resolv.conf /etc/resolv.conf && ${script}`]);
}

function rate(n, ms) {
  return `${(n / (ms / 1000)).toFixed(0).padStart(6)} domains/s  (${n} in ${(ms / 1000).toFixed(2)} s)`;
}

export async function runDomainBench({ count = Number(process.env.BENCH_DOMAINS ?? 1000) } = {}) {
  if (!existsSync(`${root}dist/bin/sendcheck.js`)) sh('npm', ['run', 'build'], { cwd: root });
  const dir = mkdtempSync(join(tmpdir(), 'sendcheck-bench-domain-'));
  const zones = Array.from({ length: count }, (_, i) => `d${String(i).padStart(5, '0')}.bench`);
  sh('mkdir', ['-p', join(dir, 'zones')]);
  zones.forEach((z, i) => writeFileSync(join(dir, 'zones', `${z}.zone`), zoneText(i, z)));
  writeFileSync(join(dir, 'domains.txt'), `${zones.join('\n')}\n`);
  writeFileSync(join(dir, 'spfquery.txt'), zones.map((z) => `${IP} postmaster@${z} mail.example.org`).join('\n') + '\n');
  let knot;
  const results = [];
  try {
    knot = await startKnot(dir, zones);
    ensurePeers();

    // sendcheck, full audit: addresses, SPF tree + result, DKIM discovery (20 selectors), DMARC, PTR, MTA-STS,
    // TLS-RPT, BIMI, propagation (SOA/NS + authoritative comparison); blocklists off (they are not on this server).
    let t0 = performance.now();
    let r = sh(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), `${root}dist/bin/sendcheck.js`, 'domain', '--file', join(dir, 'domains.txt'), '--json', '--resolver', ADDR,
      '--ip', IP, '--no-default-blocklists', '--concurrency', '64', '--timeout', '3']);
    let ms = performance.now() - t0;
    const lines = r.stdout.trim().split('\n').filter(Boolean);
    const blocked = lines.filter((l) => l.includes('"verdict":"blocked"')).length;
    const timeouts = lines.filter((l) => l.includes('"TIMEOUT"')).length;
    const queries = lines.reduce((s, l) => s + (JSON.parse(l).stats?.dnsQueries ?? 0), 0);
    results.push([`sendcheck domain --file (full audit)`, rate(lines.length, ms), `${blocked} blocked, ${(queries / Math.max(1, lines.length)).toFixed(0)} DNS queries/domain${timeouts ? `, ${timeouts} with a DNS timeout` : ''}`]);

    // sendcheck, SPF result only (the same work as the peers): one process, concurrent.
    const spfScript = `
      import { DnsResolver } from '${root}dist/net/resolver.js';
      import { evaluateSpf } from '${root}dist/domain/spf.js';
      const zones = ${JSON.stringify(zones)};
      const dns = new DnsResolver({ servers: ['${ADDR}'], timeoutMs: 3000 });
      const t0 = performance.now(); let next = 0; const out = {};
      await Promise.all(Array.from({ length: 64 }, async () => { while (next < zones.length) { const d = zones[next++];
        const r = await evaluateSpf(dns, { domain: d, ip: '${IP}', helo: 'mail.example.org' }); out[r.result] = (out[r.result] ?? 0) + 1; } }));
      console.log(JSON.stringify({ ms: performance.now() - t0, out }));`;
    r = sh(process.execPath, ['--input-type=module', '-e', spfScript]);
    const spf = JSON.parse(r.stdout);
    results.push(['sendcheck SPF only (mailauth, concurrent)', rate(count, spf.ms), JSON.stringify(spf.out)]);

    if (sh('which', ['spfquery']).status === 0) {
      t0 = performance.now();
      r = withPrivateResolver(dir, `spfquery -trusted 0 -file ${dir}/spfquery.txt`);
      ms = performance.now() - t0;
      const res = {};
      for (const l of r.stdout.split('\n')) if (/^(pass|fail|softfail|neutral|none|permerror|temperror)$/.test(l.trim())) res[l.trim()] = (res[l.trim()] ?? 0) + 1;
      results.push(['spfquery (libspf2, Debian), sequential', rate(count, ms), JSON.stringify(res)]);
    }
    if (sh('python3', ['-c', 'import spf']).status === 0 || sh('/usr/bin/python3', ['-c', 'import spf']).status === 0) {
      writeFileSync(join(dir, 'pyspf.py'), `import spf, sys, time, collections\nzs=[l.strip() for l in open('${dir}/domains.txt') if l.strip()]\nc=collections.Counter()\nt=time.time()\nfor z in zs:\n    c[spf.check2(i='${IP}', s='postmaster@'+z, h='mail.example.org')[0]]+=1\nprint(dict(c))\n`);
      t0 = performance.now();
      r = withPrivateResolver(dir, `/usr/bin/python3 ${dir}/pyspf.py`);
      ms = performance.now() - t0;
      results.push(['pyspf (python3-spf, Debian), sequential', rate(count, ms), r.stdout.trim() || r.stderr.trim().split('\n').pop()]);
    }
  } finally {
    if (knot?.pid && knot.exitCode === null) process.kill(knot.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
  const w = Math.max(...results.map((x) => x[0].length));
  console.log(`Domain audit: ${count} generated zones on Knot ${ADDR}, sending IP ${IP}`);
  for (const [what, speed, note] of results) console.log(`  ${what.padEnd(w)}  ${speed}  ${note}`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await runDomainBench();
