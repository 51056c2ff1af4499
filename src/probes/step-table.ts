// An SMTP conversation written as a table: an ordered list of steps, each saying when it applies, what it does, what
// it records and whether it ends the conversation, run by one small loop. The configured session (session-steps.ts)
// and the port sweep (speak.ts) are such tables; the steps they share with each other and with the network probe's
// conversations (greeting, EHLO with the HELO fallback, STARTTLS with the handshake, EHLO after TLS) run the same
// functions (smtp-steps.ts), so each conversation differs only in what it records and where it stops.

/** How a step ends the conversation: QUIT politely, drop the connection (after a 421, or a failed handshake on a
 *  connection that can no longer speak SMTP), or stop (nothing is left to close). */
export type Ending = 'quit' | 'drop' | 'stop';

/** What the loop needs from a conversation's state: where it is, so an I/O failure is attributed to its step. */
export interface StepState<N extends string> {
  at: N;
}

export interface Step<S, N extends string, R = unknown> {
  name: N;
  /** Whether the step runs in this conversation (absent: always). */
  applies?: (s: S) => boolean;
  /** The step's I/O. May throw SmtpIoError: the conversation turns it into data, attributed to this step. */
  run: (s: S) => Promise<R>;
  /** What the step's result adds to the conversation's fact. */
  record?: (s: S, r: R) => void;
  /** Whether the result ends the conversation, and how (absent or undefined: go on to the next step). */
  ends?: (s: S, r: R) => Ending | undefined;
}

/** Declares one step; the result's type stays inside it, so steps with different results fit in one table. */
export function defineStep<S, N extends string, R>(step: Step<S, N, R>): Step<S, N> {
  return step as unknown as Step<S, N>;
}

/** Runs the table in order until a step ends the conversation; returns how it ended (undefined: the table ran out). */
export async function runSteps<S extends StepState<N>, N extends string>(table: readonly Step<S, N>[], s: S): Promise<Ending | undefined> {
  for (const step of table) {
    if (step.applies && !step.applies(s)) continue;
    s.at = step.name;
    const result = await step.run(s);
    step.record?.(s, result);
    const ending = step.ends?.(s, result);
    if (ending) return ending;
  }
  return undefined;
}
