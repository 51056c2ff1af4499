// `sendcheck explain TEXT | FILE | -`: an error message, a bounce (.eml) or a log → findings and what to run next.
import { readFileSync, readSync, statSync } from 'node:fs';
import { ExitCode, UserError } from '../errors.js';
import { assertText, explainToReport, MAX_EXPLAIN_BYTES } from '../explain/explain.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import { exitCodeOfVerdict } from '../report/verdict.js';
import { reportColor, type CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { EXPLAIN_SPEC } from './specs.js';

function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin (inherited from some shells) has no data yet: wait a little instead of spinning.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw new UserError('file-unreadable', `standard input: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `standard input: more than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB; give the bounce or the log lines around the error`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

export function readExplainInput(arg: string): string {
  if (arg === '-') return assertText(readStdin(), 'standard input');
  // A path that exists is a file; anything else is the error text itself.
  let isFile = false;
  try {
    isFile = statSync(arg).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    // Looks like a path (and not like a reply such as "550-5.1.1"): a missing file, not text to explain. Digits alone
    // do not make it a reply: a temporary directory's random name can hold "415".
    if (/^[./~]|\.(eml|txt|log|msg)$/i.test(arg) && !/\s/.test(arg) && !/^[2-5]\d\d(?:[\s.-]|$)/.test(arg)) throw new UserError('file-unreadable', `${arg}: no such file`);
    return arg;
  }
  if (statSync(arg).size > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `${arg}: larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB; give the bounce message or the log lines around the error`);
  let buf: Buffer;
  try {
    buf = readFileSync(arg);
  } catch (e) {
    throw new UserError('file-unreadable', `${arg}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return assertText(buf, arg);
}

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(EXPLAIN_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const { values, positionals } = args;
  if (!positionals.length) throw new UserError('usage', 'nothing to explain: give the error text, a file, or - for standard input (see sendcheck explain --help)');
  const text = positionals.length === 1 ? readExplainInput(positionals[0]!) : positionals.join(' ');
  const report = explainToReport(text);
  if (values.json) io.stdout(renderJson(report));
  else io.stdout(renderTerminal(report, { color: reportColor(io, values), verbose: values.verbose }));
  return exitCodeOfVerdict(report.verdict);
}
