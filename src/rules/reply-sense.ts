// Which reply codes make sense at which step of an SMTP conversation (RFC 5321 §4.2, §4.3.2; RFC 3207; RFC 4954).
// A reply outside them (a 250 greeting, a 999, a 354 to RCPT) comes from a broken or hostile server: it says nothing
// about firewalls, spam filters or the user's settings, so it must not be read as if it did.
import type { SessionFact, SmtpReply } from '../facts/types.js';

export type ReplyStep = 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt';

/** The positive codes each step may answer with; 4yz and 5yz (a refusal) always make sense. */
const POSITIVE: Record<ReplyStep, readonly number[]> = {
  greeting: [220],
  ehlo: [250],
  starttls: [220],
  auth: [235],
  mail: [250],
  rcpt: [250, 251, 252],
};

/** RFC 5321 §4.2: the first digit 2-5, the second 0-5. */
export function isWellFormedCode(code: number): boolean {
  return Number.isInteger(code) && code >= 200 && code <= 559 && Math.floor(code / 10) % 10 <= 5;
}

export function replyMakesSense(step: ReplyStep, code: number): boolean {
  if (!isWellFormedCode(code)) return false;
  return code >= 400 || POSITIVE[step].includes(code);
}

/** What the step may answer, in words, for evidence. */
export function expectedReplies(step: ReplyStep): string {
  return `at ${step === 'ehlo' ? 'EHLO' : step === 'mail' ? 'MAIL FROM' : step === 'rcpt' ? 'RCPT TO' : step.toUpperCase()} SMTP allows ${POSITIVE[step].join(', ')} or a 4yz/5yz refusal`;
}

export interface OddReply {
  step: ReplyStep;
  command: string;
  reply: SmtpReply;
}

/** The first reply of the session, in conversation order, that makes no sense at its step. */
export function firstOddReply(s: SessionFact): OddReply | undefined {
  const seen: [ReplyStep, string, SmtpReply | undefined][] = [
    ['greeting', 'greeting', s.greeting?.reply],
    ['ehlo', s.ehlo?.heloFallback ? 'HELO' : 'EHLO', s.ehlo?.reply],
    ['starttls', 'STARTTLS', s.steps.find((x) => x.step === 'starttls')?.reply],
    ['ehlo', 'EHLO (after STARTTLS)', s.ehloAfterTls?.reply],
    ['auth', `AUTH ${s.auth?.mechanism ?? ''}`.trim(), s.auth?.attempted ? s.auth.reply : undefined],
    ['mail', `MAIL FROM:<${s.envelope?.mailFrom?.address ?? ''}>`, s.envelope?.mailFrom?.reply],
    ...(s.envelope?.rcptTo ?? []).map((r): [ReplyStep, string, SmtpReply] => ['rcpt', `RCPT TO:<${r.address}>`, r.reply]),
  ];
  for (const [step, command, reply] of seen) {
    if (reply && !replyMakesSense(step, reply.code)) return { step, command, reply };
  }
  return undefined;
}
