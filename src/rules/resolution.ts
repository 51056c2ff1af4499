// Resolve hop: does the SMTP host name lead to an address, and if not, which DNS outcome stopped it?
import { makeFinding } from '../findings/make.js';
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
    const code = r.error === 'NXDOMAIN' ? 'resolve.nxdomain' : r.error === 'NODATA' ? 'resolve.no-address' : r.error === 'TIMEOUT' ? 'resolve.timeout' : 'resolve.servfail';
    return [makeFinding(code, { evidence, vars: { host: target.host } })];
  },
});
