// Client configuration warnings that are not the session's stopping point: a password sent in clear.
import { makeFinding } from '../findings/make.js';
import { endpoint } from './evidence.js';
import { defineRule } from './types.js';

export const plaintextCredentialsRule = defineRule({
  name: 'plaintext-credentials',
  run(facts, target) {
    const s = facts.session;
    if (!s || target.security !== 'none' || !target.credentials?.password || !s.ehlo?.authMechanisms.length) return [];
    return [makeFinding('auth.plaintext-credentials', { evidence: [{ text: `AUTH ${s.ehlo.authMechanisms.join(' ')} offered on an unencrypted connection`, where: endpoint(s.address, s.port) }] })];
  },
});
