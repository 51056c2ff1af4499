// The shape of a finding and of its catalog entry. Finding codes are a public API: never rename one silently.

/** The nine cause areas a finding belongs to (see docs/findings.md). */
export const CATEGORIES = [
  'server-settings',
  'authentication',
  'firewall',
  'client-config',
  'port-blockage',
  'isp-limits',
  'security-software',
  'dns',
  'spam-filters',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_TITLES: Record<Category, string> = {
  'server-settings': 'Outgoing server settings',
  authentication: 'Authentication',
  firewall: 'Firewalls',
  'client-config': 'Client configuration',
  'port-blockage': 'Port blockage',
  'isp-limits': 'ISP limits',
  'security-software': 'Antivirus / security software',
  dns: 'DNS',
  'spam-filters': 'Spam filters and reputation',
};

export type Severity = 'blocker' | 'warning' | 'info';
export type Confidence = 'certain' | 'likely' | 'possible';

/** The hop of the sending path a finding is about; the root cause is the first failing hop in this order. */
export const HOPS = [
  'input',
  'resolve',
  'connect',
  'greeting',
  'tls',
  'auth',
  'envelope',
  'domain',
  'reputation',
  'delivery',
] as const;
export type Hop = (typeof HOPS)[number];

/** One observation that supports a finding: what was seen, where, and how long it took. */
export interface Evidence {
  /** What was seen, in words (a reply line, an error message, a record). Never contains a secret. */
  text: string;
  /** Where it was seen, e.g. "203.0.113.5:587" or "TXT example.com". */
  where?: string;
  /** How long the step took, in milliseconds. */
  ms?: number;
}

/** Static catalog entry: everything about a code that does not depend on one run. */
export interface FindingDef {
  code: string;
  category: Category;
  severity: Severity;
  hop: Hop;
  title: string;
  /** Why this breaks (or threatens) sending. */
  explanation: string;
  /** Ordered fix steps; may contain {placeholders} that a rule fills in. */
  fix: string[];
  /** What evidence triggers it (for docs/findings.md). */
  trigger: string;
  /** More general codes this one explains: when both are found at the same hop, this one is the root cause. */
  refines?: string[];
}

/** A finding produced by a rule for one run. */
export interface Finding {
  code: string;
  category: Category;
  severity: Severity;
  hop: Hop;
  title: string;
  evidence: Evidence[];
  explanation: string;
  fix: string[];
  confidence: Confidence;
}
