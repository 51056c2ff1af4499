// Everything one run observed, gathered from each area's fact types. Kept apart from facts/types.ts so that the
// areas (round trip, network path, domain, discovery) can use the core types without an import cycle.
import type { DiscoveryFact } from './discovery.js';
import type { DomainFacts } from './domain.js';
import type { ExplainResult } from './explain.js';
import type { NetworkFacts } from './network.js';
import type { RoundtripFact } from './roundtrip.js';
import type { ConnectFact, ProbeErrorFact, ResolveFact, SessionFact, SpeakFact } from './types.js';

/** Facts contributed beyond the core SMTP path, keyed by the probe (or command) that gathered them. */
export interface ExtraFacts {
  /** The network-path probe (probes/network/). */
  network?: NetworkFacts;
  /** The domain audit (`sendcheck domain`, or the `domain` probe of `sendcheck check`). */
  domain?: DomainFacts;
  /** `sendcheck domain` for a name that failed validation before any lookup: the name as given. */
  domainName?: string;
  /** Settings discovery for an email address. */
  discovery?: DiscoveryFact;
  /** `sendcheck explain`: what was read from the pasted text and how each item was understood. */
  explain?: ExplainResult;
}

/** Everything one run observed. Extension areas add optional members; rules must tolerate their absence. */
export interface Facts {
  resolve?: ResolveFact;
  connects: ConnectFact[];
  speaks: SpeakFact[];
  session?: SessionFact;
  /** The round trip through the user's own mailbox, when asked for. */
  roundtrip?: RoundtripFact;
  extra: ExtraFacts;
  /** Probes that threw (a bug, never a network outcome): their facts are missing; a rule reports each one. */
  probeErrors?: ProbeErrorFact[];
}
