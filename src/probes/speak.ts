// connect + speak, for one address and port of the sweep: did TCP open, and what does the port really speak?
// A plaintext SMTP greeting, an implicit-TLS handshake followed by SMTP, silence, or something else (HTTP, a
// proxy). On SMTP we record EHLO, and the capabilities again after STARTTLS (AUTH is often offered only then).
import type net from 'node:net';
import type { ConnectFact, Family, SpeakFact } from '../facts/types.js';
import { SmtpConnection, SmtpIoError } from '../net/smtp-connection.js';
import type { ProbeContext } from './context.js';
import { ehlo, readGreeting, startTls, tlsFirst, type EndpointTls } from './smtp-steps.js';
import { defineStep, runSteps, type Step, type StepState } from './step-table.js';

/** How long a port may stay silent before we try TLS on it (an implicit-TLS server waits for our ClientHello). */
export function silenceBeforeTlsMs(timeoutMs: number): number {
  return Math.min(1500, Math.max(200, Math.round(timeoutMs / 3)));
}

export interface SweepResult {
  connect: ConnectFact;
  speak?: SpeakFact;
}

function looksLikeHttp(text: string): boolean {
  return /^HTTP\/\d/.test(text) || /^<(!doctype|html)/i.test(text);
}

export async function sweepEndpoint(
  ctx: ProbeContext,
  ep: { address: string; family: Family; port: number; tlsFirst: boolean },
): Promise<SweepResult> {
  const { address, family, port } = ep;
  const d = await ctx.dial({ address, family, port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  const connect: ConnectFact = { kind: 'connect', address, family, port, outcome: d.outcome, errno: 'errno' in d ? d.errno : undefined, ms: d.ms };
  if (d.outcome !== 'open') return { connect };
  const label = `${family === 6 ? `[${address}]` : address}:${port} (port sweep)`;
  const transcript = ctx.transcript(label);
  transcript.info('connected', d.ms);
  const t0 = ctx.clock.monotonic();
  const ms = () => Math.round(ctx.clock.monotonic() - t0);
  const base = { kind: 'speak' as const, address, family, port };
  const servername = ctx.target.host;
  const tlsOpts = { servername, address, port };

  // Implicit TLS: speak TLS at once (waiting for a greeting that never comes would cost a timeout).
  if (ep.tlsFirst) {
    const { fact: tls, socket: secure } = await tlsFirst(ctx, d.socket, tlsOpts);
    if (secure) {
      transcript.info(`TLS started: ${tls.protocol} ${tls.cipher}`);
      const conn = new SmtpConnection({ socket: secure, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal });
      return { connect, speak: await converse(conn, { ...base, tls }, ctx, tlsOpts, ms, true) };
    }
    transcript.info(`TLS handshake failed: ${tls.error?.message}`);
    if (tls.error?.class !== 'wrong-version-number') {
      const speaks = tls.error?.class === 'handshake-timeout' ? 'silent' : tls.error?.class === 'closed-during-handshake' ? 'closed' : 'tls-not-smtp';
      return { connect, speak: { ...base, speaks, tls, error: { code: tls.error?.class ?? 'tls', step: 'tls', message: tls.error?.message ?? '' }, ms: ms() } };
    }
    // The server sent plaintext: look again without TLS on a fresh connection.
    const again = await ctx.dial({ address, family, port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    if (again.outcome !== 'open') return { connect, speak: { ...base, speaks: 'closed', tls, ms: ms() } };
    const conn = new SmtpConnection({ socket: again.socket, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal });
    const speak = await plaintextFirst(conn, again.socket, { ...base, tls }, ctx, tlsOpts, ms);
    return { connect, speak };
  }
  const conn = new SmtpConnection({ socket: d.socket, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal });
  return { connect, speak: await plaintextFirst(conn, d.socket, base, ctx, tlsOpts, ms) };
}

async function plaintextFirst(
  conn: SmtpConnection,
  socket: net.Socket,
  base: Pick<SpeakFact, 'kind' | 'address' | 'family' | 'port'> & Partial<SpeakFact>,
  ctx: ProbeContext,
  tlsOpts: EndpointTls,
  ms: () => number,
): Promise<SpeakFact> {
  try {
    const greeting = await readGreeting(conn, silenceBeforeTlsMs(ctx.timeoutMs), ctx.clock);
    return await converse(conn, { ...base, greeting }, ctx, tlsOpts, ms, false);
  } catch (err) {
    if (!(err instanceof SmtpIoError)) throw err;
    if (err.code === 'timeout' && conn.bytesSeen === 0) {
      // Silence: maybe implicit TLS on an unusual port. Offer a handshake on the same connection.
      const { socket: raw } = conn.detachForTls();
      const { fact: tls, socket: secure } = await tlsFirst(ctx, raw ?? socket, tlsOpts);
      if (!secure) {
        conn.transcript.info('no greeting and no TLS handshake: the port is silent');
        return { ...base, speaks: 'silent', tls, error: { code: 'timeout', step: 'greeting', message: 'no greeting and no TLS handshake' }, ms: ms() };
      }
      conn.attachTls(secure);
      return converse(conn, { ...base, tls }, ctx, tlsOpts, ms, true);
    }
    conn.destroy();
    const first = conn.firstBytesText();
    if (err.code === 'not-smtp') {
      return { ...base, speaks: looksLikeHttp(first) ? 'http' : 'not-smtp', firstBytes: first, error: { code: err.code, step: 'greeting', message: err.message }, ms: ms() };
    }
    if (err.code === 'closed' || err.code === 'reset') {
      return { ...base, speaks: 'closed', firstBytes: first || undefined, error: { code: err.code, step: 'greeting', message: err.message }, ms: ms() };
    }
    return { ...base, speaks: 'not-smtp', firstBytes: first, error: { code: err.code, step: 'greeting', message: err.message }, ms: ms() };
  }
}

/** A port's conversation while the sweep's steps run. */
interface Look extends StepState<LookStep> {
  ctx: ProbeContext;
  conn: SmtpConnection;
  out: SpeakFact;
  endpoint: EndpointTls;
  overTls: boolean;
}

type LookStep = 'greeting' | 'ehlo' | 'starttls' | 'ehlo-after-tls' | 'quit';

/** What the sweep asks a port that speaks SMTP: greeting, EHLO, STARTTLS when offered (not over TLS), EHLO again. */
const SWEEP_STEPS: readonly Step<Look, LookStep>[] = [
  defineStep({
    name: 'greeting',
    // The silence check may have read the greeting already.
    run: async (l: Look) => l.out.greeting ?? readGreeting(l.conn, l.ctx.timeoutMs, l.ctx.clock),
    record: (l, g) => { l.out.greeting = g; },
    ends: (_l, g) => (g.reply.code !== 220 ? 'stop' : undefined),
  }),
  defineStep({
    name: 'ehlo',
    run: (l: Look) => ehlo(l.conn, l.ctx.target.heloName, l.ctx.clock),
    record: (l, e) => { l.out.ehlo = e; },
  }),
  defineStep({
    name: 'starttls',
    applies: (l: Look) => !l.overTls && !!l.out.ehlo?.starttls,
    run: (l) => startTls(l.ctx, l.conn, l.endpoint),
    record: (l, st) => {
      l.out.starttls = { reply: st.reply, ms: st.ms };
      l.out.tls = st.tls;
    },
  }),
  defineStep({
    name: 'ehlo-after-tls',
    applies: (l: Look) => !!l.out.starttls && !!l.out.tls?.ok,
    run: (l) => ehlo(l.conn, l.ctx.target.heloName, l.ctx.clock),
    record: (l, e) => { l.out.ehloAfterTls = e; },
  }),
  defineStep({ name: 'quit', run: (l: Look) => l.conn.quit(), ends: () => 'stop' }),
];

/** After a greeting (or a TLS handshake, then the greeting): the sweep's steps; an I/O failure is data. */
async function converse(
  conn: SmtpConnection,
  fact: Pick<SpeakFact, 'kind' | 'address' | 'family' | 'port'> & Partial<SpeakFact>,
  ctx: ProbeContext,
  tlsOpts: EndpointTls,
  ms: () => number,
  overTls: boolean,
): Promise<SpeakFact> {
  const out: SpeakFact = { ...fact, speaks: overTls ? 'smtp-implicit-tls' : 'smtp', ms: 0 };
  const look: Look = { at: 'greeting', ctx, conn, out, endpoint: tlsOpts, overTls };
  try {
    await runSteps(SWEEP_STEPS, look);
  } catch (err) {
    conn.destroy();
    if (!(err instanceof SmtpIoError)) throw err;
    if (look.at === 'greeting' && err.code === 'not-smtp') {
      out.speaks = overTls ? 'tls-not-smtp' : 'not-smtp';
      out.firstBytes = conn.firstBytesText();
    } else if (look.at === 'greeting' && err.code === 'timeout' && overTls) {
      out.speaks = 'tls-not-smtp';
    }
    out.error = { code: err.code, step: look.at, message: err.message };
  }
  out.ms = ms();
  return out;
}
