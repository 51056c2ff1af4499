// TLS hop: certificate problems on the configured connection (the handshake worked, but a client that checks
// certificates, as every mail client does, would refuse it) and protocol warnings.
import { makeFinding } from '../findings/make.js';
import type { Finding } from '../findings/types.js';
import { endpoint } from './evidence.js';
import { defineRule } from './types.js';

const EXPIRY_WARNING_DAYS = 14;

export const certificateRule = defineRule({
  name: 'certificates',
  run(facts, target) {
    const t = facts.session?.tls;
    if (!t?.ok) return [];
    const out: Finding[] = [];
    const leaf = t.chain[0];
    const where = endpoint(t.address, t.port);
    const certNames = leaf ? [...leaf.sans, ...(leaf.subjectCN ? [`CN=${leaf.subjectCN}`] : [])].join(', ') : '(none)';
    const leafEv = leaf ? [{ text: `certificate: subject ${leaf.subject}; issuer ${leaf.issuer}; valid ${leaf.validFrom} → ${leaf.validTo}; names ${certNames}`, where }] : [];
    const withheld = facts.session?.auth?.notAttempted === 'certificate-invalid'
      ? [{ text: `the login was not attempted: sendcheck does not send a password to a server whose certificate does not validate${t.problems.some((p) => p === 'untrusted' || p === 'self-signed') ? ' (if the issuer is a private CA you trust: --ca FILE)' : ''}`, where }]
      : [];
    const authEv = [...(t.authorizationError ? [{ text: `verification: ${t.authorizationError}`, where }] : []), ...withheld];
    for (const p of t.problems) {
      switch (p) {
        case 'expired':
          out.push(makeFinding('tls.certificate-expired', { evidence: [...leafEv, ...authEv], vars: { validTo: leaf?.validTo } }));
          break;
        case 'not-yet-valid':
          out.push(makeFinding('tls.certificate-not-yet-valid', { evidence: [...leafEv, ...authEv] }));
          break;
        case 'self-signed':
          out.push(makeFinding('tls.certificate-self-signed', { evidence: [...leafEv, ...authEv] }));
          break;
        case 'untrusted':
          out.push(makeFinding('tls.certificate-untrusted', { evidence: [...leafEv, ...authEv] }));
          break;
        case 'hostname-mismatch': {
          const dns = leaf?.sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)).filter((n) => !n.startsWith('*')) ?? [];
          out.push(makeFinding('tls.hostname-mismatch', {
            evidence: [{ text: `configured host ${target.host} is not among the certificate's names: ${certNames}`, where }, ...withheld],
            vars: { host: target.host, certNames, suggestedHost: dns[0] ?? leaf?.subjectCN ?? 'the name on the certificate' },
          }));
          break;
        }
      }
    }
    if (!t.problems.includes('expired') && t.daysToExpiry !== undefined && t.daysToExpiry < EXPIRY_WARNING_DAYS) {
      out.push(makeFinding('tls.certificate-expiring-soon', { evidence: leafEv, vars: { days: t.daysToExpiry, validTo: leaf?.validTo } }));
    }
    return out;
  },
});
