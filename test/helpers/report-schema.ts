// Every JSON report the tests see is checked against the shipped schema (schema/report.schema.json): runCli() passes
// each `--json` output through reportsIn() + assertValidReport(), and test/report/schema.test.ts covers every kind.
import { reportViolation } from '../../src/report/schema.js';

const looksLikeReport = (v: unknown): boolean => !!v && typeof v === 'object' && 'schemaVersion' in v && (v as { tool?: { name?: string } }).tool?.name === 'sendcheck';

/** The reports in a command's stdout: one JSON document, or one per line (demo, domain --file). */
export function reportsIn(stdout: string): unknown[] {
  const text = stdout.trim();
  if (!text.startsWith('{')) return [];
  try {
    const whole = JSON.parse(text) as unknown;
    if (looksLikeReport(whole)) return [whole];
    // --from-config: { accounts: [{ account, report }] }
    const accounts = (whole as { accounts?: { report?: unknown }[] }).accounts;
    return Array.isArray(accounts) ? accounts.map((a) => a.report).filter(looksLikeReport) : [];
  } catch {
    return text.split('\n').flatMap((line) => {
      try {
        const v = JSON.parse(line) as unknown;
        return looksLikeReport(v) ? [v] : [];
      } catch {
        return [];
      }
    });
  }
}

export function assertValidReport(doc: unknown, what = 'report'): void {
  const violation = reportViolation(doc);
  if (violation) throw new Error(`${what} does not match schema/report.schema.json: ${violation} (a type changed? run npm run docs:report)`);
}
