// sendcheck's library API. Everything exported here is public and versioned; everything else is internal.
import { runDomain } from './domain/run.js';
import type { DomainInput } from './input/domain-input.js';
import { runCheck, type RunOptions } from './engine.js';
import { explainToReport } from './explain/explain.js';
import type { Report } from './report/types.js';
import type { ExtraFacts, Facts } from './facts/index.js';
import type { RoundtripInput } from './input/roundtrip-options.js';
import type { CheckInput } from './input/parse.js';

export { ExitCode, UserError, isUserError } from './errors.js';
export type { CheckInput } from './input/parse.js';
export type { DomainInput } from './input/domain-input.js';
export type { DomainFacts } from './facts/domain.js';
export type { ExplainItem, ExplainResult } from './facts/explain.js';
export type { RunOptions } from './engine.js';
export type { Report, HopLine, HopStatus, TargetSummary } from './report/types.js';
export { REPORT_SCHEMA_VERSION } from './report/types.js';
export type { Finding, FindingDef, Category, Severity, Evidence, Hop, Confidence } from './findings/types.js';
export { CATEGORIES } from './findings/types.js';
export { FINDING_DEFS } from './findings/catalog.js';
export type * from './facts/types.js';
export type { WorkingConfig } from './report/types.js';
export type { RoundtripInput } from './input/roundtrip-options.js';
export type * from './facts/roundtrip.js';
export type { AuthResult, AuthResultsHeader, ReceivedHop, SpamVerdict } from './roundtrip/headers/index.js';
export { Secret } from './input/secret.js';
export { renderTerminal } from './report/terminal.js';
export { renderJson } from './report/json.js';
export { renderHtml } from './report/html.js';

/** One sendcheck JSON report: `check --json`, `domain --json` (one per line with --file), `explain --json`,
 * `demo --json` (one per line), `roundtrip --json`. The root type of schema/report.schema.json (generated from it by
 * `npm run docs:report`; a test fails when they disagree). */
export interface ReportDocument extends Report {}

/** Everything one run observed, as the JSON report carries it (the names the library has exported since 1.0). */
export type DocumentFacts = Facts;
export type DocumentExtraFacts = ExtraFacts;

/** Diagnoses the outgoing SMTP path for `input`; resolves to the same Report the CLI prints. Never rejects for
 * a network outcome; rejects with UserError for bad input. */
export function check(input: CheckInput, options?: RunOptions): Promise<Report> {
  return runCheck(input, options);
}

/** check() plus the round trip (docs/roundtrip.md): one IMAP login that cross-checks the password, one tagged test
 * message to the user's own address, its arrival watched over IMAP, the receiver's verdicts read, the message
 * deleted. Needs a user name and a password or token; rejects with UserError otherwise. */
export function roundtrip(input: CheckInput, roundtripOptions: RoundtripInput = {}, options?: RunOptions): Promise<Report> {
  return runCheck({ ...input, options: { ...input.options, roundtrip: roundtripOptions } }, options);
}

/** Audits a sending domain (DNS, SPF/DKIM/DMARC, reverse DNS, MTA-STS, propagation, blocklists); resolves to a
 * Report with command "domain". Never rejects for a DNS outcome; rejects with UserError for bad input. */
export function domain(input: DomainInput): Promise<Report> {
  return runDomain(input);
}

/** Explains an error message, a log or a bounce message (the raw text of an .eml); returns a Report with command
 * "explain" whose findings are the ones a live check would produce. Reads nothing from the network; rejects with
 * UserError for input that is not text. */
export function explain(text: string): Report {
  return explainToReport(text);
}
