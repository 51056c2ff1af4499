// When the SMTP host does not resolve (SERVFAIL, REFUSED, a timeout), whose DNS failed: this machine's resolver or
// the domain's servers? Two observations decide it: does the same resolver answer anything for the names above the
// host (the SOA of a parent zone)? And what do other servers say about the host: the zone's authoritative servers
// asked directly (by its NS records), or a resolver the user named (--compare-resolver). Facts only; the resolution
// rule judges them.
import type { DnsErrorKind, ResolverCheckFact } from '../facts/types.js';
import type { Resolver } from '../net/resolver.js';

/** The outcome of asking one other server for the host's A record. */
async function askOther(dns: Resolver, server: string, host: string, role: 'authoritative' | 'compare-resolver') {
  const a = await dns.query('A', host);
  const aaaa = a.ok ? undefined : await dns.query('AAAA', host);
  const ok = a.ok ? a : aaaa?.ok ? aaaa : undefined;
  const error: DnsErrorKind | undefined = ok ? undefined : a.ok ? undefined : a.error;
  return { server, role, addresses: ok ? ok.records : [], error, detail: ok || a.ok ? undefined : a.detail };
}

export async function checkResolver(resolver: Resolver, host: string, compareWith: string[] = []): Promise<ResolverCheckFact> {
  const labels = host.replace(/\.$/, '').split('.');
  // Every enclosing name at once, so a resolver that answers nothing costs one timeout, not one per label. The root
  // zone's SOA tells a working recursive resolver apart (an authoritative-only server refuses it, which is why the
  // enclosing names are asked too); it is never the zone whose servers are asked.
  const parents = labels.slice(1).map((_, i) => labels.slice(i + 1).join('.'));
  const [root, ...soas] = await Promise.all(['.', ...parents].map(async (name) => ({ name, r: await resolver.query('SOA', name) })));
  const zone = soas.find((s) => s.r.ok)?.name;
  // NXDOMAIN and NODATA are answers too: a resolver that gives them works.
  const answered = (r: { ok: boolean; error?: DnsErrorKind }) => r.ok || r.error === 'NXDOMAIN' || r.error === 'NODATA';
  const fact: ResolverCheckFact = { resolverAnswersOtherNames: [root!, ...soas].some((s) => answered(s.r)), zone, asked: [] };
  // The servers to ask: the user's choice, else the zone's own name servers (the first two addresses).
  let others: { server: string; role: 'authoritative' | 'compare-resolver' }[] = compareWith.map((server) => ({ server, role: 'compare-resolver' }));
  if (!others.length && zone) {
    const ns = await resolver.query('NS', zone);
    const names = ns.ok ? ns.records.slice(0, 4) : [];
    const addrs = (await Promise.all(names.map(async (n) => { const a = await resolver.query('A', n); return a.ok ? a.records : []; }))).flat();
    others = [...new Set(addrs)].slice(0, 2).map((server) => ({ server, role: 'authoritative' }));
    fact.nameservers = names;
  }
  fact.asked = await Promise.all(others.map(async (o) => {
    const dns = resolver.withServers([o.server]);
    const r = await askOther(dns, o.server, host, o.role);
    resolver.queries += dns.queries;
    return r;
  }));
  return fact;
}
