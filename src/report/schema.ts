// The JSON report's schema (schema/report.schema.json, generated from the types by `npm run docs:report`) and a
// validator for it. Loaded on first use: only --replay and the tests need it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { readPackageFile } from '../package-files.js';

/** The schema's path in the package. */
export const REPORT_SCHEMA_PATH = 'schema/report.schema.json';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readPackageFile(REPORT_SCHEMA_PATH)) as object;
    validator = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return validator;
}

/** The first violation in words ("/facts/connects/0/port must be number"), or undefined when `doc` is a valid report. */
export function reportViolation(doc: unknown): string | undefined {
  const validate = compiled();
  if (validate(doc)) return undefined;
  return describeError(validate.errors?.[0]);
}

function describeError(e: ErrorObject | undefined): string {
  if (!e) return 'does not match the report schema';
  const where = e.instancePath || '(top level)';
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperty' || p.additionalProperty !== undefined) return `${where}: unknown field "${String(p.additionalProperty)}"`;
  if (e.keyword === 'required') return `${where}: missing field "${String(p.missingProperty)}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
