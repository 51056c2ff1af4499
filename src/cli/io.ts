// What a command may touch of the process: its two output streams, the environment, and which streams are
// terminals. Colour and live progress are decided here, once, for every command.

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal: the report may be coloured. */
  isTTY: boolean;
  /** stderr is a terminal: live progress is shown there (whatever stdin is: --password-stdin shows it too). */
  stderrIsTTY?: boolean;
  /** stdin and stderr are terminals: a hidden password prompt is possible. */
  canPrompt?: boolean;
}

const set = (v: string | undefined) => v !== undefined && v !== '';

/** FORCE_COLOR (not "0"/"false") forces colour, as in Node; otherwise NO_COLOR or --no-color turns it off. */
function colorWanted(terminal: boolean, env: NodeJS.ProcessEnv, noColorFlag?: boolean): boolean {
  if (noColorFlag) return false;
  if (set(env.FORCE_COLOR)) return !/^(0|false)$/i.test(env.FORCE_COLOR!);
  if (set(env.NO_COLOR)) return false;
  return terminal && env.TERM !== 'dumb';
}

/** Colour for the report on stdout. */
export function reportColor(io: CliIo, values: { 'no-color'?: boolean }): boolean {
  return colorWanted(io.isTTY, io.env, values['no-color']);
}

/** Colour for the progress lines on stderr. */
export function progressColor(io: CliIo, values: { 'no-color'?: boolean }): boolean {
  return colorWanted(!!io.stderrIsTTY, io.env, values['no-color']);
}

/** Live progress only for a person watching a terminal, never mixed into --json. */
export function showProgress(io: CliIo, values: { json?: boolean }): boolean {
  return !!io.stderrIsTTY && !values.json && io.env.TERM !== 'dumb';
}
