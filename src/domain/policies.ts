// Transport-security and brand records of a domain: MTA-STS (RFC 8461: TXT at _mta-sts and the HTTPS policy),
// SMTP TLS reporting (RFC 8460: TXT at _smtp._tls) and BIMI (TXT at default._bimi). The policy host is reached
// through our resolver and fetched through the run's I/O seam (its trust store: tests trust a test CA); tests map it
// to a local HTTPS server (hostMap).
import type { HttpsGetError } from '../net/https.js';
import type { RunIo } from '../net/io.js';
import type { Resolver } from '../net/resolver.js';
import { isNoData, lookupText } from './dns.js';
import { parseTagList } from './dkim.js';
import type { DaneFacts, MtaStsFacts, TxtPolicyFacts } from '../facts/domain.js';

export interface PolicyFetchOptions {
  /** "host" → "ip:port": where to connect for a policy host instead of DNS + 443 (tests, split-horizon setups). */
  hostMap?: Record<string, string>;
  timeoutMs: number;
}

const POLICY_LIMIT = 64 * 1024; // RFC 8461 §3.3: policies are small; refuse anything larger

export function parseMtaStsPolicy(raw: string): NonNullable<MtaStsFacts['policy']> {
  const errors: string[] = [];
  const mx: string[] = [];
  const fields: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = /^([A-Za-z0-9_]+):\s*(.*?)\s*$/.exec(line);
    if (!m) { errors.push(`bad line "${line.slice(0, 60)}"`); continue; }
    if (m[1] === 'mx') mx.push(m[2]!.toLowerCase());
    else fields[m[1]!] = m[2]!;
  }
  if (fields.version !== 'STSv1') errors.push(`version is "${fields.version ?? ''}" (must be STSv1)`);
  if (!['enforce', 'testing', 'none'].includes(fields.mode ?? '')) errors.push(`mode is "${fields.mode ?? ''}" (must be enforce, testing or none)`);
  if (!/^\d{1,9}$/.test(fields.max_age ?? '')) errors.push('max_age missing or not a number');
  if (fields.mode !== 'none' && !mx.length) errors.push('no mx: lines');
  return { raw, version: fields.version, mode: fields.mode, mx, maxAge: fields.max_age ? Number(fields.max_age) : undefined, errors };
}

export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    return h.endsWith(`.${rest}`) && h.slice(0, -rest.length - 1).indexOf('.') < 0;
  }
  return p === h;
}

async function fetchPolicy(dns: Resolver, io: Pick<RunIo, 'https'>, host: string, opts: PolicyFetchOptions): Promise<{ body?: string; error?: string }> {
  const mapped = opts.hostMap?.[host];
  let address: string | undefined;
  let port = 443;
  if (mapped) {
    const m = /^(.*):(\d+)$/.exec(mapped);
    address = (m ? m[1]! : mapped).replace(/^\[|\]$/g, '');
    if (m) port = Number(m[2]);
  } else {
    const a = await dns.query('A', host);
    const aaaa = a.ok ? undefined : await dns.query('AAAA', host);
    address = a.ok ? a.records[0] : aaaa?.ok ? aaaa.records[0] : undefined;
    if (!address) return { error: `${host} has no address (${a.ok ? '' : a.error})` };
  }
  const url = `https://${host}/.well-known/mta-sts.txt`;
  try {
    const r = await io.https({
      address, port, servername: host, path: '/.well-known/mta-sts.txt', userAgent: 'sendcheck',
      timeoutMs: opts.timeoutMs, deadlineMs: opts.timeoutMs * 2, maxBytes: POLICY_LIMIT,
    });
    return r.status === 200 ? { body: r.body } : { error: `HTTP ${r.status} from ${url}` };
  } catch (e) {
    const err = e as HttpsGetError;
    switch (err.kind) {
      case 'deadline': return { error: `policy fetch from ${host} took longer than ${opts.timeoutMs * 2} ms` };
      case 'timeout': return { error: `no answer from ${host}:${port} within ${opts.timeoutMs} ms` };
      case 'too-large': return { error: 'policy larger than 64 KiB' };
      default: return { error: `${err.code ?? ''} ${err.message}`.trim() };
    }
  }
}

export async function auditMtaSts(dns: Resolver, io: Pick<RunIo, 'https'>, domain: string, mxHosts: string[], opts: PolicyFetchOptions): Promise<MtaStsFacts | undefined> {
  const txt = await lookupText(dns, 'TXT', `_mta-sts.${domain}`);
  const recs = txt.records.filter((t) => /^v=STSv1/i.test(t));
  if (!recs.length) return txt.error && !isNoData(txt.error) ? { txt: [], txtError: txt.error, mxNotCovered: [] } : undefined;
  const host = `mta-sts.${domain}`;
  const facts: MtaStsFacts = { txt: recs, policyUrl: `https://${host}/.well-known/mta-sts.txt`, mxNotCovered: [] };
  const got = await fetchPolicy(dns, io, host, opts);
  if (got.error) { facts.fetchError = got.error; return facts; }
  facts.policy = parseMtaStsPolicy(got.body!);
  if (facts.policy.mode === 'enforce' || facts.policy.mode === 'testing') {
    facts.mxNotCovered = mxHosts.filter((h) => !facts.policy!.mx.some((p) => mxMatches(p, h)));
  }
  return facts;
}

export async function auditTlsRpt(dns: Resolver, domain: string): Promise<TxtPolicyFacts | undefined> {
  const name = `_smtp._tls.${domain}`;
  const r = await lookupText(dns, 'TXT', name);
  const recs = r.records.filter((t) => /^v=TLSRPTv1/i.test(t));
  if (!recs.length) return undefined;
  const errors: string[] = [];
  if (recs.length > 1) errors.push(`${recs.length} TLSRPT records (must be one)`);
  const { tags } = parseTagList(recs[0]!);
  if (!tags.rua) errors.push('no rua= (where reports go)');
  else for (const u of tags.rua.split(',')) if (!/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u.trim())) errors.push(`rua "${u.trim()}" is not a mailto: or https: URI`);
  return { name, records: recs, syntaxErrors: errors };
}

export async function auditBimi(dns: Resolver, domain: string): Promise<TxtPolicyFacts | undefined> {
  const name = `default._bimi.${domain}`;
  const r = await lookupText(dns, 'TXT', name);
  const recs = r.records.filter((t) => /^v=BIMI1/i.test(t));
  if (!recs.length) return undefined;
  const errors: string[] = [];
  const { tags } = parseTagList(recs[0]!);
  if (tags.v !== 'BIMI1') errors.push('v= must be BIMI1');
  if (tags.l === undefined) errors.push('no l= tag (the logo location)');
  else if (tags.l && !/^https:\/\/\S+\.svg$/i.test(tags.l)) errors.push(`l=${tags.l} is not an https: URL of an SVG file`);
  if (tags.a && !/^https:\/\/\S+\.pem$/i.test(tags.a)) errors.push(`a=${tags.a} is not an https: URL of a PEM certificate (VMC)`);
  return { name, records: recs, syntaxErrors: errors };
}

/** RFC 6698 §2.1 / RFC 7672 §3.1: the parameters a TLSA record must have to be usable for SMTP. */
export function tlsaProblems(r: { usage: number; selector: number; mtype: number; data: string }): string[] {
  const p: string[] = [];
  if (r.usage > 3) p.push(`certificate usage ${r.usage} is not 0-3`);
  else if (r.usage < 2) p.push(`certificate usage ${r.usage} (PKIX-TA/PKIX-EE) is not used for SMTP (RFC 7672 §3.1.3): use 3 (DANE-EE) or 2 (DANE-TA)`);
  if (r.selector > 1) p.push(`selector ${r.selector} is not 0 or 1`);
  if (r.mtype > 2) p.push(`matching type ${r.mtype} is not 0-2`);
  const want = r.mtype === 1 ? 64 : r.mtype === 2 ? 128 : undefined;
  if (want && r.data.length !== want) p.push(`matching type ${r.mtype} needs a ${want / 2}-byte digest, got ${r.data.length / 2} bytes`);
  return p;
}

export async function auditDane(dns: Resolver, mxHosts: string[]): Promise<DaneFacts[]> {
  const out = await Promise.all(mxHosts.slice(0, 10).map(async (mx): Promise<DaneFacts | undefined> => {
    const name = `_25._tcp.${mx}`;
    const r = await dns.query('TLSA', name);
    if (!r.ok) return isNoData(r.error) ? undefined : { name, mx, records: [], error: r.error, problems: [] };
    return { name, mx, records: r.records, authenticated: r.authenticated, problems: r.records.flatMap(tlsaProblems) };
  }));
  return out.filter((x): x is DaneFacts => !!x);
}
