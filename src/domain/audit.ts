// The domain audit: every observation about a sending domain, gathered concurrently through one Resolver.
// Used by `sendcheck domain` (src/cli/domain-command.ts, runDomain()) and by the `domain` extension probe of
// `sendcheck check` (src/probes/domain.ts). Observes only; src/rules/dns.ts and reputation.ts judge.
import { BlockList, isIP } from 'node:net';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { RunIo } from '../net/io.js';
import type { Resolver } from '../net/resolver.js';
import { isNoData, isServerFailure, lookupText, mailauthResolver } from './dns.js';
import { checkBlocklists, customBlocklist, defaultBlocklists } from './dnsbl.js';
import { COMMON_SELECTORS, lookupDkimKey, selectorsFromMessage } from './dkim.js';
import { auditDmarc, orgDomainOf } from './dmarc.js';
import { auditBimi, auditDane, auditMtaSts, auditTlsRpt } from './policies.js';
import { auditPropagation } from './propagation.js';
import { auditPtr } from './ptr.js';
import { auditSpf } from './spf.js';
import { checkResolver } from './resolver-check.js';
import type { AddressFacts, DkimFacts, DomainFacts, Lookup } from '../facts/domain.js';
import type { DomainAuditSettings } from '../input/domain-input.js';

/**
 * Private, shared and link-local ranges (RFC 1918, RFC 6598 CGNAT, RFC 4193 ULA, link-local): receivers never see
 * them, the relay's public address is what SPF, PTR and blocklists are about, so an inferred address in these ranges
 * is not evaluated. Loopback is kept: a relay on the same host is audited as given (and the test lab lives in 127/8).
 */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

export function isPrivateAddress(ip: string): boolean {
  const fam = isIP(ip);
  return fam === 4 ? PRIVATE.check(ip, 'ipv4') : fam === 6 ? PRIVATE.check(ip, 'ipv6') : false;
}

export interface DomainAuditOptions extends DomainAuditSettings {
  /** The SMTP host that sends for the domain; its addresses are used when no IP is given. */
  smtpHost?: string;
  /** Addresses of the SMTP host when the caller already resolved it (the check engine). */
  smtpHostAddresses?: string[];
  /** How sure the caller is that the SMTP host is the sending relay: `check` only knows the submission server. */
  smtpHostRole?: 'smtp-host' | 'submission-host';
  /** Discover DKIM selectors among common names when none is given (default true). */
  discoverSelectors?: boolean;
  policyHostMap?: Record<string, string>;
  timeoutMs: number;
}

/** What the audit reaches besides DNS, from its caller's I/O seam (the probe context, or runDomain's systemIo()). */
export type DomainAuditIo = Pick<RunIo, 'https' | 'clock'>;

async function auditAddresses(dns: Resolver, domain: string, extraHosts: { name: string; role: 'smtp-host' }[]): Promise<AddressFacts> {
  const [dom, mxr] = await Promise.all([lookupText(dns, 'A', domain), dns.query('MX', domain)]);
  const mx = mxr.ok ? { records: mxr.records.map((m) => ({ exchange: m.exchange.toLowerCase().replace(/\.$/, ''), priority: m.priority })).sort((a, b) => a.priority - b.priority), ms: mxr.ms } : { records: [], error: mxr.error, ms: mxr.ms };
  const names = [
    { name: domain, role: 'domain' as const },
    ...mx.records.filter((m) => m.exchange).map((m) => ({ name: m.exchange, role: 'mx' as const })),
    ...extraHosts,
  ];
  const hosts = await Promise.all(names.map(async ({ name, role }) => {
    const cnames: string[] = [];
    let cur = name;
    for (let i = 0; i < 8; i++) {
      const c = await dns.query('CNAME', cur);
      if (!c.ok || !c.records[0]) break;
      cur = c.records[0].toLowerCase().replace(/\.$/, '');
      cnames.push(cur);
    }
    const [a, aaaa] = await Promise.all([lookupText(dns, 'A', name), lookupText(dns, 'AAAA', name)]);
    const addresses = [...a.records, ...aaaa.records];
    const h: AddressFacts['hosts'][number] = { name, role, cnames, addresses };
    if (!addresses.length) h.error = a.error ?? aaaa.error;
    if (cnames.length && !addresses.length) {
      const last = cnames[cnames.length - 1]!;
      const t = await lookupText(dns, 'A', last);
      if (t.error === 'NXDOMAIN') h.dangling = last;
    }
    return h;
  }));
  return { domain: dom, mx, hosts };
}

async function auditDkim(dns: Resolver, domain: string, opts: DomainAuditOptions): Promise<DkimFacts> {
  const facts: DkimFacts = { domain, keys: [], discoveryTried: [], messageResults: [] };
  const fromMessage = opts.message ? selectorsFromMessage(opts.message).filter((s) => s.domain === domain || s.domain.endsWith(`.${domain}`) || domain.endsWith(`.${s.domain}`)) : [];
  const given = opts.selectors ?? [];
  if (given.length || fromMessage.length) {
    facts.keys = await Promise.all([
      ...given.map((s) => lookupDkimKey(dns, domain, s, 'given')),
      ...fromMessage.map((s) => lookupDkimKey(dns, s.domain, s.selector, 'message')),
    ]);
  } else if (opts.discoverSelectors !== false) {
    facts.discoveryTried = COMMON_SELECTORS;
    const found = await Promise.all(COMMON_SELECTORS.map((s) => lookupDkimKey(dns, domain, s, 'discovered')));
    facts.keys = found.filter((k) => k.found || k.error);
  }
  if (opts.message) {
    try {
      const r = (await dkimVerify(Buffer.from(opts.message), { resolver: mailauthResolver(dns) } as never)) as { results: { signingDomain: string; selector: string; status: { result: string; comment?: string } }[] };
      // Only signatures that can count for this domain's DMARC (same organizational domain): a mailing list's or an
      // ESP's own signature failing says nothing about the domain.
      const org = orgDomainOf(domain);
      facts.messageResults = r.results.filter((x) => x.signingDomain && orgDomainOf(x.signingDomain) === org).map((x) => ({ domain: x.signingDomain, selector: x.selector, result: x.status.result, comment: x.status.comment }));
    } catch (e) {
      facts.messageResults = [{ domain, selector: '', result: 'permerror', comment: (e as Error).message }];
    }
  }
  return facts;
}

/** `io.https` fetches the MTA-STS policy on `io`'s trust store: the caller's (check's --ca, or opts.ca in runDomain). */
export async function auditDomain(dns: Resolver, opts: DomainAuditOptions, io: DomainAuditIo): Promise<DomainFacts> {
  const t0 = io.clock.monotonic();
  const domain = opts.domain.toLowerCase().replace(/\.$/, '');
  const smtpHost = opts.smtpHost?.toLowerCase();
  // The sending IPs: given, else the SMTP host's public addresses; the rest of the audit does not wait for them.
  const ipsP: Promise<{ ips: string[]; source: DomainFacts['ipSource']; skipped: string[] }> = (async () => {
    if (opts.ips?.length) return { ips: opts.ips, source: 'given', skipped: [] };
    let inferred: string[] = [];
    if (opts.smtpHostAddresses?.length) inferred = opts.smtpHostAddresses;
    else if (smtpHost && isIP(smtpHost)) inferred = [smtpHost];
    else if (smtpHost) {
      const [a, aaaa] = await Promise.all([lookupText(dns, 'A', smtpHost), lookupText(dns, 'AAAA', smtpHost)]);
      inferred = [...a.records, ...aaaa.records];
    }
    const ips = inferred.filter((ip) => !isPrivateAddress(ip));
    return { ips, source: ips.length ? (opts.smtpHostRole ?? 'smtp-host') : 'none', skipped: inferred.filter(isPrivateAddress) };
  })();
  const addressesP = auditAddresses(dns, domain, smtpHost && !isIP(smtpHost) ? [{ name: smtpHost, role: 'smtp-host' }] : []);
  const lists = [...(opts.defaultBlocklists === false ? [] : defaultBlocklists()), ...(opts.blocklists ?? []).map(customBlocklist)];
  const { ips, source, skipped } = await ipsP;
  const spfP = auditSpf(dns, domain, ips, opts.helo);
  const dkimP = auditDkim(dns, domain, opts);
  const dmarcP = auditDmarc(dns, domain);
  const ptrP = Promise.all(ips.map((ip) => auditPtr(dns, ip, opts.helo)));
  const blP = checkBlocklists(dns, lists, ips, domain);
  const tlsRptP = auditTlsRpt(dns, domain);
  const bimiP = auditBimi(dns, domain);
  const addresses = await addressesP;
  const mxHosts = addresses.mx.records.map((m) => m.exchange).filter(Boolean);
  const daneP = auditDane(dns, mxHosts);
  const mtaStsP = auditMtaSts(dns, io, domain, mxHosts, { hostMap: opts.policyHostMap, timeoutMs: opts.timeoutMs });
  const propagationP = opts.propagation === false ? Promise.resolve(undefined) : auditPropagation(dns, domain, [
    { name: domain, type: 'MX' },
    { name: domain, type: 'TXT' },
    { name: `_dmarc.${domain}`, type: 'TXT' },
    ...mxHosts.map((h) => ({ name: h, type: 'A' as const })),
    ...(smtpHost && !isIP(smtpHost) && !mxHosts.includes(smtpHost) ? [{ name: smtpHost, type: 'A' as const }] : []),
  ]);
  const [spf, dkim, dmarc, ptr, blocklists, tlsRpt, bimi, mtaSts, propagation, dane] = await Promise.all([spfP, dkimP, dmarcP, ptrP, blP, tlsRptP, bimiP, mtaStsP, propagationP, daneP]);
  const failedLookups: Lookup[] = [];
  const failed = (name: string, type: string, error: DomainFacts['spf']['lookupError']) => { if (isServerFailure(error)) failedLookups.push({ name, type, records: [], error, ms: 0 }); };
  failed(domain, 'TXT', spf.lookupError);
  failed(`_dmarc.${domain}`, 'TXT', dmarc.lookupError);
  failed(domain, 'MX', addresses.mx.error);
  if (!isNoData(addresses.domain.error)) failed(domain, 'A', addresses.domain.error);
  // Failures without answers: is it this resolver (it answers nothing else either) or the domain's servers?
  const resolverCheck = failedLookups.length ? await checkResolver(dns, domain) : undefined;
  return {
    kind: 'domain', domain, ips, ipSource: source, ...(skipped.length ? { privateIpsSkipped: skipped } : {}), helo: opts.helo, ...(opts.helo ? { heloSource: 'given' as const } : {}), smtpHost,
    addresses, spf, dkim, dmarc, ptr, mtaSts, tlsRpt, bimi, dane, propagation, blocklists, failedLookups, resolverCheck,
    resolver: dns.description, ms: Math.round(io.clock.monotonic() - t0),
  };
}
