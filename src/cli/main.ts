#!/usr/bin/env node
// sendcheck's command line: dispatches to a command, maps errors to the documented exit codes.
// A UserError is printed as one line; anything else is a bug (exit 3, with a hint to report it).
import { ExitCode, isUserError } from '../errors.js';
import { VERSION } from '../version.js';
import { visible } from '../report/visible.js';
import { COMMANDS } from './commands.js';
import { closest } from './did-you-mean.js';
import { EXIT_CODES, parseCommandLine } from './options.js';
import type { CliIo } from './io.js';

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return `sendcheck ${VERSION}: I can receive email, so why can't I send it?

Usage: sendcheck <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.spec.name.padEnd(w)}  ${c.spec.summary}`).join('\n')}

Examples:
  sendcheck check alice@example.com       # find the server, test it, name the cause and the fix
  sendcheck demo                           # see it diagnose built-in faulty servers (no network needed)

Run "sendcheck <command> --help" for a command's options ("--help-all" for every option).
${EXIT_CODES}
`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    // A double-click (no terminal) or a bare `sendcheck`: the person wants the page, not a usage text.
    if (io.isTTY) io.stderr('No command given: opening the sendcheck page in your browser (sendcheck --help lists the commands).\n');
    return COMMANDS.find((c) => c.spec.name === 'serve')!.run(['--open'], io);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const cmd = COMMANDS.find((c) => c.spec.name === name);
  if (!cmd) {
    const names = COMMANDS.map((c) => c.spec.name);
    const shown = visible(name.slice(0, 80));
    const guess = closest(name.replace(/^-+/, ''), names);
    const what = name.startsWith('-') ? `unknown option ${shown} before the command` : `unknown command "${shown}"`;
    io.stderr(`sendcheck: ${what}${guess ? `: did you mean ${guess}?` : ` (commands: ${names.join(', ')})`}\n`);
    return ExitCode.usage;
  }
  try {
    // Help needs only the option table (already loaded): answering here leaves the command's engine unloaded.
    if (rest.some((a) => a === '--help' || a === '-h' || a === '--help-all') && !parseCommandLine(cmd.spec, rest, io.stdout)) return ExitCode.ok;
    return await cmd.run(rest, io);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr(`sendcheck: ${visible(e.message)}\n`);
      return e.exitCode;
    }
    io.stderr(`sendcheck: internal error: ${visible(String((e as Error)?.message ?? e))}\nThis is a bug; please report it with the command you ran (without passwords).\n`);
    if (io.env.SENDCHECK_DEBUG) io.stderr(`${(e as Error)?.stack}\n`);
    return ExitCode.internal;
  }
}

const io: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  canPrompt: !!process.stdin.isTTY && !!process.stderr.isTTY,
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // Lingering sockets of a hostile server must not keep the process alive after the report.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e) => {
    process.stderr.write(`sendcheck: internal error: ${visible(String((e as Error)?.message))}\n`);
    process.exit(ExitCode.internal);
  },
);
