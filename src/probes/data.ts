// DATA with a real message: only for the round trip, only after MAIL FROM and RCPT TO were accepted, and only
// the tagged test message the user asked for (sendcheck check on its own never sends a message).
import type { DataFact, SmtpReply, TestMessage } from '../facts/types.js';
import type { SmtpConnection } from '../net/smtp-connection.js';
import type { Clock } from '../net/io.js';

/** RFC 5321 4.5.3.2.6 lets a server take minutes after the final "."; content scanners do. Bounded by the run's deadline. */
export const END_OF_DATA_MIN_TIMEOUT_MS = 30_000;

/** RFC 5321 4.5.2: a line starting with "." gets one more; the caller adds the final ".". */
export function dotStuff(wire: string): string {
  return wire.replace(/(^|\r\n)\./g, '$1..');
}

const QUEUE_ID_PATTERNS: RegExp[] = [
  /queued as ([0-9A-Za-z]{5,})/i, // Postfix: "250 2.0.0 Ok: queued as 4Xb1Zq0dJrz9"
  /\bid=([0-9A-Za-z]{6}-[0-9A-Za-z]{6,}-[0-9A-Za-z]{2,4})/, // Exim: "250 OK id=1tGk7a-0004Zq-1x"
  /\[InternalId=(\d+)/, // Microsoft 365 / Exchange: "250 2.6.0 <…> [InternalId=123, Hostname=…] Queued mail for delivery"
  /OK\s+\d+\s+(\S+)\s+-\s+gsmtp/, // Gmail: "250 2.0.0 OK  1732790000 a640c23a62f3a-…  - gsmtp"
  /^([0-9A-Za-z]{8,}) Message accepted for delivery/m, // Sendmail: "250 2.0.0 4ASC1abc012345 Message accepted for delivery"
  /\bqp (\d+)/, // qmail: "250 ok 1732790000 qp 12345"
  /\b(?:queue id|message id|msgid|id)[:= ]+<?([A-Za-z0-9._@-]{6,})>?/i,
];

export function parseQueueId(reply: SmtpReply): string | undefined {
  for (const re of QUEUE_ID_PATTERNS) {
    const m = re.exec(reply.text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** Sends the message after DATA; `clock` is the run's (ctx.clock): it times the exchange and stamps acceptedAt. */
export async function sendTestMessage(conn: SmtpConnection, message: TestMessage, timeoutMs: number, clock: Pick<Clock, 'now' | 'monotonic'>): Promise<DataFact> {
  const t0 = clock.monotonic();
  const start = await conn.command('DATA');
  const bytes = Buffer.byteLength(message.wire);
  if (start.code !== 354) return { start, accepted: false, bytes, ms: Math.round(clock.monotonic() - t0) };
  const end = await conn.sendBody(dotStuff(message.wire), `(test message: ${bytes} bytes, Subject: ${message.subject})`, Math.max(timeoutMs, END_OF_DATA_MIN_TIMEOUT_MS));
  const accepted = end.code >= 200 && end.code < 300;
  return {
    start, end, accepted, bytes,
    queueId: accepted ? parseQueueId(end) : undefined,
    acceptedAt: accepted ? new Date(clock.now()).toISOString() : undefined,
    ms: Math.round(clock.monotonic() - t0),
  };
}
