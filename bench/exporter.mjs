// The exporter's figures for docs/monitoring.md (bench/run.mjs calls runExporterBench()): probes per second of one
// exporter against the lab's Postfix (no login, the submission port only), the time of one scrape, and the memory
// with 1,000 targets probed and kept (loopback addresses 127.0.1.x-127.0.4.x, whose closed ports answer at once).
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

export async function runExporterBench() {
  const { parseExporterConfig } = await import(`${root}dist/exporter/config.js`);
  const { startExporter } = await import(`${root}dist/exporter/server.js`);
  const lib = await import(`${root}dist/index.js`);
  const lab = JSON.parse(readFileSync(`${root}.lab/env.json`, 'utf8'));
  const cfg = parseExporterConfig(`concurrency: 8
modules:
  submission: { kind: submission, port: 587, security: starttls, ca_file: ${lab.caFile}, sweep_ports: [587], min_interval: 0s }
  closed: { kind: submission, port: 9, security: starttls, sweep_ports: [9], min_interval: 0s }
`);
  const ex = await startExporter(cfg, { check: lib.check, roundtrip: lib.roundtrip, domain: lib.domain }, '127.0.0.1:0');
  const get = async (q) => {
    const t0 = performance.now();
    const body = await (await fetch(`${ex.url}probe?${q}`)).text();
    if (!/^probe_success /m.test(body)) throw new Error(`no probe_success in the answer to ${q}`);
    return performance.now() - t0;
  };
  try {
    const single = [];
    for (let i = 0; i < 7; i++) single.push(await get(`module=submission&target=${lab.smtpHost}`));
    single.sort((a, b) => a - b);
    const n = 200;
    let t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (next++ < n) await get(`module=submission&target=${lab.smtpHost}`); }));
    const rate = n / ((performance.now() - t0) / 1000);
    const rss0 = process.memoryUsage().rss;
    t0 = performance.now();
    next = 0;
    const targets = Array.from({ length: 1000 }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
    await Promise.all(Array.from({ length: 16 }, async () => { while (next < targets.length) await get(`module=closed&target=${targets[next++]}`); }));
    const ms1000 = performance.now() - t0;
    global.gc?.();
    const rss1 = process.memoryUsage().rss;
    console.log(`exporter: one scrape of a healthy submission server ${single[3].toFixed(0)} ms (median of 7); ${rate.toFixed(0)} probes/s with 16 scrapes in flight (concurrency 8)`);
    console.log(`exporter: 1,000 targets probed in ${(ms1000 / 1000).toFixed(1)} s; resident memory ${(rss1 / 1048576).toFixed(0)} MB (+${((rss1 - rss0) / 1048576).toFixed(0)} MB for 1,000 kept results)`);
  } finally {
    await ex.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runExporterBench();
