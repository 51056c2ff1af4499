// The server as an admin looks at it (what `msmtp --serverinfo` and `openssl s_client` show): the certificate, the
// TLS session and the EHLO capabilities with their meaning, from the facts of the conversation that reached TLS.
// Pure: facts in, lines out; the terminal renders them, --json carries the facts themselves (facts.session.tls,
// facts.session.ehlo / ehloAfterTls, or the sweep's facts.speaks[]).
import type { Facts } from '../facts/index.js';
import type { EhloFact, TlsFact } from '../facts/types.js';
import { localTime, relative } from './when.js';

export interface ServerInfo {
  /** Where these were seen: "127.0.0.1:587". */
  endpoint: string;
  tls: TlsFact;
  /** EHLO before TLS (STARTTLS ports only) and after it. */
  ehloBefore?: EhloFact;
  ehloAfter?: EhloFact;
}

/** The conversation that reached TLS: the configured session first, else the sweep on the configured port, else any. */
export function serverInfo(facts: Facts, port?: number): ServerInfo | undefined {
  const s = facts.session;
  if (s?.tls?.ok) {
    const before = s.security === 'starttls' ? s.ehlo : undefined;
    const after = s.security === 'starttls' ? s.ehloAfterTls : s.ehlo;
    return { endpoint: `${s.address}:${s.port}`, tls: s.tls, ehloBefore: before, ehloAfter: after };
  }
  const speaks = facts.speaks.filter((x) => x.tls?.ok);
  const sp = speaks.find((x) => x.port === port) ?? speaks[0];
  if (!sp) return undefined;
  const implicit = sp.tls!.mode === 'implicit-tls';
  return { endpoint: `${sp.address}:${sp.port}`, tls: sp.tls!, ehloBefore: implicit ? undefined : sp.ehlo, ehloAfter: implicit ? sp.ehlo : sp.ehloAfterTls };
}

const MEANING: Record<string, string> = {
  PIPELINING: 'commands in batches (PIPELINING)',
  '8BITMIME': '8-bit bodies (8BITMIME)',
  SMTPUTF8: 'international addresses (SMTPUTF8)',
  CHUNKING: 'BDAT chunks (CHUNKING)',
  BINARYMIME: 'binary bodies (BINARYMIME)',
  DSN: 'delivery notifications (DSN)',
  ENHANCEDSTATUSCODES: 'enhanced status codes',
  REQUIRETLS: 'REQUIRETLS',
  DELIVERBY: 'DELIVERBY',
};

/** "50 MB" (decimal megabytes, as providers state limits), or "no limit stated" for SIZE 0. */
function megabytes(bytes: number): string {
  if (bytes === 0) return 'no limit stated';
  const mb = bytes / 1_000_000;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** The capabilities with their meaning; AUTH and STARTTLS are shown on their own line. */
export function capabilityWords(ehlo: EhloFact): string[] {
  const out: string[] = [];
  if (ehlo.size !== undefined) out.push(`messages up to ${megabytes(ehlo.size)} (SIZE)`);
  for (const k of ehlo.keywords) {
    const word = k.split(/[ =]/)[0]!;
    if (word === 'SIZE' || word === 'AUTH' || word === 'STARTTLS' || word === 'HELP') continue;
    const meaning = MEANING[word];
    if (meaning && !out.includes(meaning)) out.push(meaning);
  }
  return out;
}

/** "PLAIN LOGIN after TLS; none before (login only over TLS)". */
export function authWords(info: ServerInfo): string {
  const after = info.ehloAfter?.authMechanisms ?? [];
  const afterText = after.length ? after.join(' ') : 'none offered';
  if (!info.ehloBefore) return afterText;
  const before = info.ehloBefore.authMechanisms;
  return `${afterText} after STARTTLS; ${before.length ? `${before.join(' ')} before it (the password could travel unencrypted)` : 'none before it (login only over TLS)'}`;
}

export interface CertificateLines {
  subject: string;
  names: string;
  issuer: string;
  validity: string;
  fingerprint: string;
  chain: string;
}

/** The leaf certificate in a few words, dates local and relative to the run's start. */
export function certificateLines(tls: TlsFact, startedAt: string): CertificateLines | undefined {
  const leaf = tls.chain[0];
  if (!leaf) return undefined;
  const expired = Date.parse(leaf.validTo) < Date.parse(startedAt);
  const notYet = Date.parse(leaf.validFrom) > Date.parse(startedAt);
  const validity = notYet
    ? `not valid before ${localTime(leaf.validFrom)} (${relative(leaf.validFrom, startedAt)})`
    : `${expired ? 'expired' : 'valid until'} ${localTime(leaf.validTo)} (${expired ? relative(leaf.validTo, startedAt) : `expires ${relative(leaf.validTo, startedAt)}`})`;
  const n = tls.chain.length;
  const trust = tls.trusted ? 'trusted' : `not trusted${tls.authorizationError ? ` (${tls.authorizationError})` : ''}`;
  return {
    subject: leaf.subjectCN ?? leaf.subject,
    names: leaf.sans.length ? leaf.sans.map((s) => s.replace(/^DNS:/, '')).join(', ') : 'no subject alternative names',
    issuer: leaf.selfIssued ? 'itself (self-signed)' : (leaf.issuerCN ?? leaf.issuer),
    validity,
    fingerprint: leaf.fingerprint256,
    chain: `${n} certificate${n === 1 ? '' : 's'}, ${trust}${tls.hostnameMatch === false ? `, does not name ${tls.servername}` : ''}`,
  };
}
