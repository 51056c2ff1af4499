// After the suite: every code in the finding catalog must have been produced by at least one test
// (tests record what they produced in .lab/codes-seen/ through test/helpers/findings.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { FINDING_DEFS } from '../dist/findings/catalog.js';

const dir = new URL('../.lab/codes-seen/', import.meta.url);
const seen = new Set();
if (existsSync(dir)) for (const f of readdirSync(dir)) for (const l of readFileSync(new URL(f, dir), 'utf8').split('\n')) if (l) seen.add(l);
const missing = FINDING_DEFS.map((d) => d.code).filter((c) => !seen.has(c));
console.log(`finding coverage: ${FINDING_DEFS.length - missing.length}/${FINDING_DEFS.length} catalog codes produced by tests`);
if (missing.length) {
  console.error(`codes never produced by a test:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
