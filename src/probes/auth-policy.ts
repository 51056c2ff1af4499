// When a secret may go out: the one decision every login step asks (SMTP here; the round trip's IMAP and POP3 logins
// never run without TLS and verify certificates in the TLS layer, see src/roundtrip/options.ts). A password is sent
// only over TLS whose certificate validated: an interception proxy or an impostor presents exactly such a
// certificate, and anyone on the path reads a password sent without TLS.
import type { CertProblem } from '../facts/types.js';

export type AuthRefusal = 'no-tls' | 'certificate-invalid';

export interface AuthChannel {
  /** TLS is up on this connection. */
  encrypted: boolean;
  /** What was wrong with the certificate (empty when it validated). */
  certificateProblems: CertProblem[];
  /** The server offers AUTH here (without an offer nothing would be sent anyway). */
  authOffered: boolean;
  /** The user's documented opt-in (--allow-plaintext-auth) to send it without TLS. */
  allowPlaintext?: boolean;
}

/** Why the secret must not be sent on this connection, or undefined when it may. */
export function authRefusal(c: AuthChannel): { reason: AuthRefusal; message: string } | undefined {
  if (c.encrypted && c.certificateProblems.length) {
    return { reason: 'certificate-invalid', message: `login not attempted: the certificate did not validate (${c.certificateProblems.join(', ')})` };
  }
  if (!c.encrypted && c.authOffered && !c.allowPlaintext) {
    return { reason: 'no-tls', message: 'login not attempted: the connection is not encrypted, and the password would travel readable (--allow-plaintext-auth sends it anyway)' };
  }
  return undefined;
}
