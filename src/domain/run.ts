// `sendcheck domain` as a function: validated input → domain audit → the same Report type as `check`
// (command "domain"), so every renderer works. Many domains share one resolver (one cache, one query count).
import { isIP } from 'node:net';
import { UserError } from '../errors.js';
import type { Facts } from '../facts/index.js';
import { systemIo, type RunIo } from '../net/io.js';
import { DnsResolver } from '../net/resolver.js';
import { buildReport } from '../report/build.js';
import type { DomainTargetSummary, Report } from '../report/types.js';
import { judgeDomainReport } from '../rules/judge.js';
import { DEFAULT_TIMEOUT_MS } from '../input/target.js';
import { assertNoControl, validateHost, validateResolver } from '../input/validate.js';
import { auditDomain, type DomainAuditOptions } from './audit.js';
import type { DomainInput } from '../input/domain-input.js';

export function validateDomainInput(input: DomainInput): DomainAuditOptions & { resolvers: string[] } {
  const domain = validateHost(input.domain, 'domain');
  if (isIP(domain)) throw new UserError('invalid-host', `"${input.domain}" is an IP address; give a domain name (and the IP with --ip)`);
  const ips = (input.ips ?? []).map((ip) => {
    assertNoControl('ip', ip);
    const v = ip.trim().replace(/^\[|\]$/g, '');
    if (!isIP(v)) throw new UserError('invalid-value', `--ip "${ip}" is not an IPv4 or IPv6 address`);
    return v;
  });
  const selectors = (input.selectors ?? []).map((s) => {
    assertNoControl('selector', s);
    if (!/^[a-z0-9](?:[a-z0-9._-]{0,62})$/i.test(s.trim())) throw new UserError('invalid-value', `selector "${s}" is not a DNS label sequence (e.g. selector1, s2024._mail)`);
    return s.trim();
  });
  const blocklists = (input.blocklists ?? []).map((b) => {
    const m = /^(ip:|domain:)?(.*)$/i.exec(b.trim())!;
    return `${(m[1] ?? '').toLowerCase()}${validateHost(m[2]!, 'blocklist zone')}`;
  });
  const policyHostMap: Record<string, string> = {};
  for (const [h, to] of Object.entries(input.policyHosts ?? {})) {
    const host = validateHost(h, 'policy host');
    const m = /^(?:\[([0-9a-f:.]+)\]|([0-9.]+)):(\d{1,5})$/i.exec(to.trim());
    if (!m || !isIP(m[1] ?? m[2]!)) throw new UserError('invalid-value', `policy host target "${to}" must be IP:PORT (e.g. 127.0.0.40:8443)`);
    policyHostMap[host] = to.trim();
  }
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0) || timeoutMs > 300_000) throw new UserError('invalid-value', 'timeout must be between 0.1 and 300 seconds');
  return {
    domain, ips, selectors,
    smtpHost: input.host !== undefined ? validateHost(input.host, 'host') : undefined,
    helo: input.helo !== undefined ? validateHost(input.helo, 'HELO name') : undefined,
    message: input.message,
    blocklists,
    defaultBlocklists: input.defaultBlocklists,
    propagation: input.propagation,
    policyHostMap,
    ca: input.ca,
    timeoutMs,
    resolvers: (input.resolvers ?? []).map(validateResolver),
  };
}

export interface DomainRunOptions {
  /** Share one resolver (cache, query count) across runs, e.g. for --file. */
  resolver?: DnsResolver;
  /** The line of the input file this domain came from (domain --file), carried into the report's target. */
  line?: number;
  /** Replaces parts of the system I/O seam (tests: a fixed clock, a fake HTTPS fetch). */
  io?: Partial<RunIo>;
}

export async function runDomain(input: DomainInput, opts: DomainRunOptions = {}): Promise<Report> {
  const v = validateDomainInput(input);
  const io: RunIo = { ...systemIo({ ca: v.ca, timeoutMs: v.timeoutMs }), ...opts.io };
  const startedAt = new Date(io.clock.now());
  const t0 = io.clock.monotonic();
  const resolver = opts.resolver ? opts.resolver.scoped() : new DnsResolver({ servers: v.resolvers, timeoutMs: v.timeoutMs });
  const facts: Facts = { connects: [], speaks: [], extra: { domainName: v.domain }, probeErrors: [] };
  try {
    facts.extra = { domain: await auditDomain(resolver, v, io) };
  } catch (e) {
    // A bug, not a DNS outcome (those are facts): reported for this domain only, so a --file run goes on.
    facts.probeErrors!.push({ probe: `domain audit of ${v.domain}`, message: (e as Error).message });
  }
  const subject: DomainTargetSummary = {
    kind: 'domain', domain: v.domain, ips: v.ips ?? [], host: v.smtpHost, helo: v.helo, selectors: v.selectors ?? [], resolvers: v.resolvers, timeoutMs: v.timeoutMs,
    line: opts.line,
  };
  return buildReport({
    command: 'domain', subject, facts, findings: judgeDomainReport(facts), transcripts: [],
    startedAt, durationMs: Math.round(io.clock.monotonic() - t0), dnsQueries: resolver.queries,
  });
}
