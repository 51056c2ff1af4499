// SPF (RFC 7208): the record(s), a syntax check of every record in the include/redirect tree, the DNS-lookup and
// void-lookup counts, loops, and the result for real sending IPs. Evaluation is mailauth's check_host(); the
// record-level grammar check here adds what mailauth is lenient about (exp= grammar, bare ip6, repeated
// modifiers), which RFC 7208 §4.6 and §6 make a permerror.
import { BlockList, isIP } from 'node:net';
import { spf as mailauthSpf } from 'mailauth/lib/spf/index.js';
import type { Resolver } from '../net/resolver.js';
import { LIMITS } from '../net/limits.js';
import { expandIpv6, isNoData, lookupText, mailauthResolver, reverseName, type MailauthResolver } from './dns.js';
import type { SpfEvaluation, SpfFacts, SpfNode, SpfTerm } from '../facts/domain.js';

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
const MAX_NODES = 60;

export function isSpfRecord(txt: string): boolean {
  return /^v=spf1(?: |$)/i.test(txt);
}

/** RFC 7208 §7.1 macro-string check; `exp` allows the c, r, t letters (explanation text only — not exp=). */
export function macroStringErrors(s: string, allowExpLetters = false): string[] {
  const errors: string[] = [];
  const letters = allowExpLetters ? 'slodiphvcrt' : 'slodiphv';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x21 || code > 0x7e) { errors.push(`character 0x${code.toString(16)} is not allowed`); continue; }
    if (c !== '%') continue;
    const n = s[i + 1];
    if (n === '%' || n === '_' || n === '-') { i++; continue; }
    if (n !== '{') { errors.push(`"%" must be followed by {, %, _ or - (at "${s.slice(i, i + 4)}")`); continue; }
    const end = s.indexOf('}', i);
    if (end < 0) { errors.push('unterminated macro'); break; }
    const body = s.slice(i + 2, end);
    const m = /^([a-z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
    if (!m || !letters.includes(m[1]!.toLowerCase())) errors.push(`invalid macro %{${body}}`);
    else if (m[2] && Number(m[2]) === 0) errors.push(`invalid macro %{${body}} (digit transformer 0)`);
    i = end;
  }
  return errors;
}

/** domain-spec = macro-string domain-end; domain-end = "." toplabel ["."] / macro-expand. */
export function domainSpecErrors(spec: string): string[] {
  if (!spec) return ['empty domain'];
  const errors = macroStringErrors(spec);
  if (errors.length) return errors;
  if (/%\{[^}]+\}$/.test(spec)) return [];
  const m = /\.([^.]+)\.?$/.exec(spec);
  const top = m?.[1];
  if (!top || !/^(?=.*[a-z])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(top)) return [`"${spec}" does not end in a valid top-level label`];
  return [];
}

function cidrErrors(value: string, v4Only: boolean, v6Only: boolean): string[] {
  const m = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(value);
  if (!m) return [`bad CIDR "${value}"`];
  const e: string[] = [];
  if (m[1] !== undefined && (Number(m[1]) > 32 || /^0\d/.test(m[1]))) e.push(`IPv4 prefix /${m[1]} out of range`);
  if (m[2] !== undefined && (Number(m[2]) > 128 || /^0\d/.test(m[2]))) e.push(`IPv6 prefix //${m[2]} out of range`);
  if (v4Only && m[2] !== undefined) e.push('ip4 takes one prefix length');
  if (v6Only && m[2] !== undefined) e.push('ip6 takes one prefix length');
  return e;
}

/** A modifier's errors (RFC 7208 6): redirect= and exp= take a domain-spec, at most once each; unknown ones a macro-string. */
function modifierErrors(name: string, value: string, seen: Set<string>): string[] {
  if (name !== 'redirect' && name !== 'exp') return macroStringErrors(value).map((e) => `${name}=: ${e}`);
  const errors: string[] = [];
  if (seen.has(name)) errors.push(`${name}= appears more than once`);
  seen.add(name);
  errors.push(...domainSpecErrors(value).map((e) => `${name}=: ${e}`));
  return errors;
}

/** ip4:/ip6: an address of that family and at most one prefix length in range. Sets the term's value. */
function ipMechanismErrors(raw: string, term: SpfTerm, mech: 'ip4' | 'ip6', rest: string): string[] {
  const v = /^:([^/]*)(.*)$/.exec(rest);
  if (!v || !v[1]) return [`"${raw}": ${mech} needs an address`];
  term.value = v[1] + v[2];
  const errors: string[] = [];
  if (isIP(v[1]) !== (mech === 'ip4' ? 4 : 6)) errors.push(`"${raw}": not an ${mech === 'ip4' ? 'IPv4' : 'IPv6'} address`);
  if (v[2]) {
    const p = /^\/(\d+)$/.exec(v[2]);
    if (!p || Number(p[1]) > (mech === 'ip4' ? 32 : 128) || /^0\d/.test(p[1]!)) errors.push(`"${raw}": bad prefix length`);
  }
  return errors;
}

/** a, mx, ptr: an optional :domain-spec, then (a, mx only) a dual-cidr. Sets the term's value to the domain-spec. */
function hostMechanismErrors(raw: string, term: SpfTerm, mech: string, rest: string): string[] {
  const errors: string[] = [];
  let cidr = rest;
  if (rest.startsWith(':')) {
    // the dual-cidr is anchored at the end: a domain-spec may itself contain "/" (a macro-literal)
    const c = /(\/\d*)?(\/\/\d*)?$/.exec(rest)!;
    const spec = rest.slice(1, rest.length - c[0].length);
    cidr = c[0];
    if (!spec) return [`"${raw}": empty domain`];
    errors.push(...domainSpecErrors(spec).map((e) => `"${raw}": ${e}`));
    term.value = spec;
  } else if (rest && !rest.startsWith('/')) return [`unknown mechanism "${raw}"`];
  if (cidr) {
    if (mech === 'ptr') errors.push(`"${raw}": ptr takes no prefix length`);
    else errors.push(...cidrErrors(cidr, false, false).map((e) => `"${raw}": ${e}`));
  }
  return errors;
}

/** A mechanism's errors by its kind (RFC 7208 5); `rest` is what follows the mechanism's name. */
function mechanismErrors(raw: string, term: SpfTerm, mech: string, rest: string): string[] {
  if (!MECHANISMS.has(mech)) return [`unknown mechanism "${raw}"`];
  if (mech === 'all') return rest ? [`"${raw}": all takes no argument`] : [];
  if (mech === 'ip4' || mech === 'ip6') return ipMechanismErrors(raw, term, mech, rest);
  if (mech === 'include' || mech === 'exists') {
    if (!rest.startsWith(':') || rest.length < 2) return [`"${raw}": ${mech} needs a domain`];
    term.value = rest.slice(1);
    return domainSpecErrors(term.value).map((e) => `"${raw}": ${e}`);
  }
  return hostMechanismErrors(raw, term, mech, rest);
}

/** Parses one SPF record into terms and lists grammar errors (anything listed makes check_host() a permerror). */
export function parseSpfRecord(record: string): { terms: SpfTerm[]; errors: string[] } {
  const errors: string[] = [];
  const terms: SpfTerm[] = [];
  if (/[^\x20-\x7e]/.test(record)) errors.push('non-ASCII or control character in the record');
  const parts = record.split(' ').filter((p) => p !== '');
  const seen = new Set<string>();
  for (const raw of parts.slice(1)) {
    const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (mod) {
      const name = mod[1]!.toLowerCase();
      const value = mod[2]!;
      terms.push({ term: raw, mechanism: name, value });
      errors.push(...modifierErrors(name, value, seen));
      continue;
    }
    const m = /^([+\-~?]?)([a-z][a-z0-9_.-]*)(.*)$/i.exec(raw);
    if (!m) {
      errors.push(`unknown term "${raw}"`);
      continue;
    }
    const mech = m[2]!.toLowerCase();
    const term: SpfTerm = { term: raw, qualifier: (m[1] || '+') as SpfTerm['qualifier'], mechanism: mech };
    terms.push(term);
    errors.push(...mechanismErrors(raw, term, mech, m[3]!));
  }
  return { terms, errors };
}

interface WalkState { nodes: number; voids: string[]; loops: string[]; mxOverLimit: string[] }

/** Walks the include/redirect tree, counting lookups and voids and spotting loops (static, worst case). */
async function walk(dns: Resolver, domain: string, path: string[], state: WalkState): Promise<SpfNode> {
  state.nodes++;
  const txt = await lookupText(dns, 'TXT', domain);
  const records = txt.records.filter(isSpfRecord);
  const node: SpfNode = { domain, records, terms: [], syntaxErrors: [], lookups: 0, children: [] };
  if (txt.error && !isNoData(txt.error)) node.error = txt.error;
  if (records.length !== 1) return node;
  const { terms, errors } = parseSpfRecord(records[0]!);
  node.terms = terms;
  node.syntaxErrors = errors;
  const hasAll = terms.some((t) => t.mechanism === 'all');
  for (const t of terms) {
    if (!t.mechanism || !LOOKUP_TERMS.has(t.mechanism)) continue;
    if (t.mechanism === 'redirect' && hasAll) continue; // RFC 7208 §6.1: ignored when "all" is present
    node.lookups++;
    const target = t.mechanism === 'include' || t.mechanism === 'redirect' ? t.value : undefined;
    if (target && !target.includes('%')) {
      const d = target.replace(/\.$/, '').toLowerCase();
      if (path.includes(d)) {
        state.loops.push([...path, d].join(' → '));
        node.children.push({ domain: d, records: [], terms: [], syntaxErrors: [], lookups: 0, children: [], loop: true });
        continue;
      }
      if (state.nodes >= MAX_NODES) continue;
      const child = await walk(dns, d, [...path, d], state);
      if (!child.records.length && !child.error) {
        child.missing = true;
        state.voids.push(`${t.mechanism}:${d}`);
      }
      node.children.push(child);
    } else if ((t.mechanism === 'a' || t.mechanism === 'mx') && !(t.value ?? '').includes('%')) {
      const host = (t.value ?? domain).replace(/\.$/, '');
      if (t.mechanism === 'mx') {
        const mx = await lookupText(dns, 'MX', host);
        if (isNoData(mx.error)) state.voids.push(`mx:${host}`);
        else if (mx.records.length > LIMITS.maxSpfMxNames) state.mxOverLimit.push(`mx:${host} has ${mx.records.length} MX names`);
      } else {
        const [a, aaaa] = await Promise.all([lookupText(dns, 'A', host), lookupText(dns, 'AAAA', host)]);
        if (isNoData(a.error) && isNoData(aaaa.error)) state.voids.push(`a:${host}`);
      }
    }
  }
  return node;
}

function sumLookups(n: SpfNode): number {
  return n.lookups + n.children.reduce((s, c) => s + sumLookups(c), 0);
}

function collectErrors(n: SpfNode, out: string[]): string[] {
  for (const e of n.syntaxErrors) out.push(`${n.domain}: ${e}`);
  for (const c of n.children) collectErrors(c, out);
  return out;
}

/** The effective "all" of a record: its own, or the one of the redirect target. */
function effectiveAll(n: SpfNode | undefined, depth = 0): SpfFacts['all'] {
  if (!n || depth > 10) return undefined;
  const all = n.terms.find((t) => t.mechanism === 'all');
  if (all) return all.qualifier;
  const redirect = n.terms.find((t) => t.mechanism === 'redirect');
  if (!redirect) return undefined;
  return effectiveAll(n.children.find((c) => c.domain === redirect.value?.replace(/\.$/, '').toLowerCase()), depth + 1);
}

/** check_host() for one IP, through our resolver; a grammar error in the domain's own record is a permerror. */
export function evaluateSpf(dns: Resolver, opts: SpfEvalOptions): Promise<SpfEvaluation> {
  return evaluateSpfWith(mailauthResolver(dns), opts);
}

export interface SpfEvalOptions { domain: string; sender?: string; ip: string; helo?: string; topLevelErrors?: string[] }

/** The same with any mailauth-style resolver function (the conformance suite passes a fake zone). */
/** What mailauth accepts as a name to look up after macro expansion. */
const MAILAUTH_NAME = /^([\x20-\x2D\x2f-\x7e]+\.)+[a-z]+[a-z\-0-9]*$/i;
/** RFC 6761: a name under .invalid never exists, so looking it up is a guaranteed non-match. */
const NEVER_EXISTS = 'helo-is-not-a-domain.invalid';

/** RFC 7208 §7.3 transformers applied to one macro value: reverse, keep the rightmost N parts, rejoin with ".". */
function transformMacro(value: string, digits: string, reverse: string, delims: string): string {
  const parts = value.split(new RegExp(`[${(delims || '.').replace(/[-\]\\^]/g, '\\$&')}]`));
  if (reverse) parts.reverse();
  return (digits ? parts.slice(-Number(digits)) : parts).join('.');
}

/**
 * The %{p} macro (RFC 7208 §7.3): the validated name of the client IP — a PTR name whose A/AAAA records hold the
 * IP, preferring <domain> itself, then a subdomain of it, then any; "unknown" if none. mailauth 4 does not implement
 * it (it substitutes the sender domain), so records that use it are expanded here before mailauth parses them.
 */
async function validatedName(resolver: MailauthResolver, ip: string, domain: string): Promise<string> {
  let names: string[] = [];
  try {
    names = ((await resolver(reverseName(ip), 'PTR')) as string[]).map((n) => n.toLowerCase().replace(/\.$/, '')).slice(0, 10);
  } catch {
    return 'unknown';
  }
  const fam = isIP(ip);
  const valid: string[] = [];
  for (const n of names) {
    try {
      const addrs = (await resolver(n, fam === 6 ? 'AAAA' : 'A')) as string[];
      if (addrs.some((a) => (fam === 6 ? expandIpv6(a) === expandIpv6(ip) : a === ip))) valid.push(n);
    } catch { /* not validated */ }
  }
  const d = domain.toLowerCase();
  return valid.find((n) => n === d) ?? valid.find((n) => n.endsWith(`.${d}`)) ?? valid[0] ?? 'unknown';
}

function withPMacro(resolver: MailauthResolver, ip: string): MailauthResolver {
  return async (name, type) => {
    const answer = await resolver(name, type);
    if (type.toUpperCase() !== 'TXT' || !Array.isArray(answer)) return answer;
    const rows = answer as string[][];
    if (!rows.some((r) => isSpfRecord(r.join('')) && /%\{p/i.test(r.join('')))) return answer;
    const p = await validatedName(resolver, ip, name.replace(/\.$/, ''));
    return rows.map((r) => {
      const txt = r.join('');
      if (!isSpfRecord(txt)) return r;
      return [txt.replace(/%\{p(\d*)(r?)([.\-+,/_=]*)\}/gi, (_m, digits: string, rev: string, delims: string) => transformMacro(p, digits, rev, delims))];
    });
  };
}

/** RFC 7208 §4.6.4: an `mx` mechanism whose name has more than 10 MX names is a permerror (mailauth looks at all
 * of them). Thrown only when the evaluation reaches the mechanism, as the RFC says. */
function withMxLimit(resolver: MailauthResolver): MailauthResolver {
  return async (name, type) => {
    const answer = await resolver(name, type);
    if (type.toUpperCase() === 'MX' && Array.isArray(answer) && answer.length > LIMITS.maxSpfMxNames) {
      throw Object.assign(new Error('SPF failure'), { code: 'ESPFMXLIMIT', spfResult: { error: 'permerror', text: `more than ${LIMITS.maxSpfMxNames} MX names for ${name.replace(/\.$/, '')} (${answer.length}; RFC 7208 §4.6.4)` } });
    }
    return answer;
  };
}

export async function evaluateSpfWith(resolver: MailauthResolver, opts: SpfEvalOptions): Promise<SpfEvaluation> {
  resolver = withMxLimit(withPMacro(resolver, opts.ip));
  const sender = opts.sender || `postmaster@${opts.domain}`;
  let helo = opts.helo ?? opts.domain;
  // RFC 7208 §7.1 checks domain-spec syntax before macro expansion, not after: a:%{h} with a HELO that is not a
  // domain name ("OEMCOMPUTER", "[192.0.2.1]") is a lookup that does not match. mailauth instead refuses the
  // expanded name with a permerror, so when the MAIL FROM identity is checked we give it a name that cannot exist;
  // every %{h} lookup then fails to match exactly as the RFC's does.
  if (opts.sender && opts.sender.includes('@') && !MAILAUTH_NAME.test(helo)) helo = NEVER_EXISTS;
  const r = (await mailauthSpf({
    sender,
    ip: opts.ip,
    helo,
    mta: 'sendcheck',
    resolver,
  } as never)) as { status: { result: SpfEvaluation['result']; comment?: string }; lookups?: { count: number; limit: number; void: number } };
  let result = r.status.result;
  let comment = r.status.comment;
  if (opts.topLevelErrors?.length && result !== 'none' && result !== 'temperror') {
    result = 'permerror';
    comment = `permanent error in the SPF record of ${opts.domain}: ${opts.topLevelErrors[0]}`;
  }
  return { ip: opts.ip, helo: opts.helo, result, comment: comment?.replace(/^sendcheck: /, ''), lookups: r.lookups ? { count: r.lookups.count, limit: r.lookups.limit, void: r.lookups.void } : undefined };
}

function ipInCidr(ip: string, network: string): boolean {
  const [addr, len] = network.split('/') as [string, string | undefined];
  const fam = isIP(addr);
  if (!fam || fam !== isIP(ip)) return false;
  const list = new BlockList();
  list.addSubnet(addr, len !== undefined ? Number(len) : fam === 4 ? 32 : 128, fam === 4 ? 'ipv4' : 'ipv6');
  return list.check(ip, fam === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The chain of terms that decided the result for `ip`, e.g. ["include:_spf.example.com", "ip4:192.0.2.0/24"], by
 * replaying the tree with the answers already in the resolver's cache. Undefined when a term needs macro expansion,
 * ptr or exists (mailauth's result stands; we only cannot say which term it was).
 */
async function decidingChain(dns: Resolver, node: SpfNode, ip: string, depth = 0): Promise<string[] | undefined> {
  if (depth > 10 || node.records.length !== 1 || node.syntaxErrors.length) return undefined;
  const fam = isIP(ip);
  for (const t of node.terms) {
    const m = t.mechanism;
    if (!m || m === 'exp' || m === 'redirect' || !MECHANISMS.has(m)) continue;
    if ((t.value ?? '').includes('%') || m === 'ptr' || m === 'exists') return undefined;
    let match = false;
    if (m === 'all') match = true;
    else if (m === 'ip4' || m === 'ip6') match = ipInCidr(ip, t.value!);
    else if (m === 'a' || m === 'mx') {
      const c = /(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(t.term)!;
      const prefix = fam === 4 ? c[1] : c[2];
      const host = (t.value ?? node.domain).replace(/\.$/, '');
      const hosts = m === 'a' ? [host] : ((await dns.query('MX', host)).ok ? ((await dns.query('MX', host)) as { records: { exchange: string }[] }).records.map((x) => x.exchange) : []);
      for (const h of hosts.slice(0, 10)) {
        const r = await dns.query(fam === 4 ? 'A' : 'AAAA', h);
        if (r.ok && r.records.some((a) => ipInCidr(ip, prefix !== undefined ? `${a}/${prefix}` : a))) match = true;
      }
    } else if (m === 'include') {
      const child = node.children.find((c) => c.domain === t.value!.replace(/\.$/, '').toLowerCase());
      if (!child || child.loop) return undefined;
      const sub = await decidingChain(dns, child, ip, depth + 1);
      if (sub === undefined) return undefined;
      const first = child.terms.find((x) => x.term === sub[0]);
      // include matches only when the included record passes (RFC 7208 §5.2)
      if (sub.length && (first?.qualifier ?? '+') === '+') return [t.term, ...sub];
      continue;
    }
    if (match) return [t.term];
  }
  const redirect = node.terms.find((t) => t.mechanism === 'redirect');
  if (redirect && !(redirect.value ?? '').includes('%')) {
    const child = node.children.find((c) => c.domain === redirect.value!.replace(/\.$/, '').toLowerCase());
    const sub = child && !child.loop ? await decidingChain(dns, child, ip, depth + 1) : undefined;
    return sub ? [redirect.term, ...sub] : undefined;
  }
  return [];
}

export async function auditSpf(dns: Resolver, domain: string, ips: string[], helo?: string): Promise<SpfFacts> {
  const state: WalkState = { nodes: 0, voids: [], loops: [], mxOverLimit: [] };
  const tree = await walk(dns, domain, [domain], state);
  const syntaxErrors = collectErrors(tree, []);
  const facts: SpfFacts = {
    domain,
    records: tree.records,
    lookupError: tree.error,
    tree,
    totalLookups: sumLookups(tree),
    voidLookups: state.voids,
    loops: state.loops,
    ...(state.mxOverLimit.length ? { mxOverLimit: state.mxOverLimit } : {}),
    syntaxErrors,
    all: effectiveAll(tree),
    evaluations: [],
  };
  facts.evaluations = await Promise.all(ips.map(async (ip) => {
    const e = await evaluateSpf(dns, { domain, ip, helo, topLevelErrors: tree.records.length === 1 ? tree.syntaxErrors : [] });
    if (['pass', 'fail', 'softfail', 'neutral'].includes(e.result)) {
      const chain = await decidingChain(dns, tree, ip);
      if (chain) e.decidedBy = chain.length ? chain.join(' → ') : '(no term matched: default neutral)';
    }
    return e;
  }));
  return facts;
}
