// resolve: A/AAAA and the CNAME chain of the SMTP host, each family's outcome kept apart.
import { isIP } from 'node:net';
import type { DnsErrorKind, ResolveFact, ResolvedAddress } from '../facts/types.js';
import { lookupLocalhost, type DnsAnswer, type Resolver } from '../net/resolver.js';
import { checkResolver } from '../domain/resolver-check.js';
import type { Clock } from '../net/io.js';

const MAX_CNAME_HOPS = 8;

/** The CNAME chain from `host`, and whether it loops (a name met twice, or more hops than any real chain has). */
async function cnameChain(resolver: Resolver, host: string): Promise<{ chain: string[]; loop: boolean }> {
  const chain: string[] = [];
  let name = host;
  for (let i = 0; i < MAX_CNAME_HOPS; i++) {
    const r = await resolver.query('CNAME', name);
    if (!r.ok || !r.records[0]) return { chain, loop: false };
    name = r.records[0];
    if (name.toLowerCase() === host.toLowerCase() || chain.some((c) => c.toLowerCase() === name.toLowerCase())) return { chain: [...chain, name], loop: true };
    chain.push(name);
  }
  return { chain, loop: true };
}

/** An answer with no records (only a CNAME whose target has none: a dangling alias, a loop) is no data. */
function noDataIfEmpty<T>(a: DnsAnswer<T>): DnsAnswer<T> {
  return a.ok && !a.records.length ? { ok: false, error: 'NODATA', detail: 'the answer holds no address (only an alias)', ms: a.ms } : a;
}

/** The worse of two per-family errors decides the overall one (NXDOMAIN on one family is authoritative). */
function overallError(a?: DnsErrorKind, aaaa?: DnsErrorKind): DnsErrorKind | undefined {
  const order: DnsErrorKind[] = ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'TIMEOUT', 'OTHER', 'NODATA'];
  for (const k of order) if (a === k || aaaa === k) return k === 'NODATA' && (a === 'NXDOMAIN' || aaaa === 'NXDOMAIN') ? 'NXDOMAIN' : k;
  return undefined;
}

/** `compareResolvers`: other resolvers to ask when the host does not resolve (default: the zone's authoritative servers). */
export async function resolveHost(resolver: Resolver, clock: Pick<Clock, 'monotonic'>, host: string, compareResolvers: string[] = []): Promise<ResolveFact> {
  const t0 = clock.monotonic();
  const family = isIP(host);
  if (family) {
    return {
      kind: 'resolve', host, literal: true, addresses: [{ address: host, family: family === 6 ? 6 : 4 }], cnames: [],
      a: { ok: family === 4 }, aaaa: { ok: family === 6 }, resolver: 'none (IP literal)', ms: 0,
    };
  }
  // RFC 6761: "localhost" is never sent to DNS (a resolver might not answer at all); the OS answers it.
  if (/^localhost\.?$/i.test(host)) {
    const sys = await lookupLocalhost();
    return {
      kind: 'resolve', host, literal: false, addresses: sys, cnames: [], a: { ok: sys.some((x) => x.family === 4) }, aaaa: { ok: sys.some((x) => x.family === 6) },
      resolver: 'operating system (RFC 6761 localhost)', ms: Math.round(clock.monotonic() - t0),
    };
  }
  // What the operating system answers (hosts file, NSS, a local DNS override) is what mail clients connect to;
  // asked alongside DNS when the user did not pin a resolver (systemLookup() is empty otherwise).
  const sysP = resolver.systemLookup(host);
  const [a, aaaa, { chain: cnames, loop: cnameLoop }] = await Promise.all([resolver.query('A', host).then(noDataIfEmpty), resolver.query('AAAA', host).then(noDataIfEmpty), cnameChain(resolver, host)]);
  const addresses: ResolvedAddress[] = [
    ...(a.ok ? a.records.map((address) => ({ address, family: 4 as const })) : []),
    ...(aaaa.ok ? aaaa.records.map((address) => ({ address, family: 6 as const })) : []),
  ];
  // No address is always an error: never "nothing blocks sending" without a connection.
  let error = addresses.length ? undefined : overallError(a.ok ? undefined : a.error, aaaa.ok ? undefined : aaaa.error) ?? 'NODATA';
  // Names from the hosts file (e.g. "localhost") never reach DNS: ask the OS when no resolver was pinned.
  const sys = await sysP;
  let system: ResolveFact['system'];
  if (!addresses.length) {
    if (sys.length) {
      addresses.push(...sys);
      error = undefined;
    }
  } else if (sys.length) {
    system = { addresses: sys };
  }
  // No answer at all (unlike NXDOMAIN/NODATA, which are answers): find out whose DNS failed.
  const resolverCheck = error && error !== 'NXDOMAIN' && error !== 'NODATA' ? await checkResolver(resolver, host, compareResolvers) : undefined;
  return {
    kind: 'resolve', host, literal: false, addresses, cnames, ...(cnameLoop ? { cnameLoop } : {}), system,
    a: a.ok ? { ok: true } : { ok: false, error: a.error, detail: a.detail },
    aaaa: aaaa.ok ? { ok: true } : { ok: false, error: aaaa.error, detail: aaaa.detail },
    error, resolver: resolver.description, ms: Math.round(clock.monotonic() - t0), resolverCheck,
  };
}
