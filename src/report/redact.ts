// Defence in depth: a hostile or broken server can echo what we sent ("535 bad password 'hunter2'"), and its words
// land in evidence, transcripts and facts. Before a report leaves the engine, every string in it is scrubbed of the
// run's secrets in every form they took on the wire (raw, base64, SASL PLAIN / XOAUTH2 / OAUTHBEARER payloads).
import type { Credentials } from '../input/target.js';

export const SCRUBBED = '[secret]';

/** The forms a credential takes on the wire. Secrets shorter than 4 characters are not scrubbed: replacing every
 * "a" in a report would destroy it, and such a password is named as weak elsewhere. */
export function secretForms(c: Credentials | undefined): string[] {
  if (!c) return [];
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const out: string[] = [];
  const pw = c.password?.reveal();
  if (pw && pw.length >= 4) out.push(pw, b64(pw), b64(`\0${c.user}\0${pw}`), b64(`${c.user}\0${c.user}\0${pw}`));
  const tok = c.oauthToken?.reveal();
  if (tok && tok.length >= 4) out.push(tok, b64(tok), b64(`user=${c.user}\x01auth=Bearer ${tok}\x01\x01`), b64(`n,a=${c.user},\x01auth=Bearer ${tok}\x01\x01`));
  // Longest first, so that a form containing another is replaced whole.
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

/** Replaces every secret form in every string of a JSON-like value, in place; returns how many were replaced. */
export function scrubSecrets(value: unknown, forms: string[]): number {
  if (!forms.length) return 0;
  let count = 0;
  const scrub = (s: string) => {
    let out = s;
    for (const f of forms) {
      if (out.includes(f)) {
        count += out.split(f).length - 1;
        out = out.split(f).join(SCRUBBED);
      }
    }
    return out;
  };
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (!v || typeof v !== 'object' || seen.has(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
    } else {
      for (const k of Object.keys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        if (d?.writable) (v as Record<string, unknown>)[k] = walk((v as Record<string, unknown>)[k]);
      }
    }
    return v;
  };
  walk(value);
  return count;
}
