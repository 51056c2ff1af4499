// Settings discovery for an email address: which submission server should this address send through?
// Sources, ranked: RFC 6186 / RFC 8314 SRV records (implicit TLS first, as RFC 8314 §5.1 prefers), the domain's
// Thunderbird-style autoconfig document (autoconfig.ts), the embedded provider table (data/providers.json), the
// domain's MX pointing at a known provider, then the conventional smtp.DOMAIN / mail.DOMAIN names.
import { loadDataTable } from '../data.js';
import { packageFileExists } from '../package-files.js';
import type { CandidateSource, DiscoveryLookupFailure, ImapCandidate, SubmissionCandidate } from '../facts/discovery.js';
import type { DnsErrorKind, SecurityMode } from '../facts/types.js';
import { systemIo, type RunIo } from '../net/io.js';
import type { DnsAnswer, MxRecord, Resolver } from '../net/resolver.js';
import { fetchAutoconfig, type AutoconfigResult } from './autoconfig.js';

export type { CandidateSource, ImapCandidate, SubmissionCandidate };

export interface DiscoveryOptions {
  /** Also discover when settings were given, and report how they differ (config.differs-from-discovered). */
  compare?: boolean;
  /** The address to discover for when the target is a host (e.g. the user name of a client config). */
  email?: string;
  /** Fetch autoconfig documents: the domain's (HTTPS, then plain HTTP) and the ISP database's (default true). */
  autoconfig?: boolean;
  /** host → "ip:port" for autoconfig requests (tests; "http://HOST" for the plain-HTTP one); hosts not in a given map
   * (and not IP literals) are not fetched. */
  autoconfigHosts?: Record<string, string>;
  /** Base URL of Thunderbird's ISP database (default https://autoconfig.thunderbird.net/v1.1/); false: not asked. */
  ispdb?: string | false;
  ca?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The run's I/O seam (its HTTPS fetch on the run's trust store); without it, the system's, trusting `ca` too. */
  io?: Pick<RunIo, 'https'>;
}

export interface DiscoveryResult {
  email: string;
  submission: SubmissionCandidate[];
  imap: ImapCandidate[];
  autoconfig: AutoconfigResult[];
  failedLookups: DiscoveryLookupFailure[];
  resolver: string;
}

export interface ProviderEntry {
  id: string;
  name: string;
  domains: string[];
  mxSuffixes?: string[];
  submission: { host: string; port: number; security: SecurityMode }[];
  imap?: { host: string; port: number; security: SecurityMode }[];
  auth?: { passwordAllowed?: string; oauth?: boolean; notes?: string };
  appPasswordUrl?: string;
  source: string;
}

export function providers(): ProviderEntry[] {
  return packageFileExists('data/providers.json') ? loadDataTable<ProviderEntry>('providers.json') : [];
}

export function providerForDomain(domain: string): ProviderEntry | undefined {
  const d = domain.toLowerCase();
  return providers().find((p) => p.domains.some((x) => x.toLowerCase() === d));
}

export function providerForMx(exchange: string): ProviderEntry | undefined {
  const x = exchange.toLowerCase().replace(/\.$/, '');
  return providers().find((p) => (p.mxSuffixes ?? []).some((s) => x === s.toLowerCase().replace(/^\./, '') || x.endsWith(`.${s.toLowerCase().replace(/^\./, '')}`)));
}

// Authenticated sources first: the domain's own records and HTTPS document, the ISP database (HTTPS, curated), our
// table; the domain's plain-HTTP document (unauthenticated) only after them; then the MX guesses.
const RANK: Record<CandidateSource, number> = { srv: 0, autoconfig: 1, ispdb: 2, provider: 3, 'autoconfig-http': 4, 'mx-provider': 5, guess: 6 };

/** Best first: every path with TLS before any without (a plaintext path is never picked while a TLS one exists,
 * whatever source offered it: an autoconfig document saying socketType plain included), then by source, then
 * implicit TLS before STARTTLS (RFC 8314), keeping each source's order. */
export function rankCandidates<T extends { source: CandidateSource; security: SecurityMode }>(list: T[]): T[] {
  const sec = { 'implicit-tls': 0, starttls: 1, none: 2 } as const;
  const plain = (c: T) => (c.security === 'none' ? 1 : 0);
  return list.map((c, i) => ({ c, i })).sort((a, b) => plain(a.c) - plain(b.c) || RANK[a.c.source] - RANK[b.c.source] || (a.c.source === 'srv' ? sec[a.c.security] - sec[b.c.security] : 0) || a.i - b.i).map((x) => x.c);
}

function dedupe(list: SubmissionCandidate[]): SubmissionCandidate[] {
  const out: SubmissionCandidate[] = [];
  for (const c of list) {
    const same = out.find((o) => o.host === c.host && o.port === c.port && o.security === c.security);
    if (same) same.alsoFrom = [...new Set([...(same.alsoFrom ?? []), c.source])].filter((s) => s !== same.source);
    else out.push({ ...c });
  }
  return out;
}

async function firstAddress(resolver: Resolver, host: string): Promise<string | undefined> {
  const a = await resolver.query('A', host);
  if (a.ok && a.records[0]) return a.records[0];
  const aaaa = await resolver.query('AAAA', host);
  return aaaa.ok ? aaaa.records[0] : undefined;
}

/** Records lookups that got no answer (not NXDOMAIN/NODATA, which are answers): discovery then cannot say "none". */
function noteFailure(failed: DiscoveryLookupFailure[], type: string, name: string, ans: { ok: boolean; error?: DnsErrorKind; detail?: string }): void {
  if (!ans.ok && ans.error && ans.error !== 'NXDOMAIN' && ans.error !== 'NODATA') failed.push({ type, name, error: ans.error, detail: ans.detail });
}

async function srvRecords(resolver: Resolver, name: string, failed: DiscoveryLookupFailure[]) {
  const ans = await resolver.query('SRV', name);
  noteFailure(failed, 'SRV', name, ans);
  if (!ans.ok) return [];
  // RFC 6186 §3.4 / RFC 2782: a target of "." means the service is decidedly not offered.
  return [...ans.records].sort((a, b) => a.priority - b.priority || b.weight - a.weight).filter((r) => r.name !== '' && r.name !== '.').map((r) => ({ host: r.name.replace(/\.$/, '').toLowerCase(), port: r.port }));
}

/** What discovery has found so far, in the order found (ranking is stable, so order breaks ties). */
interface Found { submission: SubmissionCandidate[]; imap: ImapCandidate[] }

type SrvTargets = Awaited<ReturnType<typeof srvRecords>>;

/** The servers the domain's RFC 6186 SRV records name. */
function addSrvServers(found: Found, domain: string, srv: { submissions: SrvTargets; submission: SrvTargets; imaps: SrvTargets; imap: SrvTargets }): void {
  const how = (name: string) => ({ source: 'srv' as const, detail: `SRV ${name}`, from: name, authenticated: true });
  for (const r of srv.submissions) found.submission.push({ ...r, security: 'implicit-tls', ...how(`_submissions._tcp.${domain}`) });
  // A _submission SRV on port 465 is a common mistake; RFC 6186 says STARTTLS there, but the port is implicit TLS.
  for (const r of srv.submission) found.submission.push({ ...r, security: r.port === 465 ? 'implicit-tls' : 'starttls', ...how(`_submission._tcp.${domain}`) });
  for (const r of srv.imaps) found.imap.push({ ...r, security: 'implicit-tls', ...how(`_imaps._tcp.${domain}`) });
  for (const r of srv.imap) found.imap.push({ ...r, security: r.port === 993 ? 'implicit-tls' : 'starttls', ...how(`_imap._tcp.${domain}`) });
}

/** The servers the autoconfig documents name (the domain's, over HTTPS or plain HTTP, and the ISP database's). */
function addAutoconfigServers(found: Found, autoconfig: AutoconfigResult[]): void {
  // The plain-HTTP document counts only when no HTTPS document named a server (as Thunderbird falls back to it).
  const httpsDocs = autoconfig.some((d) => d.ok && d.source === 'autoconfig');
  for (const doc of autoconfig) {
    if (doc.source === 'autoconfig-http' && httpsDocs) continue;
    const source = doc.source ?? 'autoconfig';
    const url = doc.url.replace(/\?.*$/, '');
    const detail = source === 'ispdb' ? `Thunderbird ISP database ${url}` : `autoconfig ${url}`;
    const how = { source, detail, from: url, authenticated: doc.authenticated !== false };
    for (const s of doc.servers) {
      if (s.kind === 'smtp') found.submission.push({ host: s.host, port: s.port, security: s.security, ...how });
      else if (s.kind === 'imap') found.imap.push({ host: s.host, port: s.port, security: s.security, ...how });
    }
  }
}

/** The servers of a known provider: the one the domain belongs to, or (if another) the one its best MX belongs to. */
function addProviderServers(found: Found, domain: string, mx: DnsAnswer<MxRecord>): void {
  const byDomain = providerForDomain(domain);
  if (byDomain) {
    const how = { source: 'provider' as const, detail: `${byDomain.name} (provider table)`, from: `data/providers.json#${byDomain.id}`, authenticated: true };
    for (const s of byDomain.submission) found.submission.push({ ...s, ...how, providerId: byDomain.id });
    for (const s of byDomain.imap ?? []) found.imap.push({ ...s, ...how });
  }
  if (!mx.ok) return;
  const best = [...mx.records].sort((a, b) => a.priority - b.priority)[0];
  const p = best ? providerForMx(best.exchange) : undefined;
  if (!p || p === byDomain) return;
  const how = { source: 'mx-provider' as const, detail: `MX ${best!.exchange} belongs to ${p.name}`, from: `MX ${domain} → ${best!.exchange}; data/providers.json#${p.id}`, authenticated: true };
  for (const s of p.submission) found.submission.push({ ...s, ...how, providerId: p.id });
  for (const s of p.imap ?? []) found.imap.push({ ...s, ...how });
}

/** The last resort: smtp.DOMAIN or mail.DOMAIN on 587, the first that exists. */
async function guessedServer(domain: string, resolver: Resolver, failedLookups: DiscoveryLookupFailure[]): Promise<SubmissionCandidate[]> {
  for (const name of [`smtp.${domain}`, `mail.${domain}`]) {
    const a = await resolver.query('A', name);
    const aaaa = a.ok ? a : await resolver.query('AAAA', name);
    noteFailure(failedLookups, 'A', name, a);
    if (aaaa.ok) return [{ host: name, port: 587, security: 'starttls', source: 'guess', detail: `${name} exists (conventional name)`, from: `A ${name}`, authenticated: true }];
  }
  return [];
}

export async function discoverSettings(email: string, resolver: Resolver, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const found: Found = { submission: [], imap: [] };
  const failedLookups: DiscoveryLookupFailure[] = [];
  const [submissions, submission, imaps, imap, mx, autoconfig] = await Promise.all([
    srvRecords(resolver, `_submissions._tcp.${domain}`, failedLookups),
    srvRecords(resolver, `_submission._tcp.${domain}`, failedLookups),
    srvRecords(resolver, `_imaps._tcp.${domain}`, failedLookups),
    srvRecords(resolver, `_imap._tcp.${domain}`, failedLookups),
    resolver.query('MX', domain),
    opts.autoconfig === false ? Promise.resolve([]) : fetchAutoconfig(domain, email, { hostMap: opts.autoconfigHosts, ispdb: opts.ispdb, fetch: (opts.io ?? systemIo({ ca: opts.ca, signal: opts.signal, timeoutMs: opts.timeoutMs ?? 5000 })).https, timeoutMs: opts.timeoutMs, signal: opts.signal, resolve: (h) => firstAddress(resolver, h) }),
  ]);
  noteFailure(failedLookups, 'MX', domain, mx);
  addSrvServers(found, domain, { submissions, submission, imaps, imap });
  addAutoconfigServers(found, autoconfig);
  addProviderServers(found, domain, mx);
  if (!found.submission.length) found.submission.push(...(await guessedServer(domain, resolver, failedLookups)));
  return { email, submission: dedupe(rankCandidates(found.submission)), imap: rankCandidates(found.imap), autoconfig, failedLookups, resolver: resolver.description };
}

/** The ranked submission candidates for `email` (best first). */
export async function discoverSubmission(email: string, resolver: Resolver, opts: DiscoveryOptions = {}): Promise<SubmissionCandidate[]> {
  return (await discoverSettings(email, resolver, opts)).submission;
}
