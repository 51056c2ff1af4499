// The one DNS layer every lookup goes through: a configurable server (--resolver), a timeout per query, a per-run
// cache and a query counter. Built on node:dns Resolver (c-ares), whose error codes let us tell NXDOMAIN, NODATA,
// SERVFAIL, REFUSED and timeouts apart, which getaddrinfo() cannot.
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { lookup, Resolver as NodeResolver } from 'node:dns/promises';
import type { DnsErrorKind } from '../facts/types.js';


/** `authenticated`: the resolver set the AD bit (DNSSEC-validated); only known for types queried on the wire (TLSA). */
export type DnsAnswer<T> = { ok: true; records: T[]; ms: number; authenticated?: boolean } | { ok: false; error: DnsErrorKind; detail: string; ms: number };

/** RFC 6698 TLSA record; `data` in lower-case hex. */
export interface TlsaRecord { usage: number; selector: number; mtype: number; data: string }

export interface MxRecord { exchange: string; priority: number }
export interface SrvRecord { name: string; port: number; priority: number; weight: number }

/** The records each query type answers with (TXT: the character-strings of each record). */
export interface RecordOf {
  A: string; AAAA: string; CNAME: string; PTR: string; NS: string;
  MX: MxRecord; TXT: string[]; SRV: SrvRecord; SOA: { nsname: string; hostmaster: string; serial: number }; TLSA: TlsaRecord;
}
export type RecordType = keyof RecordOf;

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
  /** The run's deadline: once aborted, queries in flight are cancelled and new ones answer TIMEOUT at once. */
  signal?: AbortSignal;
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

/**
 * What every area asks DNS through: DnsResolver on the wire, or a fixed zone in tests (test/helpers/zone-resolver.ts),
 * so the domain audit, discovery and the resolve probe run on fixtures without a DNS server.
 */
export interface Resolver {
  /** The servers asked, in words, for the report. */
  readonly description: string;
  /** Per-query timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Queries sent (cache hits are not counted); an area that asks other servers adds theirs. */
  queries: number;
  query<T extends RecordType>(type: T, name: string): Promise<DnsAnswer<RecordOf[T]>>;
  /** The same kind of resolver asking other servers (a zone's authoritative ones), without this one's cache. */
  withServers(servers: string[], timeoutMs?: number): Resolver;
  /** The operating system's answer (hosts file, NSS), only when no resolver was pinned; else none. */
  systemLookup(name: string): Promise<{ address: string; family: 4 | 6 }[]>;
}

export class DnsResolver implements Resolver {
  private readonly resolver: NodeResolver;
  private readonly cache = new Map<string, Promise<DnsAnswer<unknown>>>();
  /** Number of queries actually sent (cache hits are not counted). */
  queries = 0;
  readonly description: string;
  readonly usesSystemServers: boolean;
  readonly timeoutMs: number;

  constructor(readonly options: DnsResolverOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const tries = options.tries ?? 1;
    this.resolver = new NodeResolver({ timeout: timeoutMs, tries });
    this.timeoutMs = timeoutMs;
    this.usesSystemServers = !options.servers?.length;
    if (options.servers?.length) this.resolver.setServers(options.servers.map(normalizeServer));
    options.signal?.addEventListener('abort', () => this.resolver.cancel(), { once: true });
    this.description = options.servers?.length ? options.servers.join(', ') : `system (${this.resolver.getServers().join(', ') || 'none'})`;
  }

  /** A resolver for other servers (e.g. a zone's authoritative ones) that shares timeouts but not the cache. */
  withServers(servers: string[], timeoutMs = this.timeoutMs): DnsResolver {
    return new DnsResolver({ ...this.options, servers, timeoutMs });
  }

  cancel(): void {
    this.resolver.cancel();
  }

  query<T extends RecordType>(type: T, name: string): Promise<DnsAnswer<RecordOf[T]>> {
    const key = `${type} ${name.toLowerCase()}`;
    if (this.asked && !this.asked.has(key)) {
      this.asked.add(key);
      this.queries++;
    }
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.send(type, name);
      this.cache.set(key, hit);
    }
    return hit as Promise<DnsAnswer<RecordOf[T]>>;
  }

  // Mutated, never reassigned: views made by scoped() share it through the prototype.
  private readonly limiter = { inFlight: 0, waiting: [] as (() => void)[] };
  private parent?: DnsResolver;
  /** A scoped view's distinct questions. */
  private asked?: Set<string>;

  /** A view that shares this resolver's servers, cache and in-flight limit but counts its own queries (one domain
   * of many audited over one resolver): every distinct question it asked, whether the network or the shared cache
   * answered, so a domain's count does not depend on which other domain asked first. Queries it sends count in
   * this resolver's total too. */
  scoped(): DnsResolver {
    const view = Object.create(this) as DnsResolver;
    view.queries = 0;
    view.parent = this;
    view.asked = new Set();
    return view;
  }

  private async send(type: RecordType, name: string): Promise<DnsAnswer<unknown>> {
    const max = this.options.maxInFlight ?? 64;
    const l = this.limiter;
    if (l.inFlight >= max) await new Promise<void>((r) => l.waiting.push(r));
    l.inFlight++;
    try {
      return await this.sendNow(type, name);
    } finally {
      l.inFlight--;
      l.waiting.shift()?.();
    }
  }

  private async sendNow(type: RecordType, name: string): Promise<DnsAnswer<unknown>> {
    if (this.options.signal?.aborted) return { ok: false, error: 'TIMEOUT', detail: 'the run\'s deadline passed', ms: 0 };
    if (!this.asked) this.queries++;
    for (let p = this.parent; p; p = p.parent) if (!p.asked) p.queries++;
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    if (type === 'TLSA') return this.wireTlsa(name, t0);
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

  /**
   * TLSA (RFC 6698), which node:dns cannot ask for (Node 20): one UDP query to the first configured server, with
   * the AD bit set so a validating resolver reports DNSSEC status (RFC 6840 §5.7), bounded by the same timeout.
   */
  private wireTlsa(name: string, t0: number): Promise<DnsAnswer<TlsaRecord>> {
    const ms = () => Math.round(performance.now() - t0);
    const server = this.resolver.getServers()[0];
    if (!server) return Promise.resolve({ ok: false, error: 'OTHER', detail: 'no DNS server configured', ms: ms() });
    const { host, port } = parseServer(server);
    const id = randomInt(0, 0x10000);
    const labels = name.replace(/\.$/, '').split('.').map((l) => Buffer.from(l, 'ascii'));
    if (labels.some((l) => l.length === 0 || l.length > 63)) return Promise.resolve({ ok: false, error: 'OTHER', detail: 'invalid name', ms: ms() });
    const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]); // RD, AD; 1 question, 1 additional (OPT)
    const qname = Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
    const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]); // EDNS0, UDP payload 1232
    const query = Buffer.concat([header, qname, Buffer.from([0, 52, 0, 1]), opt]);
    const timeoutMs = this.options.timeoutMs ?? 5000;
    return new Promise((resolve) => {
      const sock = dgram.createSocket(net.isIP(host) === 6 ? 'udp6' : 'udp4');
      const done = (a: DnsAnswer<TlsaRecord>) => { clearTimeout(timer); sock.close(); resolve(a); };
      const timer = setTimeout(() => done({ ok: false, error: 'TIMEOUT', detail: 'ETIMEOUT', ms: ms() }), timeoutMs);
      sock.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, error: e.code === 'ECONNREFUSED' ? 'REFUSED' : 'OTHER', detail: e.code ?? e.message, ms: ms() }));
      sock.on('message', (msg) => {
        if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
        try {
          done(parseTlsaResponse(msg, ms()));
        } catch {
          done({ ok: false, error: 'OTHER', detail: 'malformed response', ms: ms() });
        }
      });
      sock.send(query, port, host);
    });
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

/** What this machine calls localhost (the hosts file: 127.0.0.1, ::1), never asked of DNS (RFC 6761 §6.3). */
export async function lookupLocalhost(): Promise<{ address: string; family: 4 | 6 }[]> {
  const rows = await lookup('localhost', { all: true }).catch(() => [{ address: '127.0.0.1', family: 4 }]);
  return rows.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

function parseServer(s: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 53 };
  if (net.isIP(s) === 6) return { host: s, port: 53 };
  const [h, p] = s.split(':');
  return { host: h!, port: p ? Number(p) : 53 };
}

function skipName(buf: Buffer, off: number): number {
  for (;;) {
    const len = buf[off]!;
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) return off + 2;
    if (len === 0) return off + 1;
    off += len + 1;
  }
}

function parseTlsaResponse(msg: Buffer, ms: number): DnsAnswer<TlsaRecord> {
  const flags = msg.readUInt16BE(2);
  const rcode = flags & 0x0f;
  if (flags & 0x0200) return { ok: false, error: 'OTHER', detail: 'truncated (TC)', ms };
  if (rcode === 3) return { ok: false, error: 'NXDOMAIN', detail: 'ENOTFOUND', ms };
  if (rcode === 2) return { ok: false, error: 'SERVFAIL', detail: 'ESERVFAIL', ms };
  if (rcode === 5) return { ok: false, error: 'REFUSED', detail: 'EREFUSED', ms };
  if (rcode !== 0) return { ok: false, error: 'OTHER', detail: `rcode ${rcode}`, ms };
  let off = 12;
  for (let i = msg.readUInt16BE(4); i > 0; i--) off = skipName(msg, off) + 4;
  const records: TlsaRecord[] = [];
  for (let i = msg.readUInt16BE(6); i > 0; i--) {
    off = skipName(msg, off);
    const type = msg.readUInt16BE(off);
    const rdlen = msg.readUInt16BE(off + 8);
    const rdata = msg.subarray(off + 10, off + 10 + rdlen);
    if (rdata.length !== rdlen) throw new Error('truncated record');
    if (type === 52 && rdlen >= 3) records.push({ usage: rdata[0]!, selector: rdata[1]!, mtype: rdata[2]!, data: rdata.subarray(3).toString('hex') });
    off += 10 + rdlen;
  }
  if (!records.length) return { ok: false, error: 'NODATA', detail: 'ENODATA', ms };
  return { ok: true, records, ms, authenticated: (flags & 0x0020) !== 0 };
}
