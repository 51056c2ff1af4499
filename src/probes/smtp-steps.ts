// Steps of an SMTP conversation shared by the port sweep (speak) and the configured session:
// greeting, EHLO with HELO fallback, STARTTLS with the TLS handshake. Each returns facts, never throws for
// a network outcome (SmtpIoError is turned into data by the callers).
import type net from 'node:net';
import type { EhloFact, SmtpReply, TlsFact } from '../facts/types.js';
import { SmtpConnection } from '../net/smtp-connection.js';
import { tlsHandshake } from '../net/tls-inspect.js';

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
export async function ehlo(conn: SmtpConnection, name: string): Promise<EhloFact> {
  const t0 = performance.now();
  const reply = await conn.command(`EHLO ${name}`);
  if (reply.code >= 500 && reply.code < 600) {
    const helo = await conn.command(`HELO ${name}`);
    return parseEhlo(helo, Math.round(performance.now() - t0), true);
  }
  return parseEhlo(reply, Math.round(performance.now() - t0));
}

export async function readGreeting(conn: SmtpConnection, timeoutMs: number): Promise<{ reply: SmtpReply; ms: number }> {
  const t0 = performance.now();
  const reply = await conn.readReply(timeoutMs);
  return { reply, ms: Math.round(performance.now() - t0) };
}

export interface StartTlsResult {
  reply?: SmtpReply;
  ms: number;
  tls?: TlsFact;
  /** Bytes the server sent after "220 ready" and before the handshake (RFC 3207 says to discard them). */
  discardedBytes?: number;
}

/** STARTTLS then the handshake on the same socket; on success the connection continues over TLS. */
export async function startTls(
  conn: SmtpConnection,
  opts: { servername: string; address: string; port: number; timeoutMs: number; ca: string[]; signal?: AbortSignal },
): Promise<StartTlsResult> {
  const t0 = performance.now();
  const reply = await conn.command('STARTTLS');
  if (reply.code !== 220) return { reply, ms: Math.round(performance.now() - t0) };
  const { socket, discardedBytes } = conn.detachForTls();
  if (discardedBytes) conn.transcript.info(`${discardedBytes} bytes arrived before the TLS handshake and were discarded (RFC 3207)`);
  const { fact, socket: secure } = await tlsHandshake({ socket: socket as net.Socket, mode: 'starttls', ...opts });
  conn.transcript.info(fact.ok ? `TLS started: ${fact.protocol} ${fact.cipher}` : `TLS handshake failed: ${fact.error?.message}`);
  if (secure) conn.attachTls(secure);
  return { reply, ms: Math.round(performance.now() - t0), tls: fact, discardedBytes };
}
