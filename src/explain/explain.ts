// `sendcheck explain`: an error message, a log or a bounce → the findings a live check would produce for the same
// failure, plus the command to run next. The runner: the text is read into facts (message.ts for a message, text.ts
// for pasted text or a log; facts/explain.ts), the judge makes the findings (rules/explain.ts through
// rules/judge.ts, as --replay does with a saved report), and the report is built from both.
import { UserError } from '../errors.js';
import type { ExplainResult } from '../facts/explain.js';
import type { Facts } from '../facts/index.js';
import type { Finding } from '../findings/types.js';
import { LIMITS } from '../net/limits.js';
import { buildReport } from '../report/build.js';
import type { ExplainTargetSummary, Report } from '../report/types.js';
import { judgeExplainReport } from '../rules/judge.js';
import { readMessage } from './message.js';
import { looksLikeMessage } from './mime.js';
import { readText } from './text.js';

export type { ExplainItem, ExplainResult } from '../facts/explain.js';

export const MAX_EXPLAIN_BYTES = LIMITS.maxExplainBytes;

/** Text (pasted, a log, a bounce file's content) → what it says, as facts. Throws UserError for input that is not text. */
export function explainText(text: string): ExplainResult {
  if (text.length > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `input larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB: give the bounce or the log lines around the error`);
  if (!text.trim()) throw new UserError('usage', 'nothing to explain: the input is empty');
  // CRLF (Windows) and bare CR (old Mac) line ends read like LF.
  const lf = text.replace(/\r\n?/g, '\n');
  return looksLikeMessage(lf) ? readMessage(lf) : readText(lf);
}

/** Refuses binary input (NUL bytes, mostly non-text) with one line. */
export function assertText(buf: Buffer, what: string): string {
  if (buf.length > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `${what}: larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB; give the bounce message or the log lines around the error`);
  const head = buf.subarray(0, 65536);
  let bad = 0;
  let nul = 0;
  for (const b of head) {
    if (b === 0) nul++;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 27 && b !== 12)) bad++;
  }
  // A stray NUL happens in real bounces; many NULs or control bytes are a binary file.
  if (nul > Math.max(2, head.length * 0.001) || bad > head.length * 0.1) throw new UserError('unsupported-format', `${what}: binary data, not an error message, log or bounce (.eml)`);
  // latin1 keeps every byte; the MIME reader decodes charsets from it. Plain UTF-8 text is read as UTF-8.
  const utf8 = buf.toString('utf8');
  return utf8.includes('\uFFFD') ? buf.toString('latin1') : utf8;
}

const factsOf = (result: ExplainResult): Facts => ({ connects: [], speaks: [], extra: { explain: result } });

/** The findings of what explain read, from the judge (the same call a report's replay makes). */
export function findingsOf(result: ExplainResult): Finding[] {
  return judgeExplainReport(factsOf(result));
}

/** The library entry point: explains `text` and returns a Report with command "explain". `from` says where the text
 * came from (the report's target names it; the text itself is only in the findings' evidence). */
export function explainToReport(text: string, from: { source: ExplainTargetSummary['source']; file?: string } = { source: 'text' }): Report {
  const t0 = performance.now();
  const startedAt = new Date();
  const facts = factsOf(explainText(text));
  const subject: ExplainTargetSummary = { kind: 'explain', source: from.source, file: from.file, chars: text.length };
  return buildReport({ command: 'explain', subject, facts, findings: judgeExplainReport(facts), transcripts: [], startedAt, durationMs: Math.round(performance.now() - t0), dnsQueries: 0 });
}
