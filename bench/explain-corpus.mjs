// One cold, whole-process pass of `sendcheck explain` over a directory of bounces (the bench's "ours" side against
// sisimai): imports the built library, explains each .eml once, prints the count, the rate and the agreement with
// sisimai's labels (labels.csv, scored through the same map the conformance test uses).
// Usage: node bench/explain-corpus.mjs CORPUS_ROOT SUBDIR   (e.g. …/sisimai-bounces maildir/bsd)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const t0 = performance.now();
const [corpus, sub] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const { assertText, explainText } = await import(`${root}dist/explain/explain.js`);
const { SISIMAI_REASON_MAP } = await import(`${root}dist/explain/sisimai-map.js`);

const dir = join(corpus, sub);
const results = new Map();
for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml')).sort()) {
  try {
    results.set(`${sub}/${f}`, explainText(assertText(readFileSync(join(dir, f)), f)));
  } catch (e) {
    results.set(`${sub}/${f}`, e);
  }
}
const ms = performance.now() - t0;

let agree = 0;
let total = 0;
for (const line of readFileSync(join(corpus, 'labels.csv'), 'utf8').trim().split('\n').slice(1)) {
  const [file, idx, kind, reason] = line.split(',');
  const res = results.get(file);
  if (!res || kind === 'unlabelled' || !SISIMAI_REASON_MAP[reason]?.scored) continue;
  const items = res instanceof Error ? [] : res.items;
  const item = items[Number(idx) - 1] ?? items[items.length - 1];
  total++;
  if (item && SISIMAI_REASON_MAP[reason].accept.includes(item.code)) agree++;
}
console.log(`explained ${results.size} messages in ${ms.toFixed(0)} ms (cold, import included): ${Math.round((results.size / ms) * 1000)} messages/s; agreement with sisimai's labels ${agree}/${total} = ${((100 * agree) / total).toFixed(1)}%`);
