// Client configuration problems that are not the session's stopping point: credentials without TLS.
import { makeFinding } from '../findings/make.js';
import { endpoint } from './evidence.js';
import { defineRule } from './types.js';

export const plaintextCredentialsRule = defineRule({
  name: 'plaintext-credentials',
  run(facts, target) {
    const s = facts.session;
    const creds = target.credentials;
    if (!s || target.security !== 'none' || !(creds?.password || creds?.oauthToken) || !s.ehlo?.authMechanisms.length) return [];
    const where = endpoint(s.address, s.port);
    const offered = { text: `AUTH ${s.ehlo.authMechanisms.join(' ')} offered on an unencrypted connection`, where };
    // The default: nothing was sent (src/probes/auth-policy.ts); say what a client configured so would expose.
    if (s.auth?.notAttempted === 'no-tls') {
      return [makeFinding('auth.offered-without-tls', { evidence: [offered, { text: `not sent: the ${creds.oauthToken ? 'OAuth token' : 'password'} of ${creds.user} (a client configured so sends it readable on every connection)` }] })];
    }
    if (!s.auth?.attempted) return [];
    return [makeFinding('auth.plaintext-credentials', { evidence: [offered, { text: 'sent without TLS because --allow-plaintext-auth was given' }] })];
  },
});
