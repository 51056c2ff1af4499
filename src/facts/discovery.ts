// Facts of settings discovery (src/input/discover.ts): what the domain's SRV records, autoconfig document, the
// provider table and MX said about where an address sends from, and which lookups got no answer. No judgement:
// rules/discovery.ts decides whether nothing was found, or whether the user's settings differ.
import type { DnsErrorKind, SecurityMode } from './types.js';

/** Where a candidate came from: SRV records, the domain's autoconfig document over HTTPS, Thunderbird's ISP database
 * (ISPDB), the provider table, the domain's autoconfig document over plain HTTP (unauthenticated: anyone on the path
 * could have written it), the MX pointing at a known provider, a conventional name that exists. */
export type CandidateSource = 'srv' | 'autoconfig' | 'ispdb' | 'provider' | 'autoconfig-http' | 'mx-provider' | 'guess';

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
  /** Exactly where: the SRV record's name, the document's URL, the provider table's entry id. */
  from?: string;
  /** False when the source is not authenticated (a document fetched over plain HTTP). */
  authenticated?: boolean;
}

export interface ImapCandidate {
  host: string;
  port: number;
  security: SecurityMode;
  source: CandidateSource;
  detail: string;
  /** Exactly where: the SRV record's name, the document's URL, the provider table's entry id. */
  from?: string;
  /** False when the source is not authenticated (a document fetched over plain HTTP). */
  authenticated?: boolean;
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
  /** Which document: the domain's over HTTPS (default), the domain's over plain HTTP, or Thunderbird's ISP database. */
  source?: 'autoconfig' | 'autoconfig-http' | 'ispdb';
  /** False for a document fetched over plain HTTP: anyone on the path could have written it. */
  authenticated?: boolean;
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
