// The Report: what every front end (terminal, JSON, HTML, web page, library) receives. Versioned: see
// docs/json-report.md. Additive changes bump the minor version; removals or renames bump the major.
import type { Facts } from '../facts/index.js';
import type { SecurityMode, Transcript } from '../facts/types.js';
import type { Finding, Hop } from '../findings/types.js';
import type { Verdict } from './verdict.js';

export const REPORT_SCHEMA_VERSION = '1.7';

/** A submission path that was seen to work (rules/works.ts finds them). */
export interface WorkingConfig {
  host: string;
  address: string;
  port: number;
  security: SecurityMode;
  /** AUTH mechanisms offered once TLS is up. */
  authMechanisms: string[];
  /** The certificate validated for the configured host name. */
  certificateOk: boolean;
  tlsProtocol?: string;
}

/** Where the JSON Schema of this report lives: the file shipped in the package (schema/report.schema.json), as
 * published for this version. Every report names it in `$schema`. */
export function reportSchemaUrl(version: string): string {
  return `https://unpkg.com/sendcheck@${version}/schema/report.schema.json`;
}

export type HopStatus = 'ok' | 'failed' | 'warning' | 'skipped' | 'not-tested';

export interface HopLine {
  hop: Hop;
  status: HopStatus;
  summary: string;
  ms?: number;
}

/** The server a `check` (or `roundtrip`) report is about: never a secret, only whether one was given. */
export interface TargetSummary {
  kind: 'server';
  host: string;
  port: number;
  security: SecurityMode;
  user?: string;
  passwordGiven: boolean;
  oauthTokenGiven: boolean;
  from?: string;
  to: string[];
  origin: string;
  resolvers: string[];
  timeoutMs: number;
  /** The rest of what rules read, so --replay judges exactly what the live run judged (schema 1.3; older reports
   * lack them and replay falls back to defaults). CA certificates are counted, not copied. */
  explicitPort?: boolean;
  explicitSecurity?: boolean;
  sweepPorts?: number[];
  implicitTlsPorts?: number[];
  mechanisms?: string[];
  heloName?: string;
  email?: string;
  caCount?: number;
}

/** The domain a `domain` report is about. */
export interface DomainTargetSummary {
  kind: 'domain';
  domain: string;
  /** The sending IPs given (--ip). */
  ips: string[];
  /** The SMTP host that sends (--host). */
  host?: string;
  /** The name that host announces (--helo). */
  helo?: string;
  /** DKIM selectors given (--selector). */
  selectors: string[];
  resolvers: string[];
  timeoutMs: number;
  /** With `domain --file`: the line of the file this domain is on (1-based). */
  line?: number;
}

/** What an `explain` report read: where the text came from and how long it was (never the text itself). */
export interface ExplainTargetSummary {
  kind: 'explain';
  /** An argument on the command line (or a library call), a file, or standard input. */
  source: 'text' | 'file' | 'stdin';
  /** The file's path as given, when the source is a file. */
  file?: string;
  /** Length of the text read, in characters. */
  chars: number;
}

export type ReportTarget = TargetSummary | DomainTargetSummary | ExplainTargetSummary;

/** The server a report is about, when it is a `check` report. */
export function serverTarget(report: Pick<Report, 'target'>): TargetSummary | undefined {
  return report.target?.kind === 'server' ? report.target : undefined;
}

export interface Report {
  /** The JSON Schema this document follows (see reportSchemaUrl). */
  $schema: string;
  /** MAJOR.MINOR (docs/json-report.md: versioning).
   * @pattern ^[0-9]+\.[0-9]+$ */
  schemaVersion: string;
  tool: { name: 'sendcheck'; version: string };
  command: 'check' | 'domain' | 'explain';
  /** What was checked: a server (`check`), a domain (`domain`) or a text (`explain`). */
  target: ReportTarget;
  /** When the run started (UTC, ISO 8601).
   * @pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$ */
  startedAt: string;
  /** How long the run took, in milliseconds. */
  durationMs: number;
  /** "blocked": mail does not leave or was refused; "at-risk": it leaves, but receivers may junk or refuse some
   * (blockers only on the domain/reputation hops); "warnings": only warnings; "ok": nothing found. See verdict.ts. */
  verdict: Verdict;
  /** The first blocker along the path: the cause to fix first. */
  rootCause?: Finding;
  /** Root cause first, then by hop order and severity. */
  findings: Finding[];
  hops: HopLine[];
  works: WorkingConfig[];
  recommended?: WorkingConfig;
  facts: Facts;
  transcripts: Transcript[];
  stats: { dnsQueries: number; connections: number };
}
