// Generates the JSON Schema (draft 2020-12) of the JSON report from the TypeScript types (src/index.ts, root
// type ReportDocument) with ts-json-schema-generator, which writes draft-07: its `definitions` become `$defs`
// and tuple `items` become `prefixItems`. Used by scripts/gen-report-schema.mjs and by the test that fails on drift.
import { createGenerator } from 'ts-json-schema-generator';

export const SCHEMA_ID = 'https://unpkg.com/sendcheck/schema/report.schema.json';

function toDraft2020(node) {
  if (Array.isArray(node)) return node.map(toDraft2020);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/definitions/', '#/$defs/');
    else if (k === 'items' && Array.isArray(v)) out.prefixItems = toDraft2020(v);
    else if (k === 'additionalItems') out.items = toDraft2020(v);
    else out[k] = toDraft2020(v);
  }
  return out;
}

export function generateReportSchema(root = new URL('..', import.meta.url).pathname, schemaVersion) {
  const draft7 = createGenerator({
    path: `${root}/src/index.ts`,
    tsconfig: `${root}/tsconfig.json`,
    type: 'ReportDocument',
    skipTypeCheck: true,
    additionalProperties: false,
    sortProps: true,
    topRef: true,
  }).createSchema('ReportDocument');
  const { definitions, $schema: _draft, $ref, ...rest } = draft7;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'sendcheck JSON report',
    description: `Every report sendcheck prints with --json (check, domain, explain, demo and roundtrip), schema version ${schemaVersion}. Generated from the type ReportDocument in src/index.ts; see docs/json-report.md.`,
    $comment: `schemaVersion ${schemaVersion}`,
    $ref: $ref.replace('#/definitions/', '#/$defs/'),
    ...rest,
    $defs: toDraft2020(definitions),
  };
}

export function renderReportSchema(schema) {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
