// The configured session's step table without a server: the order of the steps, which of them run for each security
// mode, what ends the conversation and how, and that the secret stays home where it must. A scripted connection
// answers each command; the scripted and lab tests check the same table against real servers.
import { describe, expect, it } from 'vitest';
import type { SessionFact, SmtpReply } from '../../src/facts/types.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { SESSION_STEPS, type Conversation } from '../../src/probes/session-steps.js';
import { runSteps } from '../../src/probes/step-table.js';
import { systemClock } from '../../src/net/io.js';

function reply(code: number, text: string): SmtpReply {
  return { code, text, lines: [`${code} ${text}`] };
}

const EHLO_PLAIN = reply(250, 'mx.example.test\nPIPELINING\nAUTH PLAIN LOGIN');

/** A connection that answers from a script (by verb; 250 otherwise) and remembers what was sent and how it ended. */
function scripted(greeting: SmtpReply, answers: Record<string, SmtpReply>) {
  const sent: string[] = [];
  const answer = (line: string) => answers[line.split(' ')[0]!.toUpperCase()] ?? reply(250, 'ok');
  const conn = {
    readReply: async () => greeting,
    command: async (line: string) => { sent.push(line); return answer(line); },
    secretCommand: async (line: string, shown: string) => { sent.push(`${shown} (secret)`); return answer(line); },
    quit: async () => { sent.push('QUIT'); return reply(221, 'bye'); },
    destroy: () => { sent.push('(dropped)'); },
  };
  return { conn, sent };
}

function conversation(over: Partial<Target>, conn: unknown): Conversation {
  const target = { ...buildTarget({ host: 'smtp.example.test', port: 25, security: 'none' }), ...over } as Target;
  const fact: SessionFact = { kind: 'session', address: '192.0.2.25', port: target.port, security: target.security, steps: [], ms: 0 };
  return { at: 'greeting', ctx: { timeoutMs: 1000, clock: systemClock }, target, fact, family: 4, encrypted: false, conn } as unknown as Conversation;
}

const names = (c: Conversation) => c.fact.steps.map((s) => s.step);

describe('the configured session as a step table', () => {
  it('lists the steps in protocol order', () => {
    expect(SESSION_STEPS.map((s) => s.name)).toEqual([
      'tls', 'greeting', 'ehlo', 'starttls', 'starttls', 'ehlo-after-tls', 'auth', 'auth', 'mail-from', 'data', 'rset', 'quit',
    ]);
  });

  it('a plain check without TLS: greeting, EHLO, MAIL FROM, RCPT TO, RSET, QUIT', async () => {
    const { conn, sent } = scripted(reply(220, 'mx ESMTP'), { EHLO: EHLO_PLAIN });
    const c = conversation({ from: 'me@example.test', to: ['you@example.test'] }, conn);
    expect(await runSteps(SESSION_STEPS, c)).toBe('stop');
    expect(names(c)).toEqual(['greeting', 'ehlo', 'mail-from', 'rcpt-to', 'rset']);
    expect(sent).toEqual(['EHLO ' + c.target.heloName, 'MAIL FROM:<me@example.test>', 'RCPT TO:<you@example.test>', 'RSET', 'QUIT']);
    expect(c.fact.error).toBeUndefined();
  });

  it('a greeting other than 220 ends the conversation with QUIT: greeting-rejected', async () => {
    const { conn, sent } = scripted(reply(554, 'no service'), {});
    const c = conversation({}, conn);
    expect(await runSteps(SESSION_STEPS, c)).toBe('quit');
    expect(names(c)).toEqual(['greeting']);
    expect(c.fact.error).toMatchObject({ code: 'greeting-rejected', step: 'greeting', responseCode: 554 });
    expect(sent).toEqual([]);
  });

  it('STARTTLS configured but not offered: QUIT before asking, starttls-not-offered', async () => {
    const { conn, sent } = scripted(reply(220, 'mx ESMTP'), { EHLO: EHLO_PLAIN });
    const c = conversation({ security: 'starttls', port: 587 }, conn);
    expect(await runSteps(SESSION_STEPS, c)).toBe('quit');
    expect(names(c)).toEqual(['greeting', 'ehlo', 'starttls']);
    expect(c.fact.error).toMatchObject({ code: 'starttls-not-offered', step: 'starttls' });
    expect(sent.some((l) => l.startsWith('STARTTLS'))).toBe(false);
  });

  it('a password over a connection without TLS is never sent: plaintext-auth-refused, then QUIT', async () => {
    const { conn, sent } = scripted(reply(220, 'mx ESMTP'), { EHLO: EHLO_PLAIN });
    const c = conversation(buildTarget({ host: 'smtp.example.test', port: 25, security: 'none', user: 'me@example.test', password: 'a-long-password', from: 'me@example.test' }), conn);
    expect(await runSteps(SESSION_STEPS, c)).toBe('quit');
    expect(names(c)).toEqual(['greeting', 'ehlo', 'auth']);
    expect(c.fact.auth).toMatchObject({ attempted: false, notAttempted: 'no-tls' });
    expect(c.fact.error).toMatchObject({ code: 'plaintext-auth-refused', step: 'auth' });
    expect(sent.filter((l) => /AUTH|secret/.test(l))).toEqual([]);
  });

  it('a 421 to MAIL FROM drops the connection (the server closes it): no RSET, no QUIT', async () => {
    const { conn, sent } = scripted(reply(220, 'mx ESMTP'), { EHLO: EHLO_PLAIN, MAIL: reply(421, '4.7.0 too many connections') });
    const c = conversation({ from: 'me@example.test', to: ['you@example.test'] }, conn);
    expect(await runSteps(SESSION_STEPS, c)).toBe('drop');
    expect(names(c)).toEqual(['greeting', 'ehlo', 'mail-from']);
    expect(sent.at(-1)).toBe('MAIL FROM:<me@example.test>');
  });
});
