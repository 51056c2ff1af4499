// Typed user-facing errors and the documented exit codes. Anything that is not a UserError is a bug.

export const ExitCode = {
  /** The run finished: nothing blocks sending and nothing puts delivery at risk (warnings at most). */
  ok: 0,
  /** The run finished and found at least one blocker. */
  blocker: 1,
  /** Bad usage or bad input (flags, hostnames, files): nothing was checked. */
  usage: 2,
  /** A bug in sendcheck: please report it. */
  internal: 3,
  /** The run finished; nothing blocks sending, but receivers may junk or refuse some mail (verdict "at-risk"). */
  atRisk: 4,
  /** `explain` only: the text held no SMTP reply, status code, bounce or known client error (verdict "unrecognized"). */
  unrecognized: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type UserErrorCode =
  | 'usage'
  | 'invalid-host'
  | 'invalid-port'
  | 'invalid-url'
  | 'invalid-address'
  | 'invalid-value'
  | 'injection'
  | 'file-unreadable'
  | 'file-too-large'
  | 'unsupported-format';

/** An error caused by what the user gave us; the CLI prints `message` as one line and exits with `exitCode`. */
export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly exitCode: ExitCode;
  constructor(code: UserErrorCode, message: string, exitCode: ExitCode = ExitCode.usage) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
