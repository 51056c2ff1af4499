// DMARC (RFC 7489): the policy record at _dmarc.DOMAIN or the organizational domain's (Public Suffix List via
// tldts), its syntax, and authorization of external report destinations (§7.1). Identifier alignment and
// From-domain extraction are here too, for the message-level checks and the OpenDMARC vectors.
import { getDomain } from 'tldts';
import type { Resolver } from '../net/resolver.js';
import { isNoData, lookupText } from './dns.js';
import type { DmarcFacts, DmarcRecord } from '../facts/domain.js';

const POLICIES = ['none', 'quarantine', 'reject'] as const;

/** The organizational domain (RFC 7489 §3.2) by the Public Suffix List, private suffixes included. */
export function orgDomainOf(domain: string): string {
  const d = domain.toLowerCase().replace(/^\.+|\.+$/g, '');
  return getDomain(d, { allowPrivateDomains: true }) ?? d;
}

/** Identifier alignment (RFC 7489 §3.1): strict = same name; relaxed = same organizational domain. */
export function aligned(a: string, b: string, mode: 'relaxed' | 'strict'): boolean {
  const norm = (d: string) => d.toLowerCase().replace(/^\.+|\.+$/g, '');
  const x = norm(a);
  const y = norm(b);
  if (!x || !y || x.split('.').some((l) => !l) || y.split('.').some((l) => !l)) return false;
  return mode === 'strict' ? x === y : orgDomainOf(x) === orgDomainOf(y);
}

/** The domain of the first address in a From header value (comments and quoted strings removed first). */
export function fromDomainOf(headerValue: string): string | undefined {
  let v = headerValue.replace(/^\s*from\s*:/i, '');
  v = v.replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  let prev;
  do { prev = v; v = v.replace(/\([^()]*\)/g, ' '); } while (v !== prev);
  const m = /[^\s<>,;:"()@]+@([^\s<>,;:"()@]+)/.exec(v);
  return m?.[1]?.toLowerCase();
}

export type DmarcParseStatus = 'ok' | 'empty' | 'bad-version' | 'bad-value' | 'no-required-p';

/** Parses a DMARC record strictly per RFC 7489 §6.3 (unknown tags ignored, §6.3 last paragraph). */
export function parseDmarc(raw: string): { status: DmarcParseStatus; record?: DmarcRecord; errors: string[] } {
  const errors: string[] = [];
  const text = raw.trim();
  if (!text) return { status: 'empty', errors: ['empty record'] };
  const parts = text.split(';').map((p) => p.trim()).filter(Boolean);
  const tags: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) { errors.push(`"${p}" is not a tag=value pair`); continue; }
    tags[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
  }
  if (!/^v\s*=\s*DMARC1$/.test(parts[0] ?? '')) return { status: 'bad-version', errors: [`the record must start with v=DMARC1 (found "${parts[0]}")`] };
  let status: DmarcParseStatus = 'ok';
  const bad = (msg: string) => { errors.push(msg); status = 'bad-value'; };
  const pol = (k: 'p' | 'sp') => {
    const v = tags[k]?.toLowerCase();
    if (v === undefined) return undefined;
    if (!(POLICIES as readonly string[]).includes(v)) { bad(`${k}=${tags[k]} is not none, quarantine or reject`); return undefined; }
    return v as DmarcRecord['p'];
  };
  const p = pol('p');
  const sp = pol('sp');
  for (const k of ['adkim', 'aspf'] as const) if (tags[k] !== undefined && !/^[rs]$/i.test(tags[k]!)) bad(`${k}=${tags[k]} is not r or s`);
  if (tags.pct !== undefined && (!/^\d{1,3}$/.test(tags.pct) || Number(tags.pct) > 100)) bad(`pct=${tags.pct} is not 0-100`);
  if (tags.ri !== undefined && !/^\d{1,10}$/.test(tags.ri)) bad(`ri=${tags.ri} is not a number of seconds`);
  if (tags.rf !== undefined && !tags.rf.split(':').every((f) => /^(afrf|iodef)$/i.test(f.trim()))) bad(`rf=${tags.rf} is not afrf`);
  if (tags.fo !== undefined && !tags.fo.split(':').every((f) => /^[01ds]$/i.test(f.trim()))) bad(`fo=${tags.fo} is not 0, 1, d or s`);
  const uris = (k: 'rua' | 'ruf') => (tags[k] ? tags[k]!.split(',').map((u) => u.trim()).filter(Boolean) : []);
  const rua = uris('rua');
  const ruf = uris('ruf');
  for (const u of [...rua, ...ruf]) if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) bad(`"${u}" is not a URI`);
  if (tags.p === undefined && status === 'ok') {
    // RFC 7489 §6.6.3: a record without p= but with a valid rua is treated as p=none; OpenDMARC refuses it.
    errors.push('no p= tag (the policy is required)');
    status = 'no-required-p';
  }
  const record: DmarcRecord = {
    raw: text, tags, p, sp, pct: tags.pct && /^\d+$/.test(tags.pct) ? Math.min(100, Number(tags.pct)) : 100,
    adkim: tags.adkim?.toLowerCase() === 's' ? 's' : 'r', aspf: tags.aspf?.toLowerCase() === 's' ? 's' : 'r', rua, ruf,
  };
  return { status, record, errors };
}

function mailtoDomain(uri: string): string | undefined {
  const m = /^mailto:([^!?]+)/i.exec(uri);
  const addr = m?.[1] ? decodeURIComponent(m[1]) : undefined;
  return addr?.includes('@') ? addr.split('@').pop()!.toLowerCase() : undefined;
}

export async function auditDmarc(dns: Resolver, domain: string): Promise<DmarcFacts> {
  const orgDomain = orgDomainOf(domain);
  const facts: DmarcFacts = { domain, orgDomain, records: [], syntaxErrors: [], externalDestinations: [] };
  for (const at of orgDomain !== domain ? [domain, orgDomain] : [domain]) {
    const r = await lookupText(dns, 'TXT', `_dmarc.${at}`);
    const recs = r.records.filter((t) => /^v\s*=\s*DMARC1\b/i.test(t.trim()));
    if (r.error && !isNoData(r.error)) { facts.lookupError = r.error; return facts; }
    if (!recs.length) continue;
    facts.foundAt = `_dmarc.${at}`;
    facts.records = recs;
    if (recs.length > 1) { facts.syntaxErrors.push(`${recs.length} DMARC records at _dmarc.${at} (receivers then apply none)`); return facts; }
    const parsed = parseDmarc(recs[0]!);
    facts.parsed = parsed.record;
    facts.syntaxErrors.push(...parsed.errors);
    break;
  }
  const rec = facts.parsed;
  if (rec) {
    const policyDomain = facts.foundAt!.slice('_dmarc.'.length);
    for (const uri of [...rec.rua, ...rec.ruf]) {
      const dest = mailtoDomain(uri);
      if (!dest || orgDomainOf(dest) === orgDomainOf(policyDomain)) continue;
      const checked = `${policyDomain}._report._dmarc.${dest}`;
      const r = await lookupText(dns, 'TXT', checked);
      facts.externalDestinations.push({ uri, domain: dest, checked, authorized: r.records.some((t) => /^v\s*=\s*DMARC1\b/i.test(t.trim())) });
    }
  }
  return facts;
}
