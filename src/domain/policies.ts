// Transport-security and brand records of a domain: MTA-STS (RFC 8461: TXT at _mta-sts and the HTTPS policy),
// SMTP TLS reporting (RFC 8460: TXT at _smtp._tls) and BIMI (TXT at default._bimi). The policy host is reached
// through our resolver; tests map it to a local HTTPS server (hostMap) and trust a test CA (ca).
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { DnsResolver } from '../net/resolver.js';
import { isNoData, lookupText } from './dns.js';
import { parseTagList } from './dkim.js';
import type { MtaStsFacts, TxtPolicyFacts } from './types.js';

export interface PolicyFetchOptions {
  /** "host" → "ip:port": where to connect for a policy host instead of DNS + 443 (tests, split-horizon setups). */
  hostMap?: Record<string, string>;
  ca?: string[];
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

async function fetchPolicy(dns: DnsResolver, host: string, opts: PolicyFetchOptions): Promise<{ body?: string; error?: string }> {
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
  return new Promise((resolve) => {
    const req = https.get({
      host: address, port, servername: host, path: '/.well-known/mta-sts.txt',
      headers: { host, 'user-agent': 'sendcheck' },
      ca: opts.ca?.length ? [...rootCertificates, ...opts.ca] : undefined,
      timeout: opts.timeoutMs, agent: false,
    }, (res) => {
      if (res.statusCode !== 200) { res.resume(); resolve({ error: `HTTP ${res.statusCode} from https://${host}/.well-known/mta-sts.txt` }); return; }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; if (body.length > POLICY_LIMIT) { req.destroy(); resolve({ error: 'policy larger than 64 KiB' }); } });
      res.on('end', () => resolve({ body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ error: `no answer from ${host}:${port} within ${opts.timeoutMs} ms` }); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `${e.code ?? ''} ${e.message}`.trim() }));
  });
}

export async function auditMtaSts(dns: DnsResolver, domain: string, mxHosts: string[], opts: PolicyFetchOptions): Promise<MtaStsFacts | undefined> {
  const txt = await lookupText(dns, 'TXT', `_mta-sts.${domain}`);
  const recs = txt.records.filter((t) => /^v=STSv1/i.test(t));
  if (!recs.length) return txt.error && !isNoData(txt.error) ? { txt: [], txtError: txt.error, mxNotCovered: [] } : undefined;
  const host = `mta-sts.${domain}`;
  const facts: MtaStsFacts = { txt: recs, policyUrl: `https://${host}/.well-known/mta-sts.txt`, mxNotCovered: [] };
  const got = await fetchPolicy(dns, host, opts);
  if (got.error) { facts.fetchError = got.error; return facts; }
  facts.policy = parseMtaStsPolicy(got.body!);
  if (facts.policy.mode === 'enforce' || facts.policy.mode === 'testing') {
    facts.mxNotCovered = mxHosts.filter((h) => !facts.policy!.mx.some((p) => mxMatches(p, h)));
  }
  return facts;
}

export async function auditTlsRpt(dns: DnsResolver, domain: string): Promise<TxtPolicyFacts | undefined> {
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

export async function auditBimi(dns: DnsResolver, domain: string): Promise<TxtPolicyFacts | undefined> {
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
