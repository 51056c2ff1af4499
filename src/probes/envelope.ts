// envelope: MAIL FROM and RCPT TO without DATA, then RSET. Nothing is ever sent: we stop before the message.
import type { EnvelopeFact } from '../facts/types.js';
import type { SmtpConnection } from '../net/smtp-connection.js';
import type { Clock } from '../net/io.js';

export async function probeEnvelope(conn: SmtpConnection, from: string, to: string[], clock: Pick<Clock, 'monotonic'>): Promise<EnvelopeFact> {
  const t0 = clock.monotonic();
  const fact: EnvelopeFact = { kind: 'envelope', rcptTo: [], ms: 0 };
  let t = clock.monotonic();
  const mailReply = await conn.command(`MAIL FROM:<${from}>`);
  fact.mailFrom = { address: from, reply: mailReply, ms: Math.round(clock.monotonic() - t) };
  if (mailReply.code === 250) {
    for (const rcpt of to) {
      t = clock.monotonic();
      const r = await conn.command(`RCPT TO:<${rcpt}>`);
      fact.rcptTo.push({ address: rcpt, reply: r, ms: Math.round(clock.monotonic() - t) });
      if (r.code === 421) break;
    }
  }
  fact.ms = Math.round(clock.monotonic() - t0);
  return fact;
}
