// Security software and local mail programs: TLS interception recognised by the certificate issuer (data table
// data/interception-cas.json, with sources), an unknown interceptor recognised by the same untrusted issuer on the
// server's and the reference's certificates, and a local program listening on a mail port.
import net from 'node:net';
import { loadDataTable } from '../data.js';
import type { Facts } from '../facts/index.js';
import type { CertificateSummary, TlsFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Finding } from '../findings/types.js';
import type { Target } from '../input/target.js';
import { endpoint } from './evidence.js';
import { networkFacts, portsText } from './port-blockage.js';
import { defineRule } from './types.js';

export interface InterceptionCa {
  id: string;
  product: string;
  kind: string;
  issuerPatterns: string[];
  disableMailScanning: string[];
  source: string;
  confidence?: string;
}

/** The issuer fields (CN, O, OU) of a certificate's issuer DN as one lower-case string. */
function issuerFields(issuer: string): string {
  // Split only at a comma that starts a new attribute ("O=ESET, spol. s r. o." is one value).
  return issuer.split(/,\s*(?=[A-Za-z][A-Za-z0-9.]*=)/).filter((p) => /^(CN|O|OU)=/i.test(p)).join('\n').toLowerCase();
}

export function matchInterceptionCa(issuer: string, table: InterceptionCa[] = loadDataTable<InterceptionCa>('interception-cas.json')): InterceptionCa | undefined {
  const fields = issuerFields(issuer);
  return table.find((e) => e.issuerPatterns.some((p) => fields.includes(p.toLowerCase())));
}

function tlsFacts(facts: Facts): { who: 'server' | 'reference'; t: TlsFact }[] {
  const n = networkFacts(facts);
  const out: { who: 'server' | 'reference'; t: TlsFact }[] = [];
  if (facts.session?.tls?.ok) out.push({ who: 'server', t: facts.session.tls });
  for (const s of facts.speaks) if (s.tls?.ok) out.push({ who: 'server', t: s.tls });
  for (const s of n?.reference.speaks ?? []) if (s.tls?.ok) out.push({ who: 'reference', t: s.tls });
  return out;
}

/**
 * Compares TLSA records with a presented chain. Supported: SHA-256 of the full certificate (x 0 1) and of the public
 * key (x 1 1), the common forms; usages 1/3 pin the server's own certificate, 0/2 a CA in the chain (RFC 6698 2.1.1).
 * 'unknown' when no record is of a supported form (no conclusion then).
 */
export function daneVerdict(records: { usage: number; selector: number; matchingType: number; data: string }[], chain: CertificateSummary[]): 'match' | 'mismatch' | 'unknown' {
  const usable = records.filter((r) => r.matchingType === 1 && (r.selector === 0 || r.selector === 1) && r.usage <= 3);
  if (!usable.length || !chain.length) return 'unknown';
  const full = (c: CertificateSummary) => c.fingerprint256.replace(/:/g, '').toLowerCase();
  const hit = usable.some((r) => {
    const certs = r.usage === 1 || r.usage === 3 ? chain.slice(0, 1) : r.usage === 2 ? chain : chain.slice(1);
    return certs.some((c) => (r.selector === 1 ? c.spkiSha256 : full(c)) === r.data.toLowerCase());
  });
  return hit ? 'match' : 'mismatch';
}

function isLocalAddress(a: string): boolean {
  return a === '::1' || a.startsWith('127.') || a === 'localhost';
}

/** What every security-software judge reads: the network facts and the TLS handshakes that completed. */
interface TlsView {
  n: ReturnType<typeof networkFacts>;
  tls: { who: 'server' | 'reference'; t: TlsFact }[];
}

/** A known interception product, recognised by its CA as the issuer of a presented certificate (first one only). */
function judgeKnownInterceptor(_facts: Facts, target: Target, { tls }: TlsView): Finding[] {
  for (const { who, t } of tls) {
    const hit = t.chain.map((c) => ({ c, e: matchInterceptionCa(c.issuer) })).find((x) => x.e);
    if (!hit) continue;
    const e = hit.e!;
    const sameOnRef = tls.some((x) => x.who !== who && x.t.chain.some((c) => matchInterceptionCa(c.issuer)?.id === e.id));
    return [makeFinding('security-software.tls-interception', {
      evidence: [
        { text: `${who} certificate: subject ${t.chain[0]?.subject ?? '?'}; issued by ${hit.c.issuer}`, where: endpoint(t.address, t.port) },
        { text: `issuer matches ${e.product} (${e.kind}); source: ${e.source}` },
        ...(sameOnRef ? [{ text: 'the reference server\'s certificate has the same issuer: the re-signing happens on your side' }] : []),
        ...(t.trusted === false ? [{ text: `verification: ${t.authorizationError ?? 'untrusted'}` }] : []),
      ],
      vars: { product: e.product, issuer: hit.c.issuerCN ?? hit.c.issuer, disable: e.disableMailScanning.join(' '), host: target.host },
      severity: t.trusted === false ? 'blocker' : 'warning',
      confidence: e.confidence === 'medium' || e.confidence === 'low' ? 'likely' : 'certain',
    })];
  }
  return [];
}

/** An unknown interceptor: the same untrusted issuer on the server's and the reference's leaf certificates. */
function judgeUnknownInterceptor(facts: Facts, _target: Target, { n, tls }: TlsView): Finding[] {
  // A known product's issuer already explains the untrusted certificates (judgeKnownInterceptor names it).
  if (tls.some(({ t }) => t.chain.some((c) => matchInterceptionCa(c.issuer)))) return [];
  const untrusted = tls.filter((x) => x.t.trusted === false && x.t.chain[0]);
  const serverIssuers = new Map(untrusted.filter((x) => x.who === 'server').map((x) => [x.t.chain[0]!.issuer, x.t]));
  const refHit = untrusted.find((x) => x.who === 'reference' && serverIssuers.has(x.t.chain[0]!.issuer));
  if (!refHit) return [];
  const defaultRef = !!n?.reference.specs.some((x) => x.source === 'default');
  const s = serverIssuers.get(refHit.t.chain[0]!.issuer)!;
  return [makeFinding('security-software.tls-unknown-interceptor', {
    evidence: [
      { text: `server certificate: subject ${s.chain[0]!.subject}; issued by ${s.chain[0]!.issuer} (${s.authorizationError ?? 'untrusted'})`, where: endpoint(s.address, s.port) },
      { text: `reference certificate: subject ${refHit.t.chain[0]!.subject}; issued by ${refHit.t.chain[0]!.issuer} (${refHit.t.authorizationError ?? 'untrusted'})`, where: endpoint(refHit.t.address, refHit.t.port) },
    ],
    vars: { issuer: s.chain[0]!.issuerCN ?? s.chain[0]!.issuer },
    // The default reference is known to present a public CA's certificate; a user's reference may share the
    // server's private CA (same organisation), so the conclusion is weaker then.
    severity: facts.session?.tls?.trusted === false && defaultRef ? 'blocker' : 'warning',
    confidence: defaultRef ? 'likely' : 'possible',
  })];
}

/** DANE: the chain seen from here on the configured port against the TLSA records of the configured host and port. */
function judgeDaneMismatch(facts: Facts, target: Target, { n }: TlsView): Finding[] {
  const dane = n?.dane;
  const seen = facts.session?.tls?.ok ? facts.session.tls : facts.speaks.find((s) => s.port === target.port && s.tls?.ok)?.tls;
  const verdict = dane?.records.length && seen ? daneVerdict(dane.records, seen.chain) : undefined;
  if (!dane || !seen || verdict !== 'mismatch') return [];
  return [makeFinding('security-software.dane-mismatch', {
    evidence: [
      ...dane.records.map((r) => ({ text: `TLSA ${r.usage} ${r.selector} ${r.matchingType} ${r.data.slice(0, 16)}…`, where: dane.name })),
      ...seen.chain.map((c, i) => ({ text: `presented ${i === 0 ? 'certificate' : `chain[${i}]`}: subject ${c.subject}; issuer ${c.issuer}; SPKI SHA-256 ${c.spkiSha256?.slice(0, 16) ?? '?'}…`, where: endpoint(seen.address, seen.port) })),
    ],
    vars: {
      name: dane.name,
      adNote: dane.ad ? 'The resolver validated the records with DNSSEC (AD flag).' : 'The resolver did not vouch for the records with DNSSEC (no AD flag), so they are a hint, not proof.',
    },
    confidence: dane.ad ? 'likely' : 'possible',
  })];
}

/** A local program on a mail port, while the server is elsewhere. */
function judgeLocalListener(facts: Facts, target: Target, { n }: TlsView): Finding[] {
  const serverIsLocal = net.isIP(target.host) ? isLocalAddress(target.host) : (facts.resolve?.addresses ?? []).some((a) => isLocalAddress(a.address)) || target.host === 'localhost';
  const listeners = n?.local.listeners ?? [];
  if (!listeners.length || serverIsLocal) return [];
  const ports = [...new Set(listeners.map((l) => l.port))].sort((a, b) => a - b);
  return [makeFinding('local.mail-port-listener', {
    evidence: listeners.map((l) => ({ text: `listening: ${endpoint(l.address, l.port)}${l.process ? ` — ${l.process}` : ''} (/proc/net/tcp${l.family === 6 ? '6' : ''})` })),
    vars: { ports: portsText(ports), listeners: listeners.map((l) => `${endpoint(l.address, l.port)}${l.process ? ` (${l.process})` : ''}`).join(', ') },
  })];
}

const JUDGES = [judgeKnownInterceptor, judgeUnknownInterceptor, judgeDaneMismatch, judgeLocalListener];

export const securitySoftwareRule = defineRule({
  name: 'security-software',
  run(facts, target) {
    const view: TlsView = { n: networkFacts(facts), tls: tlsFacts(facts) };
    return JUDGES.flatMap((judge) => judge(facts, target, view));
  },
});
