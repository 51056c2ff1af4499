// JSON renderer: the Report as a versioned document (docs/json-report.md). Pure.
import type { Report } from './types.js';
import { escapeJsonControls } from './visible.js';

/** JSON.stringify escapes C0 controls; DEL, C1 and bidi characters are escaped too, so no raw control character
 * reaches a terminal that shows the document (the parsed strings are unchanged). */
export function renderJson(report: Report, opts: { pretty?: boolean } = {}): string {
  return `${escapeJsonControls(JSON.stringify(report, null, opts.pretty === false ? undefined : 2))}\n`;
}
