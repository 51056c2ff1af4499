// JSON renderer: the Report as a versioned document (docs/json-report.md). Pure.
import type { Report } from './types.js';

export function renderJson(report: Report, opts: { pretty?: boolean } = {}): string {
  return `${JSON.stringify(report, null, opts.pretty === false ? undefined : 2)}\n`;
}
