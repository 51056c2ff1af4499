// Writes schema/report.schema.json (from the TypeScript types) and docs/json-report.md (from the schema). Run after a
// change to any type a report carries: `npm run docs:report` (a test fails when either file is stale).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateReportSchema, renderReportSchema } from './report-schema.mjs';
import { renderReportDoc } from './report-doc.mjs';

const root = new URL('..', import.meta.url);
const version = /REPORT_SCHEMA_VERSION = '([^']+)'/.exec(readFileSync(new URL('src/report/types.ts', root), 'utf8'))[1];
const schema = generateReportSchema(root.pathname, version);
mkdirSync(new URL('schema/', root), { recursive: true });
writeFileSync(new URL('schema/report.schema.json', root), renderReportSchema(schema));
writeFileSync(new URL('docs/json-report.md', root), renderReportDoc(schema));
console.log(`schema/report.schema.json and docs/json-report.md: schema ${version}, ${Object.keys(schema.$defs).length} definitions`);
