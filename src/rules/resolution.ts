// Resolve hop: does the SMTP host name lead to an address, and if not, which DNS outcome stopped it?
import { makeFinding } from '../findings/make.js';
import { defineRule } from './types.js';

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
