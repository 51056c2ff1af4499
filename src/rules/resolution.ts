// Resolve hop: does the SMTP host name lead to an address, and if not, which DNS outcome stopped it?
import type { ResolveFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Confidence, Evidence } from '../findings/types.js';
import { defineRule } from './types.js';

/** The hosts file (or a local resolver override) sends mail clients elsewhere than DNS does. */
export const localOverrideRule = defineRule({
  name: 'local-resolution-override',
  run(facts, target) {
    const r = facts.resolve;
    const sys = r?.system?.addresses;
    if (!r || !sys?.length || !r.addresses.length) return [];
    const dns = new Set(r.addresses.map((a) => a.address));
    // Only a complete disagreement: a hosts entry that names one of several DNS addresses is harmless.
    if (sys.some((a) => dns.has(a.address))) return [];
    return [makeFinding('resolve.local-override', {
      evidence: [
        { text: `DNS (${r.resolver}): ${[...dns].join(', ')}`, where: r.host },
        { text: `this machine's resolver (hosts file / NSS), which mail clients use: ${sys.map((a) => a.address).join(', ')}`, where: r.host },
      ],
      vars: { host: target.host, local: sys.map((a) => a.address).join(', ') },
    })];
  },
});

export const resolutionRule = defineRule({
  name: 'resolution',
  run(facts, target) {
    const r = facts.resolve;
    if (!r || r.addresses.length || !r.error) return [];
    const evidence = [
      { text: `A: ${r.a.ok ? 'ok' : r.a.error}${r.a.detail ? ` (${r.a.detail})` : ''}; AAAA: ${r.aaaa.ok ? 'ok' : r.aaaa.error}${r.aaaa.detail ? ` (${r.aaaa.detail})` : ''}`, where: `${r.host} via ${r.resolver}`, ms: r.ms },
      ...(r.cnames.length ? [{ text: `CNAME chain: ${[r.host, ...r.cnames].join(' → ')}` }] : []),
    ];
    const vars = { host: target.host, resolver: r.resolver };
    // An alias whose chain ends at a name without an address, or loops, is the alias's fault, not the host name's.
    if (r.cnames.length && (r.cnameLoop || r.error === 'NODATA' || r.error === 'NXDOMAIN')) {
      const last = r.cnames[r.cnames.length - 1]!;
      const why = r.cnameLoop ? `the CNAME chain loops back to ${last}` : `${last}, where the alias points, has no address (${r.error})`;
      return [makeFinding('resolve.dangling-cname', { evidence: [...evidence, { text: why }], vars: { ...vars, alias: last } })];
    }
    if (r.error === 'NXDOMAIN' || r.error === 'NODATA') return [makeFinding(r.error === 'NXDOMAIN' ? 'resolve.nxdomain' : 'resolve.no-address', { evidence, vars })];
    const blame = whoseDnsFailed(r);
    return [makeFinding(blame.code, { evidence: [...evidence, ...blame.evidence], vars, confidence: blame.confidence })];
  },
});

/**
 * No answer for the host (not NXDOMAIN/NODATA, which are answers): this machine's resolver or the domain's servers?
 * REFUSED is the resolver's own refusal (a recursive resolver reports a domain's broken servers as SERVFAIL). Else the
 * resolver check decides: a resolver that fails for the names above the host too, or a host that other servers
 * resolve, points here; a resolver that works while the domain's own servers fail too points at the domain.
 */
function whoseDnsFailed(r: ResolveFact): { code: string; confidence: Confidence; evidence: Evidence[] } {
  const c = r.resolverCheck;
  const evidence: Evidence[] = [];
  if (c) {
    evidence.push({ text: c.resolverAnswersOtherNames ? `the same resolver answers for ${c.zone} (SOA): it works, but not for this host` : 'the same resolver answered nothing for the names above the host either', where: r.resolver });
    for (const a of c.asked) {
      const who = a.role === 'authoritative' ? `authoritative server of ${c.zone}` : 'the other resolver (--compare-resolver)';
      evidence.push({ text: a.addresses.length ? `${who} answers directly: ${a.addresses.join(', ')}` : `${who} gave no address either: ${a.error ?? 'no answer'}${a.detail && a.error === 'OTHER' ? ` (${a.detail})` : ''}`, where: a.server });
    }
    if (c.resolverAnswersOtherNames && !c.asked.length) evidence.push({ text: `no authoritative server of ${c.zone ?? 'the zone'} could be found to ask` });
  }
  if (r.error === 'REFUSED') return { code: 'resolve.refused', confidence: 'likely', evidence };
  if (!c) return { code: r.error === 'TIMEOUT' ? 'resolve.timeout' : 'resolve.servfail', confidence: 'possible', evidence };
  const elsewhere = c.asked.some((a) => a.addresses.length);
  const byCompare = c.asked.some((a) => a.addresses.length && a.role === 'compare-resolver');
  if (!c.resolverAnswersOtherNames) return { code: 'resolve.resolver-failed', confidence: 'likely', evidence };
  if (elsewhere) return { code: 'resolve.resolver-failed', confidence: byCompare ? 'likely' : 'possible', evidence };
  return { code: r.error === 'TIMEOUT' ? 'resolve.timeout' : 'resolve.servfail', confidence: c.asked.length ? 'likely' : 'possible', evidence };
}
