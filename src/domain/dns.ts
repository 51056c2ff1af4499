// The domain audit's view of the one resolver layer (src/net/resolver.ts): answers as text for facts, and an
// adapter with the node:dns-like signature mailauth expects, so mailauth's SPF/DKIM/DMARC lookups also go through
// our DnsResolver (--resolver, timeouts, per-run cache, query count).
import type { DnsErrorKind } from '../facts/types.js';
import type { Resolver, MxRecord } from '../net/resolver.js';
import type { Lookup } from '../facts/domain.js';

export type TextType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS' | 'TXT' | 'MX';

/** A lookup as text records; TXT strings are joined per record (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
export async function lookupText(dns: Resolver, type: TextType, name: string): Promise<Lookup> {
  if (type === 'TXT') {
    const r = await dns.query('TXT', name);
    return r.ok ? { name, type, records: r.records.map((chunks) => chunks.join('')), ms: r.ms } : { name, type, records: [], error: r.error, detail: r.detail, ms: r.ms };
  }
  if (type === 'MX') {
    const r = await dns.query('MX', name);
    return r.ok ? { name, type, records: r.records.map((m) => `${m.priority} ${m.exchange}`), ms: r.ms } : { name, type, records: [], error: r.error, detail: r.detail, ms: r.ms };
  }
  const r = await dns.query(type, name);
  return r.ok ? { name, type, records: r.records, ms: r.ms } : { name, type, records: [], error: r.error, detail: r.detail, ms: r.ms };
}

/** "No such data" outcomes, as opposed to a server that failed to answer. */
export function isNoData(e: DnsErrorKind | undefined): boolean {
  return e === 'NXDOMAIN' || e === 'NODATA';
}

export function isServerFailure(e: DnsErrorKind | undefined): boolean {
  return e === 'SERVFAIL' || e === 'REFUSED' || e === 'TIMEOUT' || e === 'OTHER';
}

const NODE_CODES: Record<DnsErrorKind, string> = {
  NXDOMAIN: 'ENOTFOUND', NODATA: 'ENODATA', SERVFAIL: 'ESERVFAIL', REFUSED: 'EREFUSED', TIMEOUT: 'ETIMEOUT', OTHER: 'EOTHER',
};

export type MailauthResolver = (name: string, rrtype: string) => Promise<any>;

/** mailauth's resolver parameter: (name, type) → records like node:dns resolve(), errors with node's codes. */
export function mailauthResolver(dns: Resolver): MailauthResolver {
  return async (name: string, rrtype: string) => {
    const type = rrtype.toUpperCase();
    const q = name.replace(/\.$/, '');
    let r;
    switch (type) {
      case 'A': case 'AAAA': case 'CNAME': case 'PTR': case 'NS': r = await dns.query(type, q); break;
      case 'TXT': r = await dns.query('TXT', q); break;
      case 'MX': r = await dns.query('MX', q); break;
      default: {
        const e = new Error(`query type ${type} not supported`) as Error & { code: string };
        e.code = 'ENOTIMP';
        throw e;
      }
    }
    if (r.ok) {
      if (type === 'MX') return (r.records as MxRecord[]).map((m) => ({ exchange: m.exchange, priority: m.priority }));
      return r.records;
    }
    const e = new Error(`${type} ${q}: ${r.error}`) as Error & { code: string };
    e.code = NODE_CODES[r.error];
    throw e;
  };
}

/** in-addr.arpa / ip6.arpa name of an address. */
export function reverseName(ip: string): string {
  if (ip.includes(':')) {
    const full = expandIpv6(ip);
    return `${full.replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;
  }
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** The label sequence a DNSBL expects in front of its zone. */
export function dnsblLabels(ip: string): string {
  return reverseName(ip).replace(/\.(in-addr|ip6)\.arpa$/, '');
}

export function expandIpv6(ip: string): string {
  let [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  // an embedded IPv4 tail becomes two groups
  const fix = (groups: string[]) => groups.flatMap((g) => {
    if (!g.includes('.')) return [g];
    const o = g.split('.').map(Number);
    return [((o[0]! << 8) | o[1]!).toString(16), ((o[2]! << 8) | o[3]!).toString(16)];
  });
  const hh = fix(h);
  const tt = fix(t);
  const fill = tail !== undefined ? Array(8 - hh.length - tt.length).fill('0') : [];
  return [...hh, ...fill, ...tt].map((g) => g.padStart(4, '0').toLowerCase()).join(':');
}
