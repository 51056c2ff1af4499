// Assertions on reports that also record which finding codes tests produced: scripts/check-finding-coverage.mjs
// fails the suite when a catalog code was never produced by any test.
import { appendFileSync, mkdirSync } from 'node:fs';
import type { Finding } from '../../src/findings/types.js';
import type { Report } from '../../src/report/types.js';

const dir = new URL('../../.lab/codes-seen/', import.meta.url);

export function recordCodes(findings: Finding[]): void {
  if (!findings.length) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(new URL(`${process.pid}.txt`, dir), findings.map((f) => `${f.code}\n`).join(''));
}

/** Records every finding of the report, then returns the codes for assertions. */
export function codesOf(report: Report): string[] {
  recordCodes(report.findings);
  return report.findings.map((f) => f.code);
}

export function rootCodeOf(report: Report): string | undefined {
  recordCodes(report.findings);
  return report.rootCause?.code;
}
