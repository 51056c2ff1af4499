// Small helpers that turn facts into evidence lines, so every rule words them the same way.
import type { ConnectFact, SmtpReply, TlsFact } from '../facts/types.js';
import type { Evidence } from '../findings/types.js';

export function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function replyText(r: SmtpReply): string {
  return r.lines.join(' | ');
}

export function replyEvidence(what: string, r: SmtpReply, where?: string, ms?: number): Evidence {
  return { text: `${what}: ${replyText(r)}`, where, ms };
}

const OUTCOME_WORDS: Record<string, string> = {
  open: 'open',
  refused: 'connection refused',
  filtered: 'no answer (timed out)',
  unreachable: 'unreachable',
  reset: 'reset right after connect',
  closed: 'closed right after connect',
  error: 'local error',
};

export function connectEvidence(c: ConnectFact): Evidence {
  return { text: `TCP connect: ${OUTCOME_WORDS[c.outcome]}${c.errno ? ` (${c.errno})` : ''}`, where: endpoint(c.address, c.port), ms: c.ms };
}

export function tlsErrorEvidence(t: TlsFact): Evidence {
  const legacy = t.legacy?.protocol ? `; allowing old protocols, the server negotiates ${t.legacy.protocol} with ${t.legacy.cipher}` : '';
  return { text: `TLS handshake (${t.mode}) failed: ${t.error?.message ?? 'unknown'}${t.error?.code ? ` [${t.error.code}]` : ''}${legacy}`, where: endpoint(t.address, t.port), ms: t.ms };
}
