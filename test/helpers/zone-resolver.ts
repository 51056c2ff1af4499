// An in-memory zone that implements the Resolver interface (src/net/resolver.ts): the domain audit, discovery and the
// rules run on small fixtures, with no DNS server and no root. A name that is not in the zone is NXDOMAIN, a type it
// does not hold is NODATA, and a name (or "TYPE name") mapped to an error kind answers with that error.
import type { DnsErrorKind } from '../../src/facts/types.js';
import type { DnsAnswer, RecordOf, RecordType, Resolver } from '../../src/net/resolver.js';

/** The records of one name by type (TXT: each record as its character-strings; one string is the usual case). */
export type ZoneRecords = { [T in RecordType]?: RecordOf[T][] };

/** name → records, or an error kind for every type of the name; "TYPE name" → an error for that type alone. */
export type Zone = Record<string, ZoneRecords | DnsErrorKind>;

const NODE_DETAIL: Record<DnsErrorKind, string> = {
  NXDOMAIN: 'ENOTFOUND', NODATA: 'ENODATA', SERVFAIL: 'ESERVFAIL', REFUSED: 'EREFUSED', TIMEOUT: 'ETIMEOUT', OTHER: 'EOTHER',
};

export class ZoneResolver implements Resolver {
  queries = 0;
  readonly timeoutMs = 1000;
  /** Every query asked, as "TYPE name", in order. */
  readonly asked: string[] = [];

  /** `zone`: the records, or an error every query gets (a server that is down). `others`: the zones other servers
   * hold (withServers), keyed by server address; a server not listed times out. */
  constructor(private readonly zone: Zone | DnsErrorKind, readonly description = 'zone fixture', private readonly others: Record<string, Zone> = {}) {}

  async query<T extends RecordType>(type: T, name: string): Promise<DnsAnswer<RecordOf[T]>> {
    this.queries++;
    const key = name.toLowerCase().replace(/\.$/, '');
    this.asked.push(`${type} ${key}`);
    const fail = (error: DnsErrorKind): DnsAnswer<RecordOf[T]> => ({ ok: false, error, detail: NODE_DETAIL[error], ms: 0 });
    if (typeof this.zone === 'string') return fail(this.zone);
    const typeError = this.zone[`${type} ${key}`];
    if (typeof typeError === 'string') return fail(typeError);
    const entry = this.zone[key];
    if (entry === undefined) return fail('NXDOMAIN');
    if (typeof entry === 'string') return fail(entry);
    const records = entry[type] as RecordOf[T][] | undefined;
    return records?.length ? { ok: true, records, ms: 0 } : fail('NODATA');
  }

  withServers(servers: string[]): Resolver {
    const server = servers[0] ?? '';
    return new ZoneResolver(this.others[server] ?? 'TIMEOUT', server, this.others);
  }

  async systemLookup(): Promise<{ address: string; family: 4 | 6 }[]> {
    return [];
  }
}
