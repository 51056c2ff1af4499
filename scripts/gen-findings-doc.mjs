// Writes docs/findings.md from the built catalog (run `npm run build` first; `npm run docs:findings` does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { FINDING_DEFS } from '../dist/findings/catalog.js';
import { renderFindingsDoc } from '../dist/findings/doc.js';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/findings.md', import.meta.url), renderFindingsDoc(FINDING_DEFS));
console.log(`docs/findings.md: ${FINDING_DEFS.length} codes`);
