// The two optional conversations of the network probe, each on its own connection and bounded in time:
// - hold: greet, EHLO, stay idle for a while, then NOOP: does a stateful firewall or NAT cut idle connections?
// - DATA start: MAIL FROM, RCPT TO, DATA, then close at the 354 without sending any message content (an
//   unterminated DATA is discarded by the server): does something cut the connection when DATA begins?
import type { Family } from '../../facts/types.js';
import { SmtpConnection, SmtpIoError } from '../../net/smtp-connection.js';
import type { ProbeContext } from '../context.js';
import { ehlo, readGreeting, startTls, tlsFirst, type EndpointTls } from '../smtp-steps.js';
import type { DataProbeFact, HoldFact } from '../../facts/network.js';

interface Endpoint {
  address: string;
  family: Family;
  port: number;
  servername: string;
  implicitTls: boolean;
  label: string;
}

function bracket(a: string): string {
  return a.includes(':') ? `[${a}]` : a;
}

function endpointTls(ep: Endpoint): EndpointTls {
  return { servername: ep.servername, address: ep.address, port: ep.port };
}

/** Opens an SMTP conversation up to the greeting (TLS first on implicit-TLS ports). */
async function open(ctx: ProbeContext, ep: Endpoint): Promise<{ conn?: SmtpConnection; failure?: string }> {
  const d = await ctx.dialFresh({ address: ep.address, family: ep.family, port: ep.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (d.outcome !== 'open') return { failure: `connect: ${d.outcome}${'errno' in d && d.errno ? ` (${d.errno})` : ''}` };
  const transcript = ctx.transcript(`${bracket(ep.address)}:${ep.port} (${ep.label})`);
  let socket = d.socket;
  if (ep.implicitTls) {
    const { fact, socket: secure } = await tlsFirst(ctx, socket, endpointTls(ep));
    if (!secure) return { failure: `TLS: ${fact.error?.message ?? 'failed'}` };
    socket = secure;
  }
  return { conn: new SmtpConnection({ socket, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal }) };
}

export async function holdTest(ctx: ProbeContext, ep: Endpoint, role: HoldFact['role'], requestedMs: number, maxMs: number): Promise<HoldFact> {
  const base = { role, address: ep.address, port: ep.port, requestedMs };
  const heldTarget = Math.min(requestedMs, maxMs);
  const { conn, failure } = await open(ctx, ep);
  if (!conn) return { ...base, heldMs: 0, outcome: 'not-started', detail: failure };
  // Undefined until the idle period starts (a test's fixed clock may well say 0).
  let idleStart: number | undefined;
  try {
    const g = await readGreeting(conn, ctx.timeoutMs, ctx.clock);
    if (g.reply.code !== 220) {
      await conn.quit();
      return { ...base, heldMs: 0, outcome: 'not-started', reply: g.reply, detail: 'greeting was not 220' };
    }
    await ehlo(conn, ctx.target.heloName, ctx.clock);
    conn.transcript.info(`idle for ${heldTarget} ms (hold test)`);
    idleStart = ctx.clock.monotonic();
    try {
      // Any reply during the idle period is unsolicited: a server closing an idle session says 421.
      const unsolicited = await conn.readReply(heldTarget);
      conn.destroy();
      return { ...base, heldMs: heldTarget, outcome: 'server-timeout', reply: unsolicited, endedAfterMs: Math.round(ctx.clock.monotonic() - idleStart) };
    } catch (err) {
      if (!(err instanceof SmtpIoError)) throw err;
      if (err.code === 'aborted') {
        conn.destroy();
        return { ...base, heldMs: Math.round(ctx.clock.monotonic() - idleStart), outcome: 'aborted', detail: 'the run\'s deadline ended the hold test' };
      }
      if (err.code !== 'timeout') {
        conn.destroy();
        return { ...base, heldMs: heldTarget, outcome: err.code === 'reset' ? 'reset' : 'closed', endedAfterMs: Math.round(ctx.clock.monotonic() - idleStart), detail: err.message };
      }
    }
    // The idle period passed quietly: is the connection still alive?
    const reply = await conn.command('NOOP');
    await conn.quit();
    return { ...base, heldMs: heldTarget, outcome: 'survived', reply };
  } catch (err) {
    conn.destroy();
    if (!(err instanceof SmtpIoError)) throw err;
    if (idleStart === undefined) return { ...base, heldMs: 0, outcome: 'not-started', detail: err.message };
    if (err.code === 'aborted') return { ...base, heldMs: heldTarget, outcome: 'aborted', detail: 'the run\'s deadline ended the hold test' };
    // After the idle period: a silent connection means the state is gone on a middlebox (packets vanish).
    const outcome = err.code === 'timeout' ? 'cut-silently' : err.code === 'reset' ? 'reset' : 'closed';
    return { ...base, heldMs: heldTarget, outcome, endedAfterMs: Math.round(ctx.clock.monotonic() - idleStart), detail: `after the idle period: ${err.message}` };
  }
}

export async function dataStartProbe(ctx: ProbeContext, ep: Endpoint, from: string, to: string): Promise<DataProbeFact> {
  const t0 = ctx.clock.monotonic();
  const ms = () => Math.round(ctx.clock.monotonic() - t0);
  const base = { address: ep.address, port: ep.port };
  const { conn, failure } = await open(ctx, ep);
  if (!conn) return { ...base, outcome: 'not-reached', stoppedAt: 'connect', detail: failure, ms: ms() };
  let step = 'greeting';
  try {
    const g = await readGreeting(conn, ctx.timeoutMs, ctx.clock);
    if (g.reply.code !== 220) {
      await conn.quit();
      return { ...base, outcome: 'not-reached', stoppedAt: step, reply: g.reply, ms: ms() };
    }
    step = 'ehlo';
    let caps = await ehlo(conn, ctx.target.heloName, ctx.clock);
    if (!ep.implicitTls && ctx.target.security !== 'none' && caps.starttls) {
      step = 'starttls';
      const st = await startTls(ctx, conn, endpointTls(ep));
      if (!st.tls?.ok) {
        conn.destroy();
        return { ...base, outcome: 'not-reached', stoppedAt: step, reply: st.reply, detail: st.tls?.error?.message, ms: ms() };
      }
      caps = await ehlo(conn, ctx.target.heloName, ctx.clock);
    }
    step = 'mail-from';
    const mf = await conn.command(`MAIL FROM:<${from}>`);
    if (mf.code !== 250) {
      await conn.quit();
      return { ...base, outcome: 'not-reached', stoppedAt: step, reply: mf, ms: ms() };
    }
    step = 'rcpt-to';
    const rc = await conn.command(`RCPT TO:<${to}>`);
    if (rc.code < 200 || rc.code > 299) {
      await conn.quit();
      return { ...base, outcome: 'not-reached', stoppedAt: step, reply: rc, ms: ms() };
    }
    step = 'data';
    const data = await conn.command('DATA');
    // Never send content: closing now leaves an unterminated message, which the server discards.
    conn.transcript.info('closing without sending any message content (the unterminated message is discarded)');
    conn.destroy();
    return { ...base, outcome: data.code === 354 ? 'data-accepted' : 'data-rejected', reply: data, ms: ms() };
  } catch (err) {
    conn.destroy();
    if (!(err instanceof SmtpIoError)) throw err;
    if (step === 'data' && (err.code === 'closed' || err.code === 'reset')) {
      return { ...base, outcome: 'closed-on-data', detail: err.message, ms: ms() };
    }
    return { ...base, outcome: 'not-reached', stoppedAt: step, detail: err.message, ms: ms() };
  }
}

export type { Endpoint };
