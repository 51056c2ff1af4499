// Facts of the network-path probe (Facts.extra.network): the reference comparison, how refused connections were
// refused (TCP reset or ICMP), the optional hold and DATA-start tests, and local evidence. Observations only.
import type { ConnectFact, Family, ResolveFact, SmtpReply, SpeakFact } from './types.js';

/** A reference endpoint: a host that is known to accept connections on `ports`. */
export interface ReferenceSpec {
  host: string;
  ports: number[];
  source: 'default' | 'user';
}

export interface ReferenceFacts {
  specs: ReferenceSpec[];
  /** Why no comparison was made (e.g. the target is on a private network and no --reference was given). */
  skipped?: string;
  resolves: ResolveFact[];
  connects: ConnectFact[];
  speaks: SpeakFact[];
  ms: number;
}

/** Kernel ICMP "destination unreachable" counters of this network namespace (/proc/net/snmp, /proc/net/snmp6). */
export interface IcmpCounters {
  v4?: number;
  v6?: number;
}

export interface RefusalAttempt {
  outcome: ConnectFact['outcome'];
  errno?: string;
  /** How many ICMP destination-unreachable messages the kernel counted during the attempt (undefined: unreadable). */
  icmpDelta?: number;
  ms: number;
}

/**
 * How a refused or unreachable connection was refused. Node reports a TCP reset and an ICMP port-unreachable the
 * same way (ECONNREFUSED); the kernel's ICMP counters around a repeated attempt tell them apart.
 */
export interface RefusalFact {
  role: 'target' | 'reference';
  address: string;
  family: Family;
  port: number;
  attempts: RefusalAttempt[];
  /** rst: no ICMP arrived during a refused attempt; icmp: every refused/unreachable attempt saw an ICMP error. */
  verdict: 'rst' | 'icmp' | 'inconclusive';
}

export interface ProxyEnvHint {
  name: string;
  /** The value with any user:password removed. */
  value: string;
}

export interface ListenerHint {
  address: string;
  port: number;
  family: Family;
  /** The process holding the socket, when /proc/<pid>/fd could be read. */
  process?: string;
}

export interface LocalHints {
  proxyEnv: ProxyEnvHint[];
  listeners: ListenerHint[];
  /** Evidence that this runs inside a container (file → what it says). */
  container: string[];
  /** DMI identification of the machine (sys_vendor, product_name, …), when readable. */
  dmi: Record<string, string>;
}

export interface HoldFact {
  role: 'target' | 'reference';
  address: string;
  port: number;
  requestedMs: number;
  /** Idle time actually waited before the NOOP. */
  heldMs: number;
  outcome: 'survived' | 'cut-silently' | 'closed' | 'reset' | 'server-timeout' | 'not-started' | 'aborted';
  /** What ended the connection: the reply of the NOOP or an unsolicited reply (421 timeout). */
  reply?: SmtpReply;
  /** When the connection ended, relative to the start of the idle period. */
  endedAfterMs?: number;
  detail?: string;
}

export interface DataProbeFact {
  address: string;
  port: number;
  outcome: 'data-accepted' | 'closed-on-data' | 'data-rejected' | 'not-reached';
  /** The step where the conversation stopped before DATA, when it did. */
  stoppedAt?: string;
  reply?: SmtpReply;
  detail?: string;
  ms: number;
}

/** TLSA records of the configured host and port (compared with the chain seen from here by a rule). */
export interface DaneFact {
  /** e.g. _587._tcp.smtp.example.com */
  name: string;
  server: string;
  records: { usage: number; selector: number; matchingType: number; data: string }[];
  /** The resolver's AD flag (sendcheck does not validate DNSSEC itself). */
  ad?: boolean;
  error?: string;
  ms: number;
}

export interface NetworkFacts {
  kind: 'network';
  reference: ReferenceFacts;
  refusals: RefusalFact[];
  local: LocalHints;
  holds: HoldFact[];
  dataProbe?: DataProbeFact;
  dane?: DaneFact;
  ms: number;
}

/** Options under Target.options.network (from --reference, --no-reference, --hold, --data-probe). */
export interface NetworkOptions {
  references?: string[];
  noReference?: boolean;
  holdSeconds?: number;
  dataProbe?: boolean;
}
