// session: the conversation exactly as the user configured it (host, port, security, credentials, envelope).
// This is the path the report draws hop by hop: connect → greeting → TLS → AUTH → envelope. The steps after the
// connect are a table (session-steps.ts); this file connects, runs the table and turns an I/O failure into data.
import type net from 'node:net';
import type { ConnectFact, ResolvedAddress, SessionFact, TlsFact } from '../facts/types.js';
import { SmtpIoError } from '../net/smtp-connection.js';
import type { DialResult } from '../net/tcp.js';
import type { ProbeContext } from './context.js';
import { SESSION_STEPS, smtpOver, type Conversation, type MessageSender } from './session-steps.js';
import { runSteps, type Ending } from './step-table.js';
import { probeLegacyTls } from './tls-legacy.js';

export type { MessageSender } from './session-steps.js';

function isVersionOrCipher(t: TlsFact): boolean {
  return t.error?.class === 'protocol-version' || t.error?.class === 'cipher-mismatch';
}

/** Dials every address at once and keeps the first open one in DNS order (one timeout, not one per address). */
async function connectFirst(ctx: ProbeContext, addresses: ResolvedAddress[], port: number) {
  const attempts = addresses.map((a) => ctx.dial({ address: a.address, family: a.family, port, timeoutMs: ctx.timeoutMs, signal: ctx.signal }));
  const results: DialResult[] = await Promise.all(attempts);
  const idx = results.findIndex((r) => r.outcome === 'open');
  results.forEach((r, i) => { if (i !== idx && r.outcome === 'open') r.socket.destroy(); });
  const pick = idx >= 0 ? idx : 0;
  const r = results[pick]!;
  const a = addresses[pick]!;
  const fact: ConnectFact = { kind: 'connect', address: a.address, family: a.family, port, outcome: r.outcome, errno: 'errno' in r ? r.errno : undefined, ms: r.ms };
  return { fact, socket: r.outcome === 'open' ? r.socket : undefined };
}

export async function probeSession(ctx: ProbeContext, addresses: ResolvedAddress[], sender?: MessageSender): Promise<SessionFact> {
  const t = ctx.target;
  const t0 = ctx.clock.monotonic();
  const fact: SessionFact = { kind: 'session', address: addresses[0]?.address ?? '', port: t.port, security: t.security, steps: [], ms: 0 };
  const { fact: connect, socket } = await connectFirst(ctx, addresses, t.port);
  fact.connect = connect;
  fact.address = connect.address;
  fact.steps.push({ step: 'connect', ok: connect.outcome === 'open', message: connect.outcome, ms: connect.ms });
  const outcome = connect.outcome;
  if (outcome !== 'open') {
    fact.error = { code: outcome, step: 'connect', message: `${outcome}${connect.errno ? ` (${connect.errno})` : ''}` };
  } else if (socket) {
    await converse(openConversation(ctx, fact, connect, socket, sender));
  }
  return { ...fact, ms: Math.round(ctx.clock.monotonic() - t0) };
}

function openConversation(ctx: ProbeContext, fact: SessionFact, connect: ConnectFact, socket: net.Socket, sender?: MessageSender): Conversation {
  const t = ctx.target;
  const label = `${connect.family === 6 ? `[${connect.address}]` : connect.address}:${t.port} (configured: ${t.security})`;
  const transcript = ctx.transcript(label);
  transcript.info('connected', connect.ms);
  const endpoint = { servername: t.host, address: connect.address, port: t.port };
  const c: Conversation = { at: 'greeting', ctx, target: t, fact, socket, family: connect.family, transcript, endpoint, encrypted: false, sender };
  // With TLS first the SMTP connection runs over the handshake's socket (the table's first step makes it).
  if (t.security !== 'implicit-tls') c.conn = smtpOver(c, socket);
  return c;
}

/** Runs the table; an I/O failure ends the conversation at the step it happened in. */
async function converse(c: Conversation): Promise<void> {
  try {
    await end(c, await runSteps(SESSION_STEPS, c));
    // After a version or cipher failure: what the outdated server speaks, on a connection of its own.
    const tls = c.fact.tls;
    if (c.fact.error?.step === 'tls' && tls && isVersionOrCipher(tls)) tls.legacy = await probeLegacyTls(c.ctx, tls, c.family);
  } catch (err) {
    c.conn?.destroy();
    if (!(err instanceof SmtpIoError)) {
      c.socket.destroy();
      throw err;
    }
    c.fact.steps.push({ step: c.at, ok: false, message: err.message, ms: 0 });
    c.fact.error = { code: err.code, step: c.at, message: err.message };
    if (err.partial) c.fact.error.response = c.transcript.redactor.clip(err.partial, 200).text;
  }
}

async function end(c: Conversation, ending: Ending | undefined): Promise<void> {
  if (ending === 'quit') await c.conn?.quit();
  else if (ending === 'drop') c.conn?.destroy();
}
