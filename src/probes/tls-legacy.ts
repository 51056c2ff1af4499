// After a TLS version or cipher failure, one more handshake that allows TLS 1.0/1.1 and weak ciphers, to learn
// what the outdated server actually speaks ("it offers only TLSv1.1"). Nothing is sent over that connection.
import type { TlsFact } from '../facts/types.js';
import { SmtpConnection } from '../net/smtp-connection.js';
import type { ProbeContext } from './context.js';
import { ehlo, readGreeting } from './smtp-steps.js';

export async function probeLegacyTls(ctx: ProbeContext, failed: TlsFact, family: 4 | 6): Promise<TlsFact['legacy']> {
  const d = await ctx.dial({ address: failed.address, family, port: failed.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (d.outcome !== 'open') return { error: `reconnect: ${d.outcome}` };
  let socket = d.socket;
  const opts = { servername: failed.servername, address: failed.address, port: failed.port, legacy: true };
  try {
    if (failed.mode === 'starttls') {
      const conn = new SmtpConnection({ socket, timeoutMs: ctx.timeoutMs, transcript: ctx.transcript(`${failed.address}:${failed.port} (legacy TLS check)`), signal: ctx.signal });
      await readGreeting(conn, ctx.timeoutMs, ctx.clock);
      await ehlo(conn, ctx.target.heloName, ctx.clock);
      const r = await conn.command('STARTTLS');
      if (r.code !== 220) return { error: `STARTTLS → ${r.code}` };
      socket = conn.detachForTls().socket;
    }
    const { fact, socket: secure } = await ctx.tls({ socket, mode: failed.mode, ...opts });
    secure?.destroy();
    return fact.ok ? { protocol: fact.protocol, cipher: fact.cipher } : { error: fact.error?.message };
  } catch (e) {
    socket.destroy();
    return { error: (e as Error).message };
  }
}
