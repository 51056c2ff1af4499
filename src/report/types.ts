// The Report: what every front end (terminal, JSON, HTML, web page, library) receives. Versioned: see
// docs/json-report.md. Additive changes bump the minor version; removals or renames bump the major.
import type { Facts } from '../facts/index.js';
import type { SecurityMode, Transcript } from '../facts/types.js';
import type { Finding, Hop } from '../findings/types.js';
import type { Verdict } from './verdict.js';

export const REPORT_SCHEMA_VERSION = '1.5';

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

export interface Report {
  schemaVersion: string;
  tool: { name: 'sendcheck'; version: string };
  command: 'check' | 'domain' | 'explain';
  target?: TargetSummary;
  startedAt: string;
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
