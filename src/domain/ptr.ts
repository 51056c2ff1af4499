// Reverse DNS of a sending IP: PTR names, forward confirmation (FCrDNS: a PTR name whose A/AAAA includes the IP),
// and whether the HELO name the server announces is one of them. PTR is asked on the arpa name directly, never via
// getaddrinfo/reverse() (which reads /etc/hosts first, LAB-NOTES).
import { isIP } from 'node:net';
import type { Resolver } from '../net/resolver.js';
import { expandIpv6, isNoData, lookupText, reverseName } from './dns.js';
import type { PtrFacts } from '../facts/domain.js';

function sameIp(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b)) return false;
  return isIP(a) === 6 ? expandIpv6(a) === expandIpv6(b) : a === b;
}

export async function auditPtr(dns: Resolver, ip: string, helo?: string): Promise<PtrFacts> {
  const name = reverseName(ip);
  const r = await lookupText(dns, 'PTR', name);
  const names = r.records.map((n) => n.replace(/\.$/, '').toLowerCase());
  const family = isIP(ip) === 6 ? 'AAAA' : 'A';
  const confirmed: string[] = [];
  await Promise.all(names.map(async (n) => {
    const f = await lookupText(dns, family, n);
    if (f.records.some((a) => sameIp(a, ip))) confirmed.push(n);
  }));
  const h = helo?.replace(/\.$/, '').toLowerCase();
  return {
    ip, reverseName: name, names, error: r.error && !isNoData(r.error) ? r.error : r.error, confirmed,
    helo: h, heloMatches: h ? names.includes(h) : undefined,
  };
}
