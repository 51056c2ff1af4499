// Facts of a domain audit (sendcheck domain, and the `domain` extension probe of sendcheck check): what DNS
// answered, per area, with no judgement. The rules in src/rules/dns.ts and src/rules/reputation.ts judge them.
import type { DnsErrorKind, ResolverCheckFact } from './types.js';

/** One DNS answer as seen: records (as text) or an error kind. */
export interface Lookup {
  name: string;
  type: string;
  records: string[];
  error?: DnsErrorKind;
  detail?: string;
  ms: number;
}

export interface SpfTerm {
  /** The term as written, e.g. "include:_spf.example.com" or "-all". */
  term: string;
  qualifier?: '+' | '-' | '~' | '?';
  mechanism?: string;
  value?: string;
}

export interface SpfNode {
  domain: string;
  /** Every TXT string at the name that starts with v=spf1 (more than one is a permerror). */
  records: string[];
  error?: DnsErrorKind;
  terms: SpfTerm[];
  syntaxErrors: string[];
  /** DNS-querying terms in this record (include, a, mx, ptr, exists, redirect). */
  lookups: number;
  children: SpfNode[];
  /** Set when this include/redirect points back at a domain already on the path. */
  loop?: boolean;
  /** Set when an include/redirect target has no SPF record. */
  missing?: boolean;
}

export interface SpfEvaluation {
  ip: string;
  helo?: string;
  result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';
  comment?: string;
  /** The chain of terms that decided, e.g. "include:_spf.example.com → ip4:192.0.2.0/24" (when it can be replayed). */
  decidedBy?: string;
  lookups?: { count: number; limit: number; void: number };
}

export interface SpfFacts {
  domain: string;
  /** TXT records at the domain starting with v=spf1. */
  records: string[];
  lookupError?: DnsErrorKind;
  tree?: SpfNode;
  /** Total DNS-querying terms over the whole include/redirect tree (RFC 7208 §4.6.4 limit: 10). */
  totalLookups: number;
  /** include/redirect/a/mx targets that returned no data (RFC 7208 §4.6.4 void limit: 2). */
  voidLookups: string[];
  loops: string[];
  /** `mx` mechanisms whose name has more than 10 MX names ("mx:example.com has 50 MX names"): a permerror when
   * evaluated (RFC 7208 §4.6.4). */
  mxOverLimit?: string[];
  /** Syntax problems anywhere in the tree, prefixed with the domain. */
  syntaxErrors: string[];
  /** The qualifier of the top-level (or redirected) "all", if any. */
  all?: '+' | '-' | '~' | '?';
  evaluations: SpfEvaluation[];
}

export interface DkimKeyFacts {
  selector: string;
  name: string;
  /** Where the selector came from: given (--selector / a message) or discovery among common names. */
  source: 'given' | 'discovered' | 'message';
  found: boolean;
  record?: string;
  error?: DnsErrorKind;
  tags?: Record<string, string>;
  keyType?: string;
  bits?: number;
  revoked?: boolean;
  testing?: boolean;
  syntaxErrors: string[];
}

export interface DkimMessageResult {
  domain: string;
  selector: string;
  result: string;
  comment?: string;
}

export interface DkimFacts {
  domain: string;
  keys: DkimKeyFacts[];
  /** Selectors tried during discovery (when none was given). */
  discoveryTried: string[];
  messageResults: DkimMessageResult[];
}

export interface DmarcRecord {
  raw: string;
  tags: Record<string, string>;
  p?: 'none' | 'quarantine' | 'reject';
  sp?: 'none' | 'quarantine' | 'reject';
  pct: number;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  rua: string[];
  ruf: string[];
}

export interface DmarcFacts {
  domain: string;
  orgDomain: string;
  /** The name the record was found at (_dmarc.DOMAIN or _dmarc.ORGDOMAIN). */
  foundAt?: string;
  records: string[];
  lookupError?: DnsErrorKind;
  parsed?: DmarcRecord;
  syntaxErrors: string[];
  /** External report destinations and whether they authorise the domain (RFC 7489 §7.1). */
  externalDestinations: { uri: string; domain: string; authorized: boolean; checked: string }[];
}

export interface PtrFacts {
  ip: string;
  reverseName: string;
  names: string[];
  error?: DnsErrorKind;
  /** Names whose A/AAAA records include the IP (forward-confirmed). */
  confirmed: string[];
  helo?: string;
  heloMatches?: boolean;
}

export interface MtaStsFacts {
  txt: string[];
  txtError?: DnsErrorKind;
  policyUrl?: string;
  policy?: { raw: string; version?: string; mode?: string; mx: string[]; maxAge?: number; errors: string[] };
  fetchError?: string;
  /** MX hosts not matched by the policy's mx patterns. */
  mxNotCovered: string[];
}

export interface TxtPolicyFacts {
  name: string;
  records: string[];
  error?: DnsErrorKind;
  syntaxErrors: string[];
}

export interface DaneFacts {
  /** _25._tcp.MXHOST */
  name: string;
  mx: string;
  records: { usage: number; selector: number; mtype: number; data: string }[];
  /** The resolver set the AD bit: the answer is DNSSEC-validated. */
  authenticated?: boolean;
  error?: DnsErrorKind;
  problems: string[];
}

export interface PropagationDiff {
  name: string;
  type: string;
  authoritative: string[];
  authoritativeServer: string;
  recursive: string[];
  recursiveServer: string;
}

export interface PropagationFacts {
  zone?: string;
  nameservers: { name: string; addresses: string[] }[];
  /** Name server addresses that did not answer for the zone (not compared). */
  unreachable?: string[];
  compared: { name: string; type: string }[];
  differences: PropagationDiff[];
  error?: string;
}

export type BlocklistStatus = 'listed' | 'not-listed' | 'refused' | 'unknown-code' | 'error';

export interface BlocklistResult {
  list: string;
  name: string;
  zone: string;
  type: 'ip' | 'domain';
  subject: string;
  query: string;
  status: BlocklistStatus;
  answers: string[];
  meaning?: string;
  txt?: string;
  removalUrl?: string;
  /** How to read a listing of this list (e.g. a policy list of dynamic ranges is not a spam listing). */
  notes?: string;
  error?: DnsErrorKind;
}

export interface AddressFacts {
  domain: Lookup;
  mx: { records: { exchange: string; priority: number }[]; error?: DnsErrorKind; ms: number };
  hosts: { name: string; role: 'domain' | 'mx' | 'smtp-host' | 'mta-sts'; cnames: string[]; addresses: string[]; error?: DnsErrorKind; dangling?: string }[];
}

/** The sender's address is at a consumer mailbox provider (data/consumer-domains.json): the domain's DNS is theirs. */
export interface ConsumerProviderFact {
  id: string;
  name: string;
  /** The provider's own submission hosts (data/providers.json): sending through them makes its SPF/DKIM apply. */
  submissionHosts: string[];
  source: string;
}

export interface DomainFacts {
  kind: 'domain';
  domain: string;
  /** Set by `check` when the sender's address is at a consumer provider (gmail.com, outlook.com, ...). */
  consumerProvider?: ConsumerProviderFact;
  /** The sending IPs evaluated and where they came from. */
  ips: string[];
  /** given: --ip; smtp-host: the addresses of the --host the user says sends; submission-host: in `check`, the
   * submission server's addresses (a provider often relays through other addresses); none: no IP evaluated. */
  ipSource: 'given' | 'smtp-host' | 'submission-host' | 'none';
  /** Where the HELO name came from: given (--helo) or the server's EHLO greeting (only shown, not judged). */
  heloSource?: 'given' | 'greeting';
  /** Inferred SMTP-host addresses in private ranges, not evaluated (receivers see the relay's public address). */
  privateIpsSkipped?: string[];
  helo?: string;
  smtpHost?: string;
  addresses: AddressFacts;
  spf: SpfFacts;
  dkim: DkimFacts;
  dmarc: DmarcFacts;
  ptr: PtrFacts[];
  mtaSts?: MtaStsFacts;
  tlsRpt?: TxtPolicyFacts;
  bimi?: TxtPolicyFacts;
  /** TLSA records of the MX hosts (DANE, RFC 7672), where published. */
  dane: DaneFacts[];
  propagation?: PropagationFacts;
  blocklists: BlocklistResult[];
  /** Lookups that failed with a server error (timeout, SERVFAIL, REFUSED) on the domain's own names. */
  failedLookups: Lookup[];
  /** When lookups failed: whether the same resolver answers anything else (else the failures are its own, not the domain's). */
  resolverCheck?: ResolverCheckFact;
  resolver: string;
  ms: number;
}
