// The one DNS layer every lookup goes through: a configurable server (--resolver), a timeout per query, a per-run
// cache and a query counter. Built on node:dns Resolver (c-ares), whose error codes let us tell NXDOMAIN, NODATA,
// SERVFAIL, REFUSED and timeouts apart, which getaddrinfo() cannot.
import { Resolver } from 'node:dns/promises';
import { lookup } from 'node:dns/promises';
import type { DnsErrorKind } from '../facts/types.js';

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'PTR' | 'NS' | 'SRV' | 'SOA';

export type DnsAnswer<T> = { ok: true; records: T[]; ms: number } | { ok: false; error: DnsErrorKind; detail: string; ms: number };

export interface MxRecord { exchange: string; priority: number }
export interface SrvRecord { name: string; port: number; priority: number; weight: number }

export interface DnsResolverOptions {
  /** Servers as "ip" or "ip:port" / "[ipv6]:port"; empty means the system's configured resolvers. */
  servers?: string[];
  /** Per-query timeout in milliseconds. */
  timeoutMs?: number;
  /** Tries per query (c-ares retries on timeout). */
  tries?: number;
  /** Queries in flight at once (default 64): a burst of thousands (sendcheck domain --file) would overflow the
   * UDP receive buffer and turn answers into timeouts. The rest wait in a queue; the timeout starts when sent. */
  maxInFlight?: number;
}

export function classifyDnsError(err: unknown): { kind: DnsErrorKind; detail: string } {
  const code = (err as { code?: string })?.code ?? '';
  const detail = code || String((err as Error)?.message ?? err);
  switch (code) {
    case 'ENOTFOUND':
      return { kind: 'NXDOMAIN', detail };
    case 'ENODATA':
      return { kind: 'NODATA', detail };
    case 'ESERVFAIL':
      return { kind: 'SERVFAIL', detail };
    case 'EREFUSED':
      return { kind: 'REFUSED', detail };
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return { kind: 'TIMEOUT', detail };
    default:
      return { kind: 'OTHER', detail };
  }
}

/** Converts "ip", "ip:port", "[v6]:port" into the form c-ares takes; throws on junk (callers validate input first). */
export function normalizeServer(spec: string): string {
  return spec.trim();
}

export class DnsResolver {
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, Promise<DnsAnswer<unknown>>>();
  /** Number of queries actually sent (cache hits are not counted). */
  queries = 0;
  readonly description: string;
  readonly usesSystemServers: boolean;

  constructor(readonly options: DnsResolverOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const tries = options.tries ?? 1;
    this.resolver = new Resolver({ timeout: timeoutMs, tries });
    this.usesSystemServers = !options.servers?.length;
    if (options.servers?.length) this.resolver.setServers(options.servers.map(normalizeServer));
    this.description = options.servers?.length ? options.servers.join(', ') : `system (${this.resolver.getServers().join(', ') || 'none'})`;
  }

  /** A resolver for other servers (e.g. a zone's authoritative ones) that shares timeouts but not the cache. */
  withServers(servers: string[]): DnsResolver {
    return new DnsResolver({ ...this.options, servers });
  }

  cancel(): void {
    this.resolver.cancel();
  }

  query(type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS', name: string): Promise<DnsAnswer<string>>;
  query(type: 'MX', name: string): Promise<DnsAnswer<MxRecord>>;
  query(type: 'TXT', name: string): Promise<DnsAnswer<string[]>>;
  query(type: 'SRV', name: string): Promise<DnsAnswer<SrvRecord>>;
  query(type: 'SOA', name: string): Promise<DnsAnswer<{ nsname: string; hostmaster: string; serial: number }>>;
  query(type: RecordType, name: string): Promise<DnsAnswer<unknown>> {
    const key = `${type} ${name.toLowerCase()}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.send(type, name);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  private async send(type: RecordType, name: string): Promise<DnsAnswer<unknown>> {
    const max = this.options.maxInFlight ?? 64;
    if (this.inFlight >= max) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await this.sendNow(type, name);
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private async sendNow(type: RecordType, name: string): Promise<DnsAnswer<unknown>> {
    this.queries++;
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    try {
      const r = this.resolver;
      let records: unknown[];
      switch (type) {
        case 'A': records = await r.resolve4(name); break;
        case 'AAAA': records = await r.resolve6(name); break;
        case 'CNAME': records = await r.resolveCname(name); break;
        case 'PTR': records = await r.resolvePtr(name); break;
        case 'NS': records = await r.resolveNs(name); break;
        case 'MX': records = await r.resolveMx(name); break;
        case 'TXT': records = await r.resolveTxt(name); break;
        case 'SRV': records = await r.resolveSrv(name); break;
        case 'SOA': records = [await r.resolveSoa(name)]; break;
      }
      return { ok: true, records, ms: ms() };
    } catch (err) {
      const { kind, detail } = classifyDnsError(err);
      return { ok: false, error: kind, detail, ms: ms() };
    }
  }

  /** Falls back to the OS (hosts file, NSS) only when the user did not pin a resolver. */
  async systemLookup(name: string): Promise<{ address: string; family: 4 | 6 }[]> {
    if (!this.usesSystemServers) return [];
    try {
      const rows = await lookup(name, { all: true });
      return rows.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
    } catch {
      return [];
    }
  }
}
