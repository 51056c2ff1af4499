// session: the conversation exactly as the user configured it (host, port, security, credentials, envelope).
// This is the path the report draws hop by hop: connect → greeting → TLS → AUTH → envelope.
import type { ConnectFact, ResolvedAddress, SessionFact, SessionStep, TestMessage, TlsFact } from '../facts/types.js';
import { SmtpConnection, SmtpIoError } from '../net/smtp-connection.js';
import type { DialResult } from '../net/tcp.js';
import { tlsHandshake } from '../net/tls-inspect.js';
import { authenticate } from './auth.js';
import { authRefusal } from './auth-policy.js';
import type { ProbeContext } from './context.js';
import { sendTestMessage } from './data.js';
import { probeEnvelope } from './envelope.js';
import { ehlo, readGreeting, startTls } from './smtp-steps.js';
import { probeLegacyTls } from './tls-legacy.js';

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

/** The round trip's hook into the session: asked once the envelope was accepted. */
export interface MessageSender {
  /** Resolves to the message to send now, or undefined to end with RSET as a plain check does. */
  prepare(): Promise<TestMessage | undefined>;
}

export async function probeSession(ctx: ProbeContext, addresses: ResolvedAddress[], sender?: MessageSender): Promise<SessionFact> {
  const t = ctx.target;
  const t0 = performance.now();
  const steps: SessionStep[] = [];
  const fact: SessionFact = { kind: 'session', address: addresses[0]?.address ?? '', port: t.port, security: t.security, steps, ms: 0 };
  const done = () => ({ ...fact, ms: Math.round(performance.now() - t0) });

  const { fact: connect, socket } = await connectFirst(ctx, addresses, t.port);
  fact.connect = connect;
  fact.address = connect.address;
  steps.push({ step: 'connect', ok: connect.outcome === 'open', message: connect.outcome, ms: connect.ms });
  if (!socket) {
    fact.error = { code: connect.outcome, step: 'connect', message: `${connect.outcome}${connect.errno ? ` (${connect.errno})` : ''}` };
    return done();
  }
  const label = `${connect.family === 6 ? `[${connect.address}]` : connect.address}:${t.port} (configured: ${t.security})`;
  const transcript = ctx.transcript(label);
  transcript.info('connected', connect.ms);
  const tlsOpts = { servername: t.host, address: connect.address, port: t.port, timeoutMs: ctx.timeoutMs, ca: t.ca, signal: ctx.signal };
  let conn: SmtpConnection | undefined;
  let step: SessionStep['step'] = 'greeting';
  let encrypted = false;
  try {
    if (t.security === 'implicit-tls') {
      step = 'tls';
      const { fact: tls, socket: secure } = await tlsHandshake({ socket, mode: 'implicit-tls', ...tlsOpts });
      fact.tls = tls;
      steps.push({ step: 'tls', ok: tls.ok, message: tls.ok ? `${tls.protocol} ${tls.cipher}` : tls.error?.message, ms: tls.ms });
      transcript.info(tls.ok ? `TLS started: ${tls.protocol} ${tls.cipher}` : `TLS handshake failed: ${tls.error?.message}`);
      if (!secure) {
        fact.error = { code: tls.error?.class ?? 'tls', step: 'tls', message: tls.error?.message ?? 'TLS failed' };
        if (isVersionOrCipher(tls)) tls.legacy = await probeLegacyTls(ctx, tls, connect.family);
        return done();
      }
      encrypted = true;
      conn = new SmtpConnection({ socket: secure, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal });
    } else {
      conn = new SmtpConnection({ socket, timeoutMs: ctx.timeoutMs, transcript, signal: ctx.signal });
    }
    step = 'greeting';
    fact.greeting = await readGreeting(conn, ctx.timeoutMs);
    steps.push({ step: 'greeting', ok: fact.greeting.reply.code === 220, reply: fact.greeting.reply, ms: fact.greeting.ms });
    if (fact.greeting.reply.code !== 220) {
      fact.error = { code: 'greeting-rejected', step: 'greeting', message: 'greeting was not 220', responseCode: fact.greeting.reply.code, response: fact.greeting.reply.text };
      await conn.quit();
      return done();
    }
    step = 'ehlo';
    fact.ehlo = await ehlo(conn, t.heloName);
    const ehloOk = fact.ehlo.reply.code === 250;
    steps.push({ step: 'ehlo', ok: ehloOk, reply: fact.ehlo.reply, ms: fact.ehlo.ms });
    if (!ehloOk) {
      fact.error = { code: 'ehlo-rejected', step: 'ehlo', message: 'EHLO and HELO rejected', responseCode: fact.ehlo.reply.code, response: fact.ehlo.reply.text };
      await conn.quit();
      return done();
    }
    let caps = fact.ehlo;
    if (t.security === 'starttls') {
      step = 'starttls';
      if (!fact.ehlo.starttls) {
        steps.push({ step: 'starttls', ok: false, message: 'STARTTLS not offered', ms: 0 });
        fact.error = { code: 'starttls-not-offered', step: 'starttls', message: 'the server did not offer STARTTLS' };
        await conn.quit();
        return done();
      }
      const st = await startTls(conn, tlsOpts);
      steps.push({ step: 'starttls', ok: st.reply?.code === 220, reply: st.reply, ms: st.ms });
      if (st.reply?.code !== 220) {
        fact.error = { code: 'starttls-refused', step: 'starttls', message: 'STARTTLS refused', responseCode: st.reply?.code, response: st.reply?.text };
        await conn.quit();
        return done();
      }
      fact.tls = st.tls;
      steps.push({ step: 'tls', ok: !!st.tls?.ok, message: st.tls?.ok ? `${st.tls.protocol} ${st.tls.cipher}` : st.tls?.error?.message, ms: st.tls?.ms ?? 0 });
      if (!st.tls?.ok) {
        fact.error = { code: st.tls?.error?.class ?? 'tls', step: 'tls', message: st.tls?.error?.message ?? 'TLS failed' };
        conn.destroy();
        if (st.tls && isVersionOrCipher(st.tls)) st.tls.legacy = await probeLegacyTls(ctx, st.tls, connect.family);
        return done();
      }
      encrypted = true;
      step = 'ehlo-after-tls';
      fact.ehloAfterTls = await ehlo(conn, t.heloName);
      steps.push({ step: 'ehlo-after-tls', ok: fact.ehloAfterTls.reply.code === 250, reply: fact.ehloAfterTls.reply, ms: fact.ehloAfterTls.ms });
      caps = fact.ehloAfterTls;
    }
    // The password never goes to a server whose certificate did not validate (expired, untrusted, another name):
    // that is exactly what an interception proxy or an impostor presents. The certificate finding says why and
    // how to trust a private CA (--ca).
    // Nor over a connection without TLS, unless the user opted in (--allow-plaintext-auth): the same decision.
    const refusal = t.credentials && (t.credentials.password || t.credentials.oauthToken)
      ? authRefusal({ encrypted, certificateProblems: encrypted ? fact.tls?.problems ?? [] : [], authOffered: caps.authMechanisms.length > 0, allowPlaintext: t.allowPlaintextAuth })
      : undefined;
    if (refusal) {
      fact.auth = { kind: 'auth', offered: caps.authMechanisms, attempted: false, accepted: false, notAttempted: refusal.reason, ms: 0 };
      steps.push({ step: 'auth', ok: false, message: refusal.message.replace(/^login /, ''), ms: 0 });
      fact.error = { code: refusal.reason === 'no-tls' ? 'plaintext-auth-refused' : refusal.reason, step: 'auth', message: refusal.message };
      await conn.quit();
      return done();
    }
    if (t.credentials && (t.credentials.password || t.credentials.oauthToken)) {
      step = 'auth';
      fact.auth = await authenticate(conn, t.credentials, caps.authMechanisms, t.mechanisms, encrypted);
      steps.push({ step: 'auth', ok: fact.auth.accepted, reply: fact.auth.reply, message: fact.auth.notAttempted, ms: fact.auth.ms });
      if (!fact.auth.accepted) {
        fact.error = fact.auth.attempted
          ? { code: 'auth-failed', step: 'auth', message: 'authentication failed', responseCode: fact.auth.reply?.code, response: fact.auth.reply?.text }
          : { code: fact.auth.notAttempted ?? 'auth', step: 'auth', message: `authentication not attempted: ${fact.auth.notAttempted}` };
        // Without a successful login an envelope test would only repeat "authentication required".
        await conn.quit();
        return done();
      }
    }
    if (t.from) {
      step = 'mail-from';
      fact.envelope = await probeEnvelope(conn, t.from, t.to);
      const mf = fact.envelope.mailFrom!;
      steps.push({ step: 'mail-from', ok: mf.reply.code === 250, reply: mf.reply, ms: mf.ms });
      for (const r of fact.envelope.rcptTo) steps.push({ step: 'rcpt-to', ok: r.reply.code >= 200 && r.reply.code < 300, reply: r.reply, ms: r.ms });
      // After a 421 the server closes the connection (RFC 5321 3.8): nothing more to say.
      const closing = mf.reply.code === 421 || fact.envelope.rcptTo.some((r) => r.reply.code === 421);
      if (closing) {
        conn.destroy();
        return done();
      }
      const envelopeOk = mf.reply.code === 250 && fact.envelope.rcptTo.length > 0 && fact.envelope.rcptTo.every((r) => r.reply.code >= 200 && r.reply.code < 300);
      const message = envelopeOk && sender ? await sender.prepare() : undefined;
      if (message) {
        step = 'data';
        fact.data = await sendTestMessage(conn, message, ctx.timeoutMs);
        const last = fact.data.end ?? fact.data.start;
        steps.push({ step: 'data', ok: fact.data.accepted, reply: last, ms: fact.data.ms });
        if (last.code === 421) {
          conn.destroy();
          return done();
        }
      } else {
        step = 'rset';
        const rset = await conn.command('RSET');
        steps.push({ step: 'rset', ok: rset.code === 250, reply: rset, ms: 0 });
      }
    }
    step = 'quit';
    await conn.quit();
  } catch (err) {
    conn?.destroy();
    if (!(err instanceof SmtpIoError)) {
      socket.destroy();
      throw err;
    }
    steps.push({ step, ok: false, message: err.message, ms: 0 });
    fact.error = { code: err.code, step, message: err.message };
    if (err.partial) fact.error.response = transcript.redactor.clip(err.partial, 200).text;
  }
  return done();
}
