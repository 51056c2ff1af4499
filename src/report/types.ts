// The Report: what every front end (terminal, JSON, HTML, web page, library) receives. Versioned: see
// docs/json-report.md. Additive changes bump the minor version; removals or renames bump the major.
import type { Facts, SecurityMode, Transcript } from '../facts/types.js';
import type { Finding, Hop } from '../findings/types.js';
import type { WorkingConfig } from '../rules/works.js';

export const REPORT_SCHEMA_VERSION = '1.2';

export type HopStatus = 'ok' | 'failed' | 'warning' | 'skipped' | 'not-tested';

export interface HopLine {
  hop: Hop;
  status: HopStatus;
  summary: string;
  ms?: number;
}

/** The target as shown in reports: never a secret, only whether one was given. */
export interface TargetSummary {
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
}

export interface Report {
  schemaVersion: string;
  tool: { name: 'sendcheck'; version: string };
  command: 'check' | 'domain' | 'explain';
  target?: TargetSummary;
  startedAt: string;
  durationMs: number;
  /** "ok": nothing blocks sending; "blocked": at least one blocker; "warnings": only warnings. */
  verdict: 'ok' | 'blocked' | 'warnings';
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
