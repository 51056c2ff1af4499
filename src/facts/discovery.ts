// Facts of settings discovery (src/input/discover.ts): what the domain's SRV records, autoconfig document, the
// provider table and MX said about where an address sends from, and which lookups got no answer. No judgement:
// rules/discovery.ts decides whether nothing was found, or whether the user's settings differ.
import type { DnsErrorKind, SecurityMode } from './types.js';

export type CandidateSource = 'srv' | 'autoconfig' | 'provider' | 'mx-provider' | 'guess';

export interface SubmissionCandidate {
  host: string;
  port: number;
  security: SecurityMode;
  source: CandidateSource;
  /** Why we think so, for the report. */
  detail: string;
  providerId?: string;
  /** Other sources that named the same host, port and security. */
  alsoFrom?: CandidateSource[];
}

export interface ImapCandidate {
  host: string;
  port: number;
  security: SecurityMode;
  source: CandidateSource;
  detail: string;
}

export interface AutoconfigServer {
  kind: 'smtp' | 'imap' | 'pop3';
  host: string;
  port: number;
  security: SecurityMode;
  username?: string;
  authentication?: string[];
}

export interface AutoconfigResult {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
  servers: AutoconfigServer[];
}

/** A discovery lookup that got no answer (SERVFAIL, REFUSED, a timeout): unlike NXDOMAIN or NODATA, it says nothing
 * about what the domain publishes. */
export interface DiscoveryLookupFailure {
  type: string;
  name: string;
  error: DnsErrorKind;
  /** The resolver library's code, e.g. ECONNREFUSED for a resolver that is not there. */
  detail?: string;
}

export interface DiscoveryFact {
  email: string;
  /** Settings were given too (flags, a client config): discovery ran to compare them, not to choose the server. */
  compared: boolean;
  candidates: SubmissionCandidate[];
  imap: ImapCandidate[];
  autoconfig: AutoconfigResult[];
  failedLookups: DiscoveryLookupFailure[];
  /** The resolver the lookups went to, as described by the run's resolver. */
  resolver?: string;
}
