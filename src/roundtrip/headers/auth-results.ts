// What the receiver concluded about SPF, DKIM, DMARC, ARC …: Authentication-Results (RFC 8601), its ARC copy
// ARC-Authentication-Results (RFC 8617 §4.1.1) and Received-SPF (RFC 7208 §9.1).
// Written for the forms seen in the wild, not only the grammar: Microsoft 365 leaves out the authserv-id and puts
// stray domains between results ("header.d=none;outlook.com;"), Gmail comments every result, Yahoo's old form puts
// "from=domain" before the result, values may be quoted, and VERP/SRS addresses contain '=' unquoted.
// mailauth (a dependency) parses these headers too, but only internally (lib/parse-dkim-headers.js is not exported,
// keeps one result per method except dkim, and says itself it fails on nested comments), so this is our own.
import type { AuthResult, AuthResultsHeader } from '../../facts/roundtrip.js';
import { lexValue, squeeze, type ValueToken } from './header-block.js';

interface Items {
  pairs: Array<[key: string, value: string]>;
  words: string[];
  comments: string[];
  /** Whether the first non-comment item is a key=value pair. */
  startsWithPair: boolean;
}

/** Parses an Authentication-Results field body. Never throws; segments that are not a result are skipped. */
export function parseAuthenticationResults(value: string): AuthResultsHeader {
  return fromSegments(segmentsOf(lexValue(value, ';=')));
}

/** Parses an ARC-Authentication-Results field body: "i=N;" and then an Authentication-Results body. */
export function parseArcAuthenticationResults(value: string): { instance?: number } & AuthResultsHeader {
  const segments = segmentsOf(lexValue(value, ';='));
  let instance: number | undefined;
  // i= comes first; a sealer that wrote "authserv-id; i=N;" (reversed) or "i=N authserv-id;" is still understood.
  const at = [0, 1].find((k) => isInstanceTag(segments[k]));
  if (at !== undefined) {
    const seg = segments[at]!;
    const items = seg.filter((t) => t.kind !== 'comment');
    const { value: n, next } = takeValue(items, 2);
    if (/^\d{1,9}$/.test(n)) instance = Number(n);
    const rest = items.slice(next);
    if (at === 0 && rest.length > 0) segments[0] = rest;
    else segments.splice(at, 1);
  }
  const header = fromSegments(segments);
  return instance === undefined ? header : { instance, ...header };
}

/** Parses a Received-SPF field body: result, comment, then key=value pairs separated by ';'. */
export function parseReceivedSpf(value: string): AuthResult {
  const tokens = lexValue(value, ';=');
  const items = readItems(tokens);
  const nonComment = tokens.filter((t) => t.kind !== 'comment');
  const result = !items.startsWithPair && nonComment[0]?.kind === 'word' ? nonComment[0].text.toLowerCase() : '';
  return makeResult('spf', result, items.pairs, items.comments);
}

// Received-SPF's keys (RFC 7208 §9.1), which some receivers write into Authentication-Results after a ';'.
const SPF_KEYS = new Set(['client-ip', 'envelope-from', 'helo', 'receiver', 'identity', 'mechanism', 'problem']);

function fromSegments(segments: ValueToken[][]): AuthResultsHeader {
  const header: AuthResultsHeader = { results: [] };
  // Yahoo's old form: "from=example.com; domainkeys=pass (ok); from=amazonses.com; dkim=pass (ok)", where
  // "from=" names the domain the next result is about; it becomes that result's "from" property.
  let pending: Array<[string, string]> = [];
  segments.forEach((seg, i) => {
    const items = readItems(seg);
    if (i === 0 && !items.startsWithPair) {
      // authserv-id [version]; a lone "none" (no id at all, against the grammar) is not taken for a name.
      const id = seg.find((t) => t.kind === 'word' || t.kind === 'quoted')?.text;
      const isName = !!id && /^[^\s()<>,;:\\"[\]?=]+$/.test(id);
      if (isName && !(segments.length === 1 && id.toLowerCase() === 'none')) header.authservId = id;
      pending = items.pairs.filter(([k]) => k.toLowerCase() === 'from').map(([, v]) => ['from', v]);
      return;
    }
    if (!items.startsWithPair) return;
    const [[method, result], ...props] = items.pairs as [[string, string], ...Array<[string, string]>];
    const name = method.toLowerCase().replace(/\/.*$/, '');
    if (name === 'from' && items.pairs.length === 1) {
      pending.push(['from', result]);
      return;
    }
    // A property after a stray ';' ("dkim=pass (ok); header.i=@example.jp") belongs to the result before it.
    if (name.includes('.') || SPF_KEYS.has(name)) {
      const last = header.results[header.results.length - 1];
      if (last) header.results[header.results.length - 1] = withProps(last, items.pairs);
      return;
    }
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) return;
    header.results.push(makeResult(name, result.toLowerCase(), [...pending, ...props], items.comments));
    pending = [];
  });
  return header;
}

function withProps(result: AuthResult, pairs: ReadonlyArray<[string, string]>): AuthResult {
  const props = Object.entries(result.props);
  for (const [k, v] of pairs) {
    const key = k.toLowerCase();
    if (!props.some(([p]) => p === key)) props.push([key, v]);
  }
  return { ...result, props: Object.fromEntries(props) };
}

function makeResult(method: string, result: string, pairs: ReadonlyArray<[string, string]>, comments: readonly string[]): AuthResult {
  const props: Array<[string, string]> = [];
  let reason: string | undefined;
  for (const [k, v] of pairs) {
    const key = k.toLowerCase();
    if (key === 'reason') reason ??= v;
    else if (!props.some(([p]) => p === key)) props.push([key, v]);
  }
  const comment = squeeze(comments.join(' '));
  return {
    method,
    result,
    ...(reason !== undefined && { reason }),
    ...(comment && { comment }),
    // fromEntries defines own properties: a hostile "__proto__" key is stored as data, never as a prototype.
    props: Object.fromEntries(props),
  };
}

function segmentsOf(tokens: readonly ValueToken[]): ValueToken[][] {
  const segments: ValueToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'special' && t.text === ';') segments.push([]);
    else segments[segments.length - 1]!.push(t);
  }
  return segments.filter((s) => s.length > 0);
}

function isInstanceTag(seg: readonly ValueToken[] | undefined): boolean {
  const items = seg?.filter((t) => t.kind !== 'comment') ?? [];
  return items[0]?.kind === 'word' && items[0].text.toLowerCase() === 'i' && items[1]?.kind === 'special' && items[1].text === '=';
}

// key=value pairs, loose words and comments of one segment. CFWS may surround '=' (RFC 8601 §2.2), so a value
// may follow after a space; a value continues over adjacent tokens, so "SRS0=ab=cd=example.org=x@fwd.example"
// stays one value.
function readItems(seg: readonly ValueToken[]): Items {
  const comments = seg.filter((t) => t.kind === 'comment').map((t) => t.text);
  const items = seg.filter((t) => t.kind !== 'comment');
  const out: Items = { pairs: [], words: [], comments, startsWithPair: false };
  let i = 0;
  while (i < items.length) {
    const t = items[i]!;
    const key = keyAt(items, i);
    const eq = items[key.next];
    if ((t.kind === 'word' || t.kind === 'quoted') && eq?.kind === 'special' && eq.text === '=') {
      if (i === 0) out.startsWithPair = true;
      const { value, next: after } = takeValue(items, key.next + 1);
      out.pairs.push([key.text, value]);
      i = after;
    } else {
      if (t.kind === 'word' || t.kind === 'quoted') out.words.push(t.text);
      i++;
    }
  }
  return out;
}

// A key may be spread over CFWS: "dkim (c) / 1 (c) =" and "policy (c) . (c) expired =" (RFC 8601 Appendix B.7).
// Joined only where a key is expected, so a value ending in '.' is never glued to the next key.
function keyAt(items: readonly ValueToken[], i: number): { text: string; next: number } {
  let text = items[i]?.text ?? '';
  let j = i + 1;
  while (items[j]?.kind === 'word' && (/[./]$/.test(text) || /^[./]/.test(items[j]!.text))) {
    text += items[j]!.text;
    j++;
  }
  return { text, next: j };
}

/** The value starting at items[from]: empty when the next token is itself a key ("a= b=c") or a separator. */
function takeValue(items: readonly ValueToken[], from: number): { value: string; next: number } {
  const first = items[from];
  if (!first || (first.kind !== 'word' && first.kind !== 'quoted')) return { value: '', next: from };
  const isKey = items[from + 1]?.kind === 'special' && items[from + 1]!.text === '=';
  if (first.spaceBefore && isKey) return { value: '', next: from };
  let value = first.text;
  let i = from + 1;
  while (i < items.length) {
    const t = items[i]!;
    if (t.spaceBefore || (t.kind === 'special' && t.text === ';')) break;
    value += t.text;
    i++;
  }
  return { value, next: i };
}
