// --html FILE: checked before anything runs (a directory, or a file in a directory that does not exist, is bad input:
// exit 2 before a long check), written after the report, with a write failure still a one-line error.
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import type { Report } from '../report/types.js';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';

export function checkHtmlPath(path: string): void {
  if (!path.trim()) throw new UserError('usage', '--html needs a file name');
  let existing;
  try {
    existing = statSync(path);
  } catch (e) {
    if (code(e) !== 'ENOENT') throw new UserError('file-unreadable', `--html ${path}: cannot use this path (${code(e)})`);
  }
  if (existing?.isDirectory()) throw new UserError('invalid-value', `--html ${path}: is a directory; give a file name (e.g. ${path.replace(/\/+$/, '')}/report.html)`);
  if (existing) return;
  const dir = dirname(resolve(path));
  let parent;
  try {
    parent = statSync(dir);
  } catch {
    throw new UserError('file-unreadable', `--html ${path}: the directory ${dir} does not exist`);
  }
  if (!parent.isDirectory()) throw new UserError('file-unreadable', `--html ${path}: ${dir} is not a directory`);
}

export function writeHtmlReport(path: string, report: Report): void {
  try {
    writeFileSync(path, renderHtml(report));
  } catch (e) {
    throw new UserError('file-unreadable', `--html ${path}: cannot write the file (${code(e)})`);
  }
}
