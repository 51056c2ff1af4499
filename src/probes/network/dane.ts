// DANE (RFC 6698/7671): the TLSA records of the configured host and port, so that a rule can compare them with the
// certificate chain this machine receives (a mismatch: the connection is re-signed on the way, or the records are
// stale). One DNS query through the run's resolver (TLSA on the wire); DNSSEC is not validated by sendcheck, the
// resolver's AD flag is recorded instead.
import { isIP } from 'node:net';
import type { ResolvedAddress } from '../../facts/types.js';
import type { ProbeContext } from '../context.js';
import type { DaneFact } from '../../facts/network.js';

export async function daneRecords(ctx: ProbeContext, addrs: ResolvedAddress[]): Promise<DaneFact | undefined> {
  const t = ctx.target;
  if (isIP(t.host) || !addrs.length || t.security === 'none') return undefined;
  const name = `_${t.port}._tcp.${t.host}`;
  const ans = await ctx.resolver.query('TLSA', name);
  if (!ans.ok) return { name, server: ctx.resolver.description, records: [], error: `${ans.error}: ${ans.detail}`, ms: ans.ms };
  return {
    name, server: ctx.resolver.description,
    records: ans.records.map((r) => ({ usage: r.usage, selector: r.selector, matchingType: r.mtype, data: r.data })),
    ad: ans.authenticated, ms: ans.ms,
  };
}
