// auth: exactly one authentication attempt per run (a second wrong try can lock the account), with the best
// mechanism the server offers and the user allows. Secrets are sent through secretCommand(), so the transcript
// holds a redaction marker, never the payload (an AUTH payload is just base64 of the password).
import { createHmac } from 'node:crypto';
import type { AuthFact, AuthMechanism } from '../facts/types.js';
import type { SmtpConnection } from '../net/smtp-connection.js';
import type { Clock } from '../net/io.js';
import type { Credentials } from '../input/target.js';

const PASSWORD_PREFERENCE: AuthMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
const PASSWORD_PREFERENCE_CLEARTEXT: AuthMechanism[] = ['CRAM-MD5', 'PLAIN', 'LOGIN'];
const OAUTH_PREFERENCE: AuthMechanism[] = ['XOAUTH2', 'OAUTHBEARER'];

export function chooseMechanism(
  offered: string[],
  allowed: AuthMechanism[],
  creds: Credentials,
  encrypted: boolean,
): AuthMechanism | undefined {
  const pref = creds.oauthToken ? OAUTH_PREFERENCE : encrypted ? PASSWORD_PREFERENCE : PASSWORD_PREFERENCE_CLEARTEXT;
  return pref.find((m) => offered.includes(m) && (allowed.length === 0 || allowed.includes(m)));
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export async function authenticate(
  conn: SmtpConnection,
  creds: Credentials,
  offered: string[],
  allowed: AuthMechanism[],
  encrypted: boolean,
  clock: Pick<Clock, 'monotonic'>,
): Promise<AuthFact & { notAttempted?: 'auth-not-offered' | 'no-common-mechanism' }> {
  const t0 = clock.monotonic();
  const ms = () => Math.round(clock.monotonic() - t0);
  const base = { kind: 'auth' as const, offered };
  if (!offered.length) return { ...base, attempted: false, accepted: false, notAttempted: 'auth-not-offered', ms: 0 };
  const mechanism = chooseMechanism(offered, allowed, creds, encrypted);
  if (!mechanism) return { ...base, attempted: false, accepted: false, notAttempted: 'no-common-mechanism', ms: 0 };
  const user = creds.user;
  let reply;
  switch (mechanism) {
    case 'PLAIN': {
      const pass = creds.password?.reveal() ?? '';
      reply = await conn.secretCommand(`AUTH PLAIN ${b64(`\0${user}\0${pass}`)}`, 'AUTH PLAIN');
      break;
    }
    case 'LOGIN': {
      reply = await conn.command('AUTH LOGIN');
      if (reply.code === 334) reply = await conn.command(b64(user));
      if (reply.code === 334) reply = await conn.secretCommand(b64(creds.password?.reveal() ?? ''), '');
      break;
    }
    case 'CRAM-MD5': {
      reply = await conn.command('AUTH CRAM-MD5');
      if (reply.code === 334) {
        const challenge = Buffer.from(reply.text.trim(), 'base64').toString('utf8');
        const digest = createHmac('md5', creds.password?.reveal() ?? '').update(challenge).digest('hex');
        reply = await conn.secretCommand(b64(`${user} ${digest}`), '');
      }
      break;
    }
    case 'XOAUTH2': {
      const token = creds.oauthToken?.reveal() ?? '';
      reply = await conn.secretCommand(`AUTH XOAUTH2 ${b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`)}`, 'AUTH XOAUTH2');
      // On failure the server sends a 334 with a JSON error; the client answers with an empty line (RFC 7628 3.2.3).
      if (reply.code === 334) reply = await conn.command('');
      break;
    }
    case 'OAUTHBEARER': {
      const token = creds.oauthToken?.reveal() ?? '';
      reply = await conn.secretCommand(`AUTH OAUTHBEARER ${b64(`n,a=${user},\x01auth=Bearer ${token}\x01\x01`)}`, 'AUTH OAUTHBEARER');
      if (reply.code === 334) reply = await conn.command('AQ==');
      break;
    }
  }
  return { ...base, mechanism, attempted: true, accepted: reply.code === 235, reply, ms: ms() };
}
