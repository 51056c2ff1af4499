// What `sendcheck domain` (and the `domain` probe of `sendcheck check`) is asked to audit, as a caller gives it.
/** What to audit and how: the settings shared by the public input (DomainInput) and the audit (DomainAuditOptions). */
export interface DomainAuditSettings {
  domain: string;
  /** Sending IPs to evaluate SPF, PTR and blocklists for (--ip). */
  ips?: string[];
  /** The name the sending server announces in HELO/EHLO (compared with the PTR). */
  helo?: string;
  selectors?: string[];
  /** A raw message (RFC 5322): its DKIM-Signature selectors are checked and the signatures verified. */
  message?: string;
  /** Extra blocklist zones: "ZONE" (an IP list), "ip:ZONE" or "domain:ZONE" (--blocklist). */
  blocklists?: string[];
  /** Query the lists of data/dnsbl.json (default true). */
  defaultBlocklists?: boolean;
  /** Compare the zone's authoritative servers with the resolver (default true). */
  propagation?: boolean;
  /** Extra trusted CA certificates (PEM) for the MTA-STS policy fetch. */
  ca?: string[];
}

/** What a caller of domain() gives; strings as typed by a user. */
export interface DomainInput extends DomainAuditSettings {
  /** The SMTP host that sends the domain's mail; its addresses are evaluated when no IP is given. */
  host?: string;
  resolvers?: string[];
  /** Per-query timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** "mta-sts.example.com" → "ip:port": where to fetch an MTA-STS policy from instead of DNS + port 443. */
  policyHosts?: Record<string, string>;
}
