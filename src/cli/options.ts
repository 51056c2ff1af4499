// Command-line options declared once: each command's table gives parseArgs its config, `--help` / `--help-all`
// their text, shell completion its words, and a mistyped flag its "did you mean". One error wrapper for all commands.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { closest } from './did-you-mean.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in the help ("HOST"). */
  arg?: string;
  help: string;
  /** The help section this option is listed under. */
  group: string;
  /** Listed by the short `--help`; the rest only by `--help-all`. */
  essential?: boolean;
  /** What shell completion offers for the value: fixed words, or file names. */
  complete?: readonly string[] | 'file';
}

export type OptionTable = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S extends { multiple: true } ? string[] : string;
export type OptionValues<T extends OptionTable> = { [K in keyof T]?: ValueOf<T[K]> };

export interface CommandSpec<T extends OptionTable = OptionTable> {
  name: string;
  /** One line for the command list of `sendcheck --help`. */
  summary: string;
  usage: string[];
  description: string;
  options: T;
  /** Shown by the short help: `command    # what it does`. */
  examples: string[];
  footer?: string;
}

/** Every command has these. */
export const HELP_OPTIONS = {
  help: { type: 'boolean', short: 'h', help: 'the essential options and examples', group: 'Help', essential: true },
  'help-all': { type: 'boolean', help: 'every option', group: 'Help', essential: true },
} as const satisfies OptionTable;

export const EXIT_CODES = 'Exit codes: 0 nothing blocks sending, 1 sending is blocked, 4 mail leaves but receivers may junk or refuse\nsome (at risk), 2 bad usage or input, 3 internal error,\n5 (explain) nothing recognised in the text.';

export function defineCommand<T extends OptionTable>(spec: CommandSpec<T>): CommandSpec<T & typeof HELP_OPTIONS> {
  return { ...spec, options: { ...spec.options, ...HELP_OPTIONS } };
}

const flagName = (name: string, o: OptionSpec) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;

function optionLines(entries: [string, OptionSpec][]): string[] {
  const out: string[] = [];
  let group = '';
  const w = Math.min(28, Math.max(...entries.map(([n, o]) => flagName(n, o).length)));
  for (const [name, o] of entries) {
    if (o.group !== group) {
      group = o.group;
      out.push(`${group}:`);
    }
    const flag = flagName(name, o);
    const [first, ...more] = o.help.split('\n');
    out.push(flag.length > w ? `  ${flag}\n  ${' '.repeat(w)}  ${first}` : `  ${flag.padEnd(w)}  ${first}`);
    for (const m of more) out.push(`  ${' '.repeat(w)}  ${m}`);
  }
  return out;
}

/** The help text, generated from the table: the essentials and examples, or (all) every option by group. */
export function helpText(spec: CommandSpec, all: boolean): string {
  const entries = Object.entries(spec.options).filter(([, o]) => all || o.essential);
  // Grouped in the order each group first appears in the table.
  const order = [...new Set(Object.values(spec.options).map((o) => o.group))];
  entries.sort((a, b) => order.indexOf(a[1].group) - order.indexOf(b[1].group));
  const parts = [`Usage: ${spec.usage.join('\n       ')}`, spec.description, optionLines(entries).join('\n')];
  if (!all) {
    const hidden = Object.keys(spec.options).length - entries.length;
    parts.push(`Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
    if (hidden) parts.push(`${hidden} more options: sendcheck ${spec.name} --help-all`);
  }
  if (spec.footer) parts.push(spec.footer);
  return `${parts.join('\n\n')}\n`;
}

function parseArgsConfig(table: OptionTable) {
  return Object.fromEntries(Object.entries(table).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]));
}

/** A flag as typed, cut short (main.ts makes control characters visible when it prints the error). */
const printable = (s: string) => s.slice(0, 80);

/** parseArgs' error in a person's words, with the closest option when a flag was mistyped. */
function usageError(spec: CommandSpec, e: Error & { code?: string }): UserError {
  const see = `see sendcheck ${spec.name} --help`;
  const flag = /'(-[^' ]*)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const guess = closest(flag.replace(/^-+/, '').split('=')[0]!, Object.keys(spec.options));
    return new UserError('usage', `unknown option ${printable(flag)}${guess ? `: did you mean --${guess}?` : ` (${see})`}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    const name = flag.replace(/^-+/, '').split(/[ =]/)[0]!;
    const o = spec.options[name];
    if (o?.type === 'boolean') return new UserError('usage', `--${name} takes no value (${see})`);
    return new UserError('usage', `--${name} needs a value: --${name} ${o?.arg ?? 'VALUE'}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UserError('usage', `unexpected argument (${see})`);
  return new UserError('usage', `${printable(e.message.split('\n')[0]!)} (${see})`);
}

/**
 * argv → values and positionals of a command; prints the help and returns undefined for --help / --help-all.
 * Bad flags throw a one-line UserError (exit 2).
 */
export function parseCommandLine<T extends OptionTable>(spec: CommandSpec<T>, argv: string[], stdout: (s: string) => void): { values: OptionValues<T>; positionals: string[] } | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: parseArgsConfig(spec.options), allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(spec, e as Error);
  }
  const values = parsed.values as OptionValues<T> & { help?: boolean; 'help-all'?: boolean };
  if (values.help || values['help-all']) {
    stdout(helpText(spec, !!values['help-all']));
    return undefined;
  }
  return { values, positionals: parsed.positionals };
}
