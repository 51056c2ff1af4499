// Steps of an SMTP conversation shared by the configured session, the port sweep (speak) and the network probe's
// conversations: TLS first, greeting, EHLO with HELO fallback, STARTTLS with the TLS handshake (then EHLO again).
// Each returns facts; a network outcome is never thrown as anything but SmtpIoError, which the callers turn into data.
import type net from 'node:net';
import type tls from 'node:tls';
import type { EhloFact, SmtpReply, TlsFact } from '../facts/types.js';
import { SmtpConnection } from '../net/smtp-connection.js';
import type { Clock, RunIo, TlsConnectOptions } from '../net/io.js';

/** Where a TLS handshake goes (the name the certificate is checked against, the address): all but socket and mode. */
export type EndpointTls = Omit<TlsConnectOptions, 'socket' | 'mode'>;
/** The run's TLS handshake (the probe context's): its trust store (--ca), deadline and per-step timeout. */
export type TlsIo = Pick<RunIo, 'tls' | 'clock'>;

/** TLS first (implicit TLS, RFC 8314): the handshake on a connection nothing was said on yet. */
export function tlsFirst(io: TlsIo, socket: net.Socket, opts: EndpointTls): Promise<{ fact: TlsFact; socket?: tls.TLSSocket }> {
  return io.tls({ socket, mode: 'implicit-tls', ...opts });
}

export function parseEhlo(reply: SmtpReply, ms: number, heloFallback = false): EhloFact {
  const [first, ...rest] = reply.text.split('\n');
  const keywords = rest.map((l) => l.trim().toUpperCase()).filter(Boolean);
  const authLine = keywords.find((k) => k === 'AUTH' || k.startsWith('AUTH ') || k.startsWith('AUTH='));
  const authMechanisms = authLine ? [...new Set(authLine.slice(5).split(/[\s=]+/).filter(Boolean))] : [];
  const sizeLine = keywords.find((k) => k.startsWith('SIZE'));
  return {
    domain: first?.split(/\s+/)[0] || undefined,
    keywords,
    authMechanisms,
    starttls: keywords.some((k) => k === 'STARTTLS'),
    size: sizeLine && /\d+/.test(sizeLine) ? Number(sizeLine.match(/\d+/)![0]) : undefined,
    heloFallback,
    reply,
    ms,
  };
}

/** EHLO, falling back to HELO when EHLO is refused with 5xx (RFC 5321 4.1.4). */
export async function ehlo(conn: SmtpConnection, name: string, clock: Pick<Clock, 'monotonic'>): Promise<EhloFact> {
  const t0 = clock.monotonic();
  const reply = await conn.command(`EHLO ${name}`);
  if (reply.code >= 500 && reply.code < 600) {
    const helo = await conn.command(`HELO ${name}`);
    return parseEhlo(helo, Math.round(clock.monotonic() - t0), true);
  }
  return parseEhlo(reply, Math.round(clock.monotonic() - t0));
}

export async function readGreeting(conn: SmtpConnection, timeoutMs: number, clock: Pick<Clock, 'monotonic'>): Promise<{ reply: SmtpReply; ms: number }> {
  const t0 = clock.monotonic();
  const reply = await conn.readReply(timeoutMs);
  return { reply, ms: Math.round(clock.monotonic() - t0) };
}

export interface StartTlsResult {
  reply?: SmtpReply;
  ms: number;
  tls?: TlsFact;
  /** Bytes the server sent after "220 ready" and before the handshake (RFC 3207 says to discard them). */
  discardedBytes?: number;
}

/** STARTTLS then the handshake on the same socket; on success the connection continues over TLS. */
export async function startTls(io: TlsIo, conn: SmtpConnection, opts: EndpointTls): Promise<StartTlsResult> {
  const t0 = io.clock.monotonic();
  const reply = await conn.command('STARTTLS');
  if (reply.code !== 220) return { reply, ms: Math.round(io.clock.monotonic() - t0) };
  const { socket, discardedBytes } = conn.detachForTls();
  if (discardedBytes) conn.transcript.info(`${discardedBytes} bytes arrived before the TLS handshake and were discarded (RFC 3207)`);
  const { fact, socket: secure } = await io.tls({ socket: socket as net.Socket, mode: 'starttls', ...opts });
  conn.transcript.info(fact.ok ? `TLS started: ${fact.protocol} ${fact.cipher}` : `TLS handshake failed: ${fact.error?.message}`);
  if (secure) conn.attachTls(secure);
  return { reply, ms: Math.round(io.clock.monotonic() - t0), tls: fact, discardedBytes };
}
