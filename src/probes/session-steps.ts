// The configured session as a table of steps, in protocol order: TLS first (implicit TLS only) → greeting → EHLO →
// STARTTLS and its handshake → EHLO again → AUTH (or why the secret stays home) → MAIL FROM and RCPT TO → DATA (the
// round trip's test message) or RSET → QUIT. Each step records into the SessionFact: its field, its line of the path
// (`steps`) and, when the conversation ends there, `error`. session.ts connects and runs the table.
import type net from 'node:net';
import type { AuthFact, EhloFact, Family, SessionFact, SessionStep, SmtpReply, TestMessage, TlsFact } from '../facts/types.js';
import { SmtpConnection } from '../net/smtp-connection.js';
import type { TranscriptRecorder } from '../net/transcript.js';
import type { Target } from '../input/target.js';
import { authenticate } from './auth.js';
import { authRefusal } from './auth-policy.js';
import type { ProbeContext } from './context.js';
import { sendTestMessage } from './data.js';
import { probeEnvelope } from './envelope.js';
import { ehlo, readGreeting, startTls, tlsFirst, type EndpointTls, type StartTlsResult } from './smtp-steps.js';
import { defineStep, type Step, type StepState } from './step-table.js';

/** The round trip's hook into the session: asked once the envelope was accepted. */
export interface MessageSender {
  /** Resolves to the message to send now, or undefined to end with RSET as a plain check does. */
  prepare(): Promise<TestMessage | undefined>;
}

export type SessionStepName = SessionStep['step'];

/** The state of one configured session while its steps run. */
export interface Conversation extends StepState<SessionStepName> {
  ctx: ProbeContext;
  target: Target;
  fact: SessionFact;
  /** The connect's socket: TLS first runs on it; without TLS first the SMTP connection does. */
  socket: net.Socket;
  family: Family;
  transcript: TranscriptRecorder;
  /** Where the handshakes go: the configured host's name, the connected address and port. */
  endpoint: EndpointTls;
  /** The SMTP connection, once there is one (after the handshake when TLS comes first). */
  conn?: SmtpConnection;
  /** TLS is up: a secret may go out only then (auth-policy.ts). */
  encrypted: boolean;
  /** The capabilities AUTH is chosen from: EHLO's, or EHLO's after STARTTLS. */
  caps?: EhloFact;
  sender?: MessageSender;
}

/** The SMTP connection; every step after TLS first has one (a missing one is a bug in the table). */
function smtp(c: Conversation): SmtpConnection {
  if (!c.conn) throw new Error(`session step ${c.at} ran before the SMTP connection existed`);
  return c.conn;
}

export function smtpOver(c: Pick<Conversation, 'ctx' | 'transcript'>, socket: net.Socket): SmtpConnection {
  return new SmtpConnection({ socket, timeoutMs: c.ctx.timeoutMs, transcript: c.transcript, signal: c.ctx.signal });
}

const path = (c: Conversation, step: SessionStep) => c.fact.steps.push(step);
const tlsSummary = (tls: TlsFact | undefined) => (tls?.ok ? `${tls.protocol} ${tls.cipher}` : tls?.error?.message);
const tlsError = (tls: TlsFact | undefined) => ({ code: tls?.error?.class ?? 'tls', step: 'tls', message: tls?.error?.message ?? 'TLS failed' }) as const;
const hasSecret = (t: Target) => !!t.credentials && !!(t.credentials.password || t.credentials.oauthToken);

/** Implicit TLS: the handshake before any SMTP; without it there is nothing to say. */
const implicitTls = defineStep({
  name: 'tls',
  applies: (c: Conversation) => c.target.security === 'implicit-tls',
  run: (c) => tlsFirst(c.ctx, c.socket, c.endpoint),
  record: (c, { fact: tls, socket: secure }) => {
    c.fact.tls = tls;
    path(c, { step: 'tls', ok: tls.ok, message: tlsSummary(tls), ms: tls.ms });
    c.transcript.info(tls.ok ? `TLS started: ${tls.protocol} ${tls.cipher}` : `TLS handshake failed: ${tls.error?.message}`);
    if (!secure) {
      c.fact.error = tlsError(tls);
      return;
    }
    c.encrypted = true;
    c.conn = smtpOver(c, secure);
  },
  ends: (_c, { socket: secure }) => (secure ? undefined : 'stop'),
});

const greeting = defineStep({
  name: 'greeting',
  run: (c: Conversation) => readGreeting(smtp(c), c.ctx.timeoutMs, c.ctx.clock),
  record: (c, g) => {
    c.fact.greeting = g;
    path(c, { step: 'greeting', ok: g.reply.code === 220, reply: g.reply, ms: g.ms });
    if (g.reply.code !== 220) c.fact.error = { code: 'greeting-rejected', step: 'greeting', message: 'greeting was not 220', responseCode: g.reply.code, response: g.reply.text };
  },
  ends: (_c, g) => (g.reply.code !== 220 ? 'quit' : undefined),
});

const ehloStep = defineStep({
  name: 'ehlo',
  run: (c: Conversation) => ehlo(smtp(c), c.target.heloName, c.ctx.clock),
  record: (c, e) => {
    c.fact.ehlo = e;
    c.caps = e;
    path(c, { step: 'ehlo', ok: e.reply.code === 250, reply: e.reply, ms: e.ms });
    if (e.reply.code !== 250) c.fact.error = { code: 'ehlo-rejected', step: 'ehlo', message: 'EHLO and HELO rejected', responseCode: e.reply.code, response: e.reply.text };
  },
  ends: (_c, e) => (e.reply.code !== 250 ? 'quit' : undefined),
});

/** STARTTLS configured but not offered: asking anyway would only get a 502. */
const starttlsNotOffered = defineStep({
  name: 'starttls',
  applies: (c: Conversation) => c.target.security === 'starttls' && !c.fact.ehlo?.starttls,
  run: async () => undefined,
  record: (c) => {
    path(c, { step: 'starttls', ok: false, message: 'STARTTLS not offered', ms: 0 });
    c.fact.error = { code: 'starttls-not-offered', step: 'starttls', message: 'the server did not offer STARTTLS' };
  },
  ends: () => 'quit',
});

/** STARTTLS and the handshake on the same connection (two lines of the path: starttls, tls). */
const starttls = defineStep({
  name: 'starttls',
  applies: (c: Conversation) => c.target.security === 'starttls',
  run: (c) => startTls(c.ctx, smtp(c), c.endpoint),
  record: recordStartTls,
  ends: (_c, st) => (st.reply?.code !== 220 ? 'quit' : !st.tls?.ok ? 'drop' : undefined),
});

function recordStartTls(c: Conversation, st: StartTlsResult): void {
  path(c, { step: 'starttls', ok: st.reply?.code === 220, reply: st.reply, ms: st.ms });
  if (st.reply?.code !== 220) {
    c.fact.error = { code: 'starttls-refused', step: 'starttls', message: 'STARTTLS refused', responseCode: st.reply?.code, response: st.reply?.text };
    return;
  }
  c.fact.tls = st.tls;
  path(c, { step: 'tls', ok: !!st.tls?.ok, message: tlsSummary(st.tls), ms: st.tls?.ms ?? 0 });
  if (!st.tls?.ok) c.fact.error = tlsError(st.tls);
  else c.encrypted = true;
}

const ehloAfterTls = defineStep({
  name: 'ehlo-after-tls',
  applies: (c: Conversation) => c.target.security === 'starttls',
  run: (c) => ehlo(smtp(c), c.target.heloName, c.ctx.clock),
  record: (c, e) => {
    c.fact.ehloAfterTls = e;
    c.caps = e;
    path(c, { step: 'ehlo-after-tls', ok: e.reply.code === 250, reply: e.reply, ms: e.ms });
  },
});

// The password never goes to a server whose certificate did not validate (expired, untrusted, another name):
// that is exactly what an interception proxy or an impostor presents. The certificate finding says why and
// how to trust a private CA (--ca).
// Nor over a connection without TLS, unless the user opted in (--allow-plaintext-auth): the same decision.
const authWithheld = defineStep({
  name: 'auth',
  applies: (c: Conversation) => hasSecret(c.target),
  run: async (c) => authRefusal({
    encrypted: c.encrypted,
    certificateProblems: c.encrypted ? c.fact.tls?.problems ?? [] : [],
    authOffered: (c.caps?.authMechanisms.length ?? 0) > 0,
    allowPlaintext: c.target.allowPlaintextAuth,
  }),
  record: (c, refusal) => {
    if (!refusal) return;
    c.fact.auth = { kind: 'auth', offered: c.caps?.authMechanisms ?? [], attempted: false, accepted: false, notAttempted: refusal.reason, ms: 0 };
    path(c, { step: 'auth', ok: false, message: refusal.message.replace(/^login /, ''), ms: 0 });
    c.fact.error = { code: refusal.reason === 'no-tls' ? 'plaintext-auth-refused' : refusal.reason, step: 'auth', message: refusal.message };
  },
  ends: (_c, refusal) => (refusal ? 'quit' : undefined),
});

/** The one AUTH attempt of the run (auth.ts). Without a successful login an envelope test would only repeat
 *  "authentication required", so a failure ends the conversation. */
const auth = defineStep({
  name: 'auth',
  applies: (c: Conversation) => hasSecret(c.target),
  run: (c) => authenticate(smtp(c), c.target.credentials!, c.caps?.authMechanisms ?? [], c.target.mechanisms, c.encrypted, c.ctx.clock),
  record: (c, a) => {
    c.fact.auth = a;
    path(c, { step: 'auth', ok: a.accepted, reply: a.reply, message: a.notAttempted, ms: a.ms });
    if (a.accepted) return;
    c.fact.error = a.attempted
      ? { code: 'auth-failed', step: 'auth', message: 'authentication failed', responseCode: a.reply?.code, response: a.reply?.text }
      : { code: a.notAttempted ?? 'auth', step: 'auth', message: `authentication not attempted: ${a.notAttempted}` };
  },
  ends: (_c, a: AuthFact) => (a.accepted ? undefined : 'quit'),
});

const isPositive = (r: SmtpReply) => r.code >= 200 && r.code < 300;

/** MAIL FROM and RCPT TO (envelope.ts); after a 421 the server closes the connection (RFC 5321 3.8). */
const envelope = defineStep({
  name: 'mail-from',
  applies: (c: Conversation) => !!c.target.from,
  run: (c) => probeEnvelope(smtp(c), c.target.from!, c.target.to, c.ctx.clock),
  record: (c, e) => {
    c.fact.envelope = e;
    const mf = e.mailFrom!;
    path(c, { step: 'mail-from', ok: mf.reply.code === 250, reply: mf.reply, ms: mf.ms });
    for (const r of e.rcptTo) path(c, { step: 'rcpt-to', ok: isPositive(r.reply), reply: r.reply, ms: r.ms });
  },
  ends: (_c, e) => (e.mailFrom?.reply.code === 421 || e.rcptTo.some((r) => r.reply.code === 421) ? 'drop' : undefined),
});

function envelopeAccepted(c: Conversation): boolean {
  const e = c.fact.envelope;
  return !!e && e.mailFrom?.reply.code === 250 && e.rcptTo.length > 0 && e.rcptTo.every((r) => isPositive(r.reply));
}

/** The round trip's test message, when the envelope was accepted and the round trip has one to send now. */
const data = defineStep({
  name: 'data',
  applies: (c: Conversation) => !!c.sender && envelopeAccepted(c),
  run: async (c) => {
    const message = await c.sender!.prepare();
    return message ? sendTestMessage(smtp(c), message, c.ctx.timeoutMs, c.ctx.clock) : undefined;
  },
  record: (c, d) => {
    if (!d) return;
    c.fact.data = d;
    path(c, { step: 'data', ok: d.accepted, reply: d.end ?? d.start, ms: d.ms });
  },
  ends: (_c, d) => ((d?.end ?? d?.start)?.code === 421 ? 'drop' : undefined),
});

/** A plain check stops before the message: RSET leaves the server as we found it. */
const rset = defineStep({
  name: 'rset',
  applies: (c: Conversation) => !!c.target.from && !c.fact.data,
  run: (c) => smtp(c).command('RSET'),
  record: (c, r) => path(c, { step: 'rset', ok: r.code === 250, reply: r, ms: 0 }),
});

const quit = defineStep({
  name: 'quit',
  run: (c: Conversation) => smtp(c).quit(),
  ends: () => 'stop',
});

/** The configured session, in order. */
export const SESSION_STEPS: readonly Step<Conversation, SessionStepName>[] = [
  implicitTls, greeting, ehloStep, starttlsNotOffered, starttls, ehloAfterTls, authWithheld, auth, envelope, data, rset, quit,
];
