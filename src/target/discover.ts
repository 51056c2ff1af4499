// Settings discovery for an email address: which submission server should this address send through?
// Sources, best first: RFC 6186/8314 SRV records, the embedded provider table (data/providers.json), the
// domain's MX pointing at a known provider, then the conventional smtp.DOMAIN / mail.DOMAIN names.
import { existsSync } from 'node:fs';
import { loadDataTable } from '../data.js';
import type { SecurityMode } from '../facts/types.js';
import type { DnsResolver } from '../net/resolver.js';

export interface SubmissionCandidate {
  host: string;
  port: number;
  security: SecurityMode;
  source: 'srv' | 'provider' | 'mx-provider' | 'autoconfig' | 'guess';
  /** Why we think so, for the report. */
  detail: string;
  providerId?: string;
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
  return existsSync(new URL('../../data/providers.json', import.meta.url)) ? loadDataTable<ProviderEntry>('providers.json') : [];
}

export function providerForDomain(domain: string): ProviderEntry | undefined {
  const d = domain.toLowerCase();
  return providers().find((p) => p.domains.some((x) => x.toLowerCase() === d));
}

export function providerForMx(exchange: string): ProviderEntry | undefined {
  const x = exchange.toLowerCase().replace(/\.$/, '');
  return providers().find((p) => (p.mxSuffixes ?? []).some((s) => x === s.toLowerCase() || x.endsWith(`.${s.toLowerCase()}`)));
}

export async function discoverSubmission(email: string, resolver: DnsResolver): Promise<SubmissionCandidate[]> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const out: SubmissionCandidate[] = [];
  const [submissions, submission, mx] = await Promise.all([
    resolver.query('SRV', `_submissions._tcp.${domain}`),
    resolver.query('SRV', `_submission._tcp.${domain}`),
    resolver.query('MX', domain),
  ]);
  // RFC 6186 says a target of "." means the service is not offered.
  for (const [ans, security] of [[submissions, 'implicit-tls'], [submission, 'starttls']] as const) {
    if (!ans.ok) continue;
    for (const r of [...ans.records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)) {
      if (r.name === '' || r.name === '.') continue;
      out.push({ host: r.name.replace(/\.$/, ''), port: r.port, security, source: 'srv', detail: `SRV _${security === 'implicit-tls' ? 'submissions' : 'submission'}._tcp.${domain}` });
    }
  }
  const byDomain = providerForDomain(domain);
  if (byDomain) for (const s of byDomain.submission) out.push({ ...s, source: 'provider', detail: `${byDomain.name} (provider table)`, providerId: byDomain.id });
  if (mx.ok) {
    const best = [...mx.records].sort((a, b) => a.priority - b.priority)[0];
    const p = best ? providerForMx(best.exchange) : undefined;
    if (p && p !== byDomain) for (const s of p.submission) out.push({ ...s, source: 'mx-provider', detail: `MX ${best!.exchange} belongs to ${p.name}`, providerId: p.id });
  }
  if (!out.length) {
    for (const name of [`smtp.${domain}`, `mail.${domain}`]) {
      const a = await resolver.query('A', name);
      const aaaa = a.ok ? a : await resolver.query('AAAA', name);
      if (aaaa.ok) {
        out.push({ host: name, port: 587, security: 'starttls', source: 'guess', detail: `${name} exists (conventional name)` });
        break;
      }
    }
  }
  return out;
}
