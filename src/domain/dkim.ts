// DKIM key records (RFC 6376 §3.6.1): found at SELECTOR._domainkey.DOMAIN, their syntax, key type and size,
// revocation (empty p=) and testing mode (t=y). Selectors come from --selector, a message's DKIM-Signature, or a
// short list of names that common providers and MTAs use.
import { createPublicKey } from 'node:crypto';
import type { Resolver } from '../net/resolver.js';
import { isNoData, lookupText } from './dns.js';
import type { DkimKeyFacts } from '../facts/domain.js';

/** Selector names used by widely deployed services and MTAs (Microsoft 365, Google, Mailchimp, rspamd, …). */
export const COMMON_SELECTORS = ['default', 'selector1', 'selector2', 'google', 'k1', 'k2', 's1', 's2', 'dkim', 'mail', 'smtp', 'mx', 'key1', 'sig1', 'mandrill', 'everlytickey1', 'zoho', 'protonmail', 'fm1', 'mxvault'];

export function parseTagList(record: string): { tags: Record<string, string>; errors: string[] } {
  const tags: Record<string, string> = {};
  const errors: string[] = [];
  for (const part of record.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0) { errors.push(`"${p}" is not a tag=value pair`); continue; }
    const k = p.slice(0, eq).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(k)) { errors.push(`bad tag name "${k}"`); continue; }
    if (k in tags) errors.push(`tag ${k}= appears twice`);
    tags[k] = p.slice(eq + 1).replace(/\s+/g, (m) => (k === 'p' ? '' : m)).trim();
  }
  return { tags, errors };
}

export function analyzeKeyRecord(record: string): Pick<DkimKeyFacts, 'tags' | 'keyType' | 'bits' | 'revoked' | 'testing' | 'syntaxErrors'> {
  const { tags, errors } = parseTagList(record);
  if (tags.v !== undefined && tags.v !== 'DKIM1') errors.push(`v=${tags.v} (must be DKIM1)`);
  if (!('p' in tags)) errors.push('no p= tag (the public key)');
  const keyType = (tags.k ?? 'rsa').toLowerCase();
  if (keyType !== 'rsa' && keyType !== 'ed25519') errors.push(`unsupported key type k=${keyType}`);
  const flags = (tags.t ?? '').split(':').map((f) => f.trim().toLowerCase());
  const revoked = 'p' in tags && tags.p === '';
  let bits: number | undefined;
  if (tags.p) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(tags.p)) errors.push('p= is not base64');
    else if (keyType === 'rsa') {
      try {
        const key = createPublicKey({ key: Buffer.from(tags.p, 'base64'), format: 'der', type: 'spki' });
        bits = key.asymmetricKeyDetails?.modulusLength;
      } catch {
        try {
          const key = createPublicKey({ key: Buffer.from(tags.p, 'base64'), format: 'der', type: 'pkcs1' });
          bits = key.asymmetricKeyDetails?.modulusLength;
        } catch {
          errors.push('p= does not hold a usable RSA public key');
        }
      }
    } else if (keyType === 'ed25519') {
      if (Buffer.from(tags.p, 'base64').length !== 32) errors.push('p= is not a 32-byte Ed25519 key');
      else bits = 256;
    }
  }
  return { tags, keyType, bits, revoked, testing: flags.includes('y'), syntaxErrors: errors };
}

export async function lookupDkimKey(dns: Resolver, domain: string, selector: string, source: DkimKeyFacts['source']): Promise<DkimKeyFacts> {
  const name = `${selector}._domainkey.${domain}`;
  const r = await lookupText(dns, 'TXT', name);
  // A key record may lack v=; take the one that looks like a key (k=, p=) if several TXT strings exist.
  const rec = r.records.find((t) => /(^|;)\s*(v=DKIM1|p=|k=)/i.test(t));
  if (!rec) return { selector, name, source, found: false, error: r.error && !isNoData(r.error) ? r.error : undefined, syntaxErrors: [] };
  return { selector, name, source, found: true, record: rec, ...analyzeKeyRecord(rec) };
}

/** Selectors named in a message's DKIM-Signature headers for `domain` (d= matches or is a subdomain). */
export function selectorsFromMessage(message: string): { domain: string; selector: string }[] {
  const headerEnd = message.search(/\r?\n\r?\n/);
  const head = (headerEnd < 0 ? message : message.slice(0, headerEnd)).replace(/\r?\n[ \t]+/g, ' ');
  const out: { domain: string; selector: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (!/^dkim-signature:/i.test(line)) continue;
    const { tags } = parseTagList(line.slice(line.indexOf(':') + 1));
    if (tags.d && tags.s) out.push({ domain: tags.d.toLowerCase(), selector: tags.s });
  }
  return out;
}
