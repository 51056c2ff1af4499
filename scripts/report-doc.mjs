// Renders the field reference of docs/json-report.md from the JSON Schema: one table per type, every field with its
// type, whether it is always present, and the meaning (the TypeScript doc comment). The hand-written part of the doc
// (how to read it, the versioning rule, the changelog) stays above MARKER and is kept as it is.
import { readFileSync } from 'node:fs';

export const MARKER = '<!-- Everything below is generated from schema/report.schema.json by `npm run docs:report`: do not edit by hand. -->';

const cell = (s) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const anchor = (name) => name.toLowerCase().replace(/[^a-z0-9-]/g, '');
const code = (v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

function typeOf(s) {
  if (!s || Object.keys(s).length === 0 || (s.description && Object.keys(s).length === 1)) return 'any';
  if (s.$ref) {
    const name = s.$ref.replace('#/$defs/', '');
    return `[${name}](#${anchor(name)})`;
  }
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(' \\| ');
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  if (s.type === 'array') return s.prefixItems ? `[${s.prefixItems.map(typeOf).join(', ')}]` : `${typeOf(s.items)}[]`;
  if (s.type === 'object' && !s.properties) return s.additionalProperties && s.additionalProperties !== true ? `map of ${typeOf(s.additionalProperties)}` : 'object';
  if (s.type === 'object') return 'object';
  return `${s.type}${s.pattern ? ` (${code(s.pattern)})` : ''}`;
}

/** Rows for an object schema; inline objects (and arrays of them) are flattened as `parent.child` rows. */
function rows(s, prefix = '') {
  const out = [];
  const required = new Set(s.required ?? []);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const inner = prop.type === 'array' && prop.items?.properties ? prop.items : prop.properties ? prop : undefined;
    const path = `${prefix}${name}`;
    out.push(`| \`${path}\` | ${inner ? (inner === prop ? 'object' : 'object[]') : typeOf(prop)} | ${required.has(name) ? 'always' : 'optional'} | ${cell(prop.description)} |`);
    if (inner) out.push(...rows(inner, `${path}${inner === prop ? '.' : '[].'}`));
  }
  if (s.additionalProperties && s.additionalProperties !== true && s.properties) out.push(`| \`${prefix}*\` | ${typeOf(s.additionalProperties)} | optional | other keys |`);
  else if (s.additionalProperties === undefined && s.properties) out.push(`| \`${prefix}*\` | any | optional | other keys (areas added later) |`);
  return out;
}

export function renderReportReference(schema) {
  const defs = schema.$defs;
  const root = schema.$ref.replace('#/$defs/', '');
  const names = [root, ...Object.keys(defs).filter((n) => n !== root).sort()];
  const out = [MARKER, '', `## Field reference (schema ${schema.$comment.replace('schemaVersion ', '')})`, '',
    `The root type is [${root}](#${anchor(root)}). "always" fields are present in every report; "optional" ones only when they apply.`, ''];
  for (const name of names) {
    const s = defs[name];
    out.push(`### ${name}`, '');
    if (s.description) out.push(cell(s.description), '');
    if (s.properties) out.push('| Field | Type | Present | Meaning |', '| --- | --- | --- | --- |', ...rows(s), '');
    else out.push(`${typeOf(s)}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The whole doc: the hand-written head of the current docs/json-report.md, then the generated reference. */
export function renderReportDoc(schema, current = readFileSync(new URL('../docs/json-report.md', import.meta.url), 'utf8')) {
  const i = current.indexOf(MARKER);
  const head = (i >= 0 ? current.slice(0, i) : `${current.trimEnd()}\n\n`).trimEnd();
  return `${head}\n\n${renderReportReference(schema)}`;
}
