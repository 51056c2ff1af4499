// The tagged test message: plain, small, honest about what it is, and findable by one token in a header and the
// subject (some IMAP servers index only standard headers for SEARCH, so the subject is the fallback).
import { randomBytes } from 'node:crypto';
import type { TestMessage } from '../facts/types.js';

export const TOKEN_HEADER = 'X-Sendcheck-Token';

export function newToken(): string {
  return `sc-${randomBytes(10).toString('hex')}`;
}

/** RFC 5322 date-time in UTC, e.g. "Sat, 28 Nov 2026 12:00:00 +0000". */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** `date` is the run's clock (ctx.clock), the Date header's time. */
export function buildTestMessage(opts: { from: string; to: string; token?: string; date: Date }): TestMessage {
  const token = opts.token ?? newToken();
  const domain = opts.from.slice(opts.from.lastIndexOf('@') + 1);
  const messageId = `<${token}@${domain}>`;
  const subject = `sendcheck round-trip test ${token}`;
  const headers = [
    `From: <${opts.from}>`,
    `To: <${opts.to}>`,
    `Subject: ${subject}`,
    `Date: ${rfc5322Date(opts.date)}`,
    `Message-ID: ${messageId}`,
    `${TOKEN_HEADER}: ${token}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    'Auto-Submitted: auto-generated',
  ];
  const body = [
    'This message was sent by sendcheck to test that mail you send reaches your own mailbox.',
    'sendcheck deletes it as soon as it has read where it arrived and which headers the receiving server added.',
    'If you still see it, the check was interrupted or run with --keep: you can delete it.',
    '',
    `Test token: ${token}`,
  ];
  return { token, messageId, from: opts.from, to: opts.to, subject, wire: `${[...headers, '', ...body].join('\r\n')}\r\n` };
}
