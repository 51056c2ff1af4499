// The SMTP-path rules on small fact fixtures: no server, no network, no root. The scripted and lab tests check that
// real conversations produce these facts; these check what the judge makes of them.
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../src/facts/index.js';
import type { ConnectFact, SessionFact, SmtpReply } from '../../src/facts/types.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { judgeCheck } from '../../src/rules/judge.js';

const target = { ...buildTarget({ host: 'smtp.example.test', port: 587, security: 'starttls', user: 'me@example.test', password: 'a-long-password' }), host: 'smtp.example.test' } as Target;
const ADDR = '192.0.2.25';

function reply(code: number, text: string): SmtpReply {
  return { code, text, lines: [`${code} ${text}`] };
}

function connect(port: number, outcome: ConnectFact['outcome']): ConnectFact {
  return { kind: 'connect', address: ADDR, family: 4, port, outcome, ms: outcome === 'filtered' ? 5000 : 1 };
}

function session(over: Partial<SessionFact>): SessionFact {
  return { kind: 'session', address: ADDR, port: 587, security: 'starttls', steps: [], ms: 10, ...over };
}

const codes = (facts: Facts) => judgeCheck(facts, target).map((f) => f.code);

describe('SMTP-path rules on fact fixtures', () => {
  it('every address and port refused: nothing is listening', () => {
    const c = connect(587, 'refused');
    const facts: Facts = { connects: [c, connect(465, 'refused')], speaks: [], extra: {}, session: session({ connect: c, error: { code: 'refused', step: 'connect', message: 'ECONNREFUSED' } }) };
    expect(codes(facts)).toContain('connect.nothing-listening');
  });

  it('a 535 to the one AUTH attempt: the credentials were rejected', () => {
    const facts: Facts = {
      connects: [connect(587, 'open')], speaks: [], extra: {},
      session: session({
        connect: connect(587, 'open'),
        auth: { kind: 'auth', mechanism: 'PLAIN', offered: ['PLAIN', 'LOGIN'], attempted: true, accepted: false, reply: reply(535, '5.7.8 Authentication credentials invalid'), ms: 5 },
        error: { code: 'auth-failed', step: 'auth', message: '535 5.7.8', responseCode: 535 },
      }),
    };
    expect(codes(facts)).toContain('auth.credentials-rejected');
    expect(codes(facts)).not.toContain('auth.accepted');
  });

  it('AUTH accepted and the envelope accepted: no blocker', () => {
    const facts: Facts = {
      connects: [connect(587, 'open')], speaks: [], extra: {},
      session: session({
        connect: connect(587, 'open'),
        auth: { kind: 'auth', mechanism: 'PLAIN', offered: ['PLAIN'], attempted: true, accepted: true, reply: reply(235, '2.7.0 Authentication successful'), ms: 5 },
        envelope: { kind: 'envelope', mailFrom: { address: 'me@example.test', reply: reply(250, '2.1.0 Ok'), ms: 1 }, rcptTo: [{ address: 'you@example.test', reply: reply(250, '2.1.5 Ok'), ms: 1 }] } as SessionFact['envelope'],
      }),
    };
    const found = judgeCheck(facts, target);
    expect(found.map((f) => f.code)).toEqual(expect.arrayContaining(['auth.accepted', 'envelope.accepted']));
    expect(found.filter((f) => f.severity === 'blocker')).toEqual([]);
  });

  describe('no AUTH on the submission port', () => {
    const tlsOk = (port: number) => ({ kind: 'tls', mode: port === 465 ? 'implicit-tls' : 'starttls', address: ADDR, port, servername: target.host, ok: true, protocol: 'TLSv1.3', chain: [], trusted: true, hostnameMatch: true, problems: [], ms: 3 }) as NonNullable<SessionFact['tls']>;
    const ehlo = (authMechanisms: string[]) => ({ keywords: ['PIPELINING', ...(authMechanisms.length ? [`AUTH ${authMechanisms.join(' ')}`] : [])], authMechanisms, starttls: false, heloFallback: false, reply: reply(250, 'smtp.example.test'), ms: 1 });
    const noAuth587 = session({
      connect: connect(587, 'open'), tls: tlsOk(587), ehloAfterTls: ehlo([]),
      auth: { kind: 'auth', offered: [], attempted: false, accepted: false, notAttempted: 'auth-not-offered', ms: 0 },
    });
    const speak465 = { kind: 'speak', address: ADDR, family: 4, port: 465, speaks: 'smtp-implicit-tls', greeting: { reply: reply(220, 'ready'), ms: 1 }, ehlo: ehlo(['PLAIN']), tls: tlsOk(465), ms: 5 } as Facts['speaks'][number];

    it('and no other port offers it: the server admin must switch it on', () => {
      const found = judgeCheck({ connects: [connect(587, 'open')], speaks: [], extra: {}, session: noAuth587 }, target);
      expect(found.map((f) => f.code)).toContain('auth.not-offered-on-submission-port');
    });

    it('but port 465 offers it: moving there is the fix, not the admin', () => {
      const found = judgeCheck({ connects: [connect(587, 'open'), connect(465, 'open')], speaks: [speak465], extra: {}, session: noAuth587 }, target);
      const f = found.find((x) => x.code === 'auth.not-offered');
      expect(found.map((x) => x.code)).not.toContain('auth.not-offered-on-submission-port');
      expect(f?.fix[0]).toMatch(/port 587 → 465/);
    });
  });
});
