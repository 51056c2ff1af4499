// What every part of explain's reading shares: the redaction of credentials a pasted log carries, the one-line form
// an item's words are kept in, and how a reply read from pasted text is classified (the shared classifier,
// rules/reply-classifier.ts, asked as a remote verdict or a submission reply).
import { classifyReply, type ReplyClassification, type ReplyLike } from '../rules/reply-classifier.js';

/** Evidence echoes the user's own lines: credentials that logs carry (URL passwords, AUTH payloads, pass=…) are
 * replaced before anything is stored or printed. */
export function redactSecrets(s: string): string {
  return s
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[secret]@')
    .replace(/\b(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5))\s+\S+/gi, '$1 [secret]')
    .replace(/\b((?:pass(?:word)?|passwd|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1[secret]');
}

/** An item's words as kept: one line, no credentials, at most 300 characters. */
export const oneLine = (s: string) => redactSecrets(s.replace(/\s+/g, ' ').trim()).slice(0, 300);

const AUTHISH = new Set(['auth.credentials-rejected', 'auth.app-password-required', 'auth.web-login-required', 'auth.encryption-required', 'auth.mechanism-unsupported', 'auth.required', 'auth.temporary-failure', 'auth.too-many-attempts', 'auth.smtp-auth-disabled', 'auth.oauth-required']);

/** One reply (code, enhanced code, words) as explain sees it: a remote server's verdict, or a submission reply. */
export function classifyExplained(reply: ReplyLike, fromBounce: boolean): ReplyClassification | undefined {
  const asBounce = classifyReply(reply, 'bounce');
  if (fromBounce) return asBounce;
  // Pasted text may be a submission server's reply (AUTH, MAIL FROM, RCPT TO) or a relayed verdict: the words decide
  // first, a submission server's "log in first" before a relayed meaning; with codes only, the authentication
  // meanings of 530/534/535/538 win.
  const asAny = classifyReply(reply, 'any');
  if (asAny?.basis === 'text' && (AUTHISH.has(asAny.code) || asAny.code === 'envelope.relay-denied')) return asAny;
  if (asBounce?.basis === 'text') return asBounce;
  if (asAny?.basis === 'text') return asAny;
  if (asAny && AUTHISH.has(asAny.code)) return asAny;
  return asBounce ?? asAny;
}
