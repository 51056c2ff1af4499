// Reputation by DNS blocklists (RFC 5782): the sending IPs against IP lists and the domain against domain lists.
// The list set is data (data/dnsbl.json: zone, meaning of each return code, "refused/over quota" codes, removal
// link); --blocklist ZONE adds a list. A refused or unknown answer is never reported as a listing.
import { loadDataTable } from '../data.js';
import type { Resolver } from '../net/resolver.js';
import { dnsblLabels, isNoData, lookupText } from './dns.js';
import type { BlocklistResult } from '../facts/domain.js';

export interface DnsblEntry {
  id: string;
  name: string;
  zone: string | null;
  type: 'ip' | 'domain';
  codes?: Record<string, string>;
  bitmask?: Record<string, string>;
  errorCodes?: Record<string, string>;
  /** null in the table for a list with no removal page. */
  removalUrl?: string | null;
  requiresKey?: boolean;
  decommissioned?: string;
  notes?: string;
}

/** Lists from data/dnsbl.json that can be queried without a key and still operate. */
export function defaultBlocklists(): DnsblEntry[] {
  return loadDataTable<DnsblEntry>('dnsbl.json').filter((e) => e.zone && !e.requiresKey && !e.decommissioned);
}

/** A list given with --blocklist ZONE (or ip:ZONE / domain:ZONE). Any 127.0.0.0/8 answer is a listing except
 * 127.255.255.0/24, which lists use to say the query was refused or over quota. */
export function customBlocklist(spec: string): DnsblEntry {
  const m = /^(ip|domain):(.+)$/i.exec(spec.trim());
  const zone = (m ? m[2]! : spec).trim().toLowerCase().replace(/\.$/, '');
  return { id: `custom:${zone}`, name: zone, zone, type: m ? (m[1]!.toLowerCase() as 'ip' | 'domain') : 'ip' };
}

export function interpretAnswer(list: DnsblEntry, answers: string[]): { status: BlocklistResult['status']; meaning?: string } {
  const refused = answers.find((a) => list.errorCodes?.[a] || /^127\.255\.255\.\d+$/.test(a));
  if (refused) return { status: 'refused', meaning: list.errorCodes?.[refused] ?? 'the list refused the query (127.255.255.x: refused, over quota or wrong resolver)' };
  const meanings: string[] = [];
  for (const a of answers) {
    if (list.codes?.[a]) meanings.push(list.codes[a]!);
    else if (list.bitmask && /^127\.\d+\.\d+\.\d+$/.test(a)) {
      const last = Number(a.split('.')[3]);
      for (const [bit, what] of Object.entries(list.bitmask)) if (last & Number(bit)) meanings.push(what);
    } else if (!list.codes && !list.bitmask && /^127\./.test(a)) meanings.push(`listed (${a})`);
  }
  if (meanings.length) return { status: 'listed', meaning: meanings.join('; ') };
  return { status: 'unknown-code', meaning: `answer ${answers.join(', ')} is not a documented code of this list` };
}

export async function queryList(dns: Resolver, list: DnsblEntry, subject: string): Promise<BlocklistResult> {
  const query = list.type === 'ip' ? `${dnsblLabels(subject)}.${list.zone}` : `${subject}.${list.zone}`;
  const base = { list: list.id, name: list.name, zone: list.zone!, type: list.type, subject, query, removalUrl: list.removalUrl ?? undefined };
  const a = await lookupText(dns, 'A', query);
  if (a.error) return { ...base, status: isNoData(a.error) ? 'not-listed' : 'error', answers: [], error: isNoData(a.error) ? undefined : a.error };
  const { status, meaning } = interpretAnswer(list, a.records);
  const out: BlocklistResult = { ...base, status, answers: a.records, meaning };
  if (status === 'listed') {
    if (list.notes) out.notes = list.notes;
    const txt = await lookupText(dns, 'TXT', query);
    if (txt.records.length) out.txt = txt.records.join(' ').slice(0, 300);
  }
  return out;
}

export async function checkBlocklists(dns: Resolver, lists: DnsblEntry[], ips: string[], domain: string): Promise<BlocklistResult[]> {
  const jobs: Promise<BlocklistResult>[] = [];
  for (const l of lists) {
    if (l.type === 'ip') for (const ip of ips) jobs.push(queryList(dns, l, ip));
    else jobs.push(queryList(dns, l, domain));
  }
  return Promise.all(jobs);
}
