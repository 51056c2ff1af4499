// Received fields (RFC 5321 §4.4, clauses registered by RFC 3848 and the MTAs' own habits) read into hops, and the
// delay at each hop. What each MTA writes differs (Postfix, Exim, Sendmail, Exchange/Microsoft 365, Gmail, qmail),
// so every clause is optional and nothing is guessed: a value we cannot find is left out, never invented.
import { isIP } from 'node:net';
import type { ReceivedHop } from '../../facts/roundtrip.js';
import { lexValue, squeeze, type HeaderField, type ValueToken } from './header-block.js';

export interface HopDelay {
  from?: string;
  by?: string;
  /** The hop's timestamp (ISO). */
  at?: string;
  /**
   * This hop's timestamp minus the previous (older) hop's; undefined for the first hop or when either date is
   * missing. Negative when the clocks disagree: kept as it is, for the caller to report as skew.
   */
  delayMs?: number;
}

interface Clause {
  key: string;
  words: string[];
  comments: string[];
}

const CLAUSE_KEYS = new Set(['from', 'by', 'via', 'with', 'id', 'for']);

/** Parses one Received field body. Never throws; unknown text is kept only in `raw`. */
export function parseReceived(value: string): ReceivedHop {
  const raw = squeeze(value);
  const tokens = lexValue(value, ';');
  let lastSemi = -1;
  tokens.forEach((t, i) => {
    if (t.kind === 'special') lastSemi = i;
  });
  const head = lastSemi >= 0 ? tokens.slice(0, lastSemi) : tokens;
  const clauses = readClauses(head);
  const clause = (key: string) => clauses.find((c) => c.key === key);
  const from = clause('from');
  const by = clause('by');
  const withClause = clause('with');
  const protocol = withClause?.words.length ? withClause.words.join(' ') : undefined;
  const comments = clauses.flatMap((c) => c.comments);
  // An unclosed comment swallows the rest of the field; the date is then after the last ';' anywhere.
  let dateText = '';
  if (lastSemi >= 0) dateText = value.slice(tokens[lastSemi]!.end);
  else if (value.includes(';')) dateText = value.slice(value.lastIndexOf(';') + 1);
  return definedOnly({
    from: from?.words[0],
    fromIp: from ? clientIp(from) : undefined,
    by: by?.words[0],
    with: protocol,
    id: clause('id')?.words[0],
    for: clause('for')?.words[0]?.replace(/^<|>$/g, ''),
    tls: tlsOf(comments, clauses, protocol),
    authenticated: isAuthenticated(comments, protocol) ? true : undefined,
    date: dateText ? parseMailDate(dateText) : undefined,
    raw,
  }) as ReceivedHop;
}

/** The Received fields of a header block, parsed, in message order: the first one is the last hop (newest). */
export function parseReceivedChain(fields: readonly HeaderField[]): ReceivedHop[] {
  return fields.filter((f) => f.key === 'received').map((f) => parseReceived(f.value));
}

/** The hops oldest first, each with its delay since the previous hop. */
export function hopDelays(hops: readonly ReceivedHop[]): HopDelay[] {
  const chrono = [...hops].reverse();
  return chrono.map((h, i) => {
    const prev = i > 0 ? chrono[i - 1] : undefined;
    const delayMs = prev?.date && h.date ? Date.parse(h.date) - Date.parse(prev.date) : undefined;
    return definedOnly({ from: h.from, by: h.by, at: h.date, delayMs }) as HopDelay;
  });
}

// A keyword opens a clause unless the open clause has no value yet ("from by.example" names a host "by.example").
function readClauses(tokens: readonly ValueToken[]): Clause[] {
  const clauses: Clause[] = [];
  let cur: Clause = { key: '', words: [], comments: [] };
  clauses.push(cur);
  for (const t of tokens) {
    if (t.kind === 'comment') {
      cur.comments.push(squeeze(t.text));
    } else if (t.kind === 'word' || t.kind === 'quoted') {
      const lower = t.text.toLowerCase();
      // Exim 4.94+ writes "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384": a lowercase "tls" clause after "with"
      // (Microsoft's "over TLS secured channel" is not one).
      const eximTls = t.text === 'tls' && cur.key === 'with';
      if (t.kind === 'word' && (CLAUSE_KEYS.has(lower) || eximTls) && (cur.key === '' || cur.words.length > 0)) {
        cur = { key: lower, words: [], comments: [] };
        clauses.push(cur);
      } else if (t.text) {
        cur.words.push(t.text);
      }
    }
  }
  // A repeated keyword (two "from" clauses in a broken field) keeps the first: find() returns it.
  return clauses;
}

// The receiving MTA records the address it saw in the comment after the HELO name: "(rdns [ip])" for Postfix and
// Sendmail, "([ip]:port helo=…)" for Exim, "(ip)" for Microsoft, "(EHLO name) (ip)" for Yahoo.
function clientIp(from: Clause): string | undefined {
  for (const c of from.comments) {
    for (const m of c.matchAll(/\[([^\]\s]*)\]/g)) {
      const ip = asIp(m[1]!);
      if (ip) return ip;
    }
  }
  for (const c of from.comments) {
    for (const word of c.split(/[\s,;()]+/)) {
      const ip = asIp(word);
      if (ip) return ip;
    }
  }
  const name = from.words[0];
  return name ? asIp(name.replace(/^\[|\]$/g, '')) : undefined;
}

function asIp(s: string): string | undefined {
  const v = s.replace(/^ipv6:/i, '').replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, '$1');
  return isIP(v) ? v : undefined;
}

function tlsOf(comments: readonly string[], clauses: readonly Clause[], protocol: string | undefined): string | undefined {
  const eximTls = clauses.find((c) => c.key === 'tls')?.words[0];
  for (const c of comments) {
    const using = /^using\s+((?:TLS|SSL)\S*[\s\S]*)$/i.exec(c);
    if (using) return using[1];
    if (/\b(?:version|cipher)=/i.test(c)) return c;
    if (/^(?:TLS|SSL)/i.test(c)) return eximTls ? `${c} ${eximTls}` : c;
    if (/Google Transport Security/i.test(c)) return 'Google Transport Security';
  }
  if (eximTls) return eximTls;
  const byWords = clauses.find((c) => c.key === 'by')?.words.join(' ') ?? '';
  if (/\bover TLS secured channel\b/i.test(byWords)) return 'TLS secured channel';
  if (protocol && /^(?:e?smtp|utf8smtp|lmtp)sa?$/i.test(protocol)) return protocol;
  return undefined;
}

function isAuthenticated(comments: readonly string[], protocol: string | undefined): boolean {
  if (comments.some((c) => /^Authenticated sender:/i.test(c) || /^authenticated\b/i.test(c) || /^AUTH:\s/.test(c))) return true;
  return !!protocol && /^(?:e?smtp|utf8smtp|lmtp)s?a$/i.test(protocol);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 5322 §4.3 obsolete zones, plus abbreviations real MTAs write that have one meaning (JST from Yahoo! Japan,
// CET/CEST from European hosts). Ambiguous ones (IST, BST outside the UK, …) are not guessed: the date is then
// unparseable rather than hours off.
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  WET: 0, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  JST: 540, KST: 540, HKT: 480, SGT: 480, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/**
 * An RFC 5322 date-time (obsolete forms included: two-digit years, alphabetic and military zones, comments such as
 * "(UTC)", a missing day name or seconds) as an ISO string. The day name is not checked against the date. Undefined
 * when a part is missing or out of range, or the zone is unknown.
 */
export function parseMailDate(text: string): string | undefined {
  const words = lexValue(text, '').filter((t) => t.kind === 'word').map((t) => t.text).join(' ');
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(words.trim());
  if (iso) {
    const offset = zoneOffset(iso[7]!);
    return offset === undefined ? undefined : build(+iso[1]!, +iso[2]! - 1, +iso[3]!, +iso[4]!, +iso[5]!, +(iso[6] ?? 0), offset);
  }
  const parts = words.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  let i = 0;
  if (parts[i] && /^[a-z]+\.?$/i.test(parts[i]!) && monthOf(parts[i]!) < 0) i++;
  let day: number;
  let month: number;
  let yearText: string;
  let timeText: string;
  if (monthOf(parts[i] ?? '') >= 0) {
    // "Apr 29 23:34:45 2005 +0000" (ctime order with a zone), written by a few old MTAs.
    month = monthOf(parts[i++]!);
    day = dayOf(parts[i++]);
    const [a = '', b = ''] = [parts[i++], parts[i++]];
    [timeText, yearText] = a.includes(':') ? [a, b] : [b, a];
  } else {
    day = dayOf(parts[i++]);
    month = monthOf(parts[i++] ?? '');
    yearText = parts[i++] ?? '';
    timeText = parts[i++] ?? '';
  }
  const time = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(timeText);
  const offset = zoneOffset(parts[i] ?? '');
  if (Number.isNaN(day) || month < 0 || !/^\d{2,4}$/.test(yearText) || !time || offset === undefined) return undefined;
  let year = +yearText;
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText.length === 3) year += 1900;
  return build(year, month, day, +time[1]!, +time[2]!, +(time[3] ?? 0), offset);
}

/** Day of month; a zero-padded "029" (Barracuda, Google Groups) is read as 29. */
function dayOf(s: string | undefined): number {
  return s !== undefined && /^0*\d{1,2}$/.test(s) ? Number(s) : NaN;
}

function monthOf(s: string): number {
  return s.length >= 3 ? MONTHS.indexOf(s.slice(0, 3).toLowerCase()) : -1;
}

/** Minutes east of UTC, or undefined when the zone is missing or unknown. */
function zoneOffset(zone: string): number | undefined {
  const num = /^(?:GMT|UTC|UT)?([+-])(\d{2}):?(\d{2})$/i.exec(zone);
  if (num) {
    const minutes = +num[3]!;
    if (minutes > 59) return undefined;
    return (num[1] === '-' ? -1 : 1) * (+num[2]! * 60 + minutes);
  }
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper];
  // RFC 5322 §4.3: military zones were defined wrongly in RFC 822 and SHOULD be taken as -0000.
  if (/^[A-IK-Z]$/.test(upper)) return 0;
  return undefined;
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, offset: number): string | undefined {
  if (year < 1900 || year > 9999 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const midnight = new Date(Date.UTC(year, month, day));
  if (midnight.getUTCDate() !== day || midnight.getUTCMonth() !== month) return undefined;
  return new Date(Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offset * 60_000).toISOString();
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
