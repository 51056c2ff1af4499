// `sendcheck explain TEXT | FILE | -`: an error message, a bounce (.eml) or a log → findings and what to run next.
import { statSync } from 'node:fs';
import { readBounded } from '../input/read-bounded.js';
import { ExitCode, UserError } from '../errors.js';
import { assertText, explainToReport, MAX_EXPLAIN_BYTES } from '../explain/explain.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import { exitCodeOfVerdict } from '../report/verdict.js';
import { reportColor, type CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { EXPLAIN_SPEC } from './specs.js';

export interface ExplainInput {
  text: string;
  source: 'text' | 'file' | 'stdin';
  file?: string;
}

export function readExplainInput(arg: string): ExplainInput {
  if (arg === '-') return { text: assertText(readBounded(0, MAX_EXPLAIN_BYTES, 'standard input', 'give the bounce message or the log lines around the error'), 'standard input'), source: 'stdin' };
  // A path that exists is read (a file, a FIFO, a device: all bounded); anything else is the error text itself.
  let isFile = false;
  try {
    isFile = !statSync(arg).isDirectory();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    // Looks like a path (and not like a reply such as "550-5.1.1"): a missing file, not text to explain. Digits alone
    // do not make it a reply: a temporary directory's random name can hold "415".
    if (/^[./~]|\.(eml|txt|log|msg)$/i.test(arg) && !/\s/.test(arg) && !/^[2-5]\d\d(?:[\s.-]|$)/.test(arg)) throw new UserError('file-unreadable', `${arg}: no such file`);
    return { text: arg, source: 'text' };
  }
  return { text: assertText(readBounded(arg, MAX_EXPLAIN_BYTES, arg, 'give the bounce message or the log lines around the error'), arg), source: 'file', file: arg };
}

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(EXPLAIN_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const { values, positionals } = args;
  if (!positionals.length) throw new UserError('usage', 'nothing to explain: give the error text, a file, or - for standard input (see sendcheck explain --help)');
  const input = positionals.length === 1 ? readExplainInput(positionals[0]!) : { text: positionals.join(' '), source: 'text' as const };
  const report = explainToReport(input.text, input);
  if (values.json) io.stdout(renderJson(report));
  else io.stdout(renderTerminal(report, { color: reportColor(io, values), verbose: values.verbose }));
  return exitCodeOfVerdict(report.verdict);
}
