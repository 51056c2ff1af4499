#!/usr/bin/env node
// sendcheck's command line: dispatches to a command, maps errors to the documented exit codes.
// A UserError is printed as one line; anything else is a bug (exit 3, with a hint to report it).
import { ExitCode, isUserError } from '../errors.js';
import { VERSION } from '../version.js';
import { visible } from '../report/visible.js';
import type { CliIo } from './check-command.js';
import { COMMANDS } from './commands.js';

function help(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `sendcheck ${VERSION}: I can receive email, so why can't I send it?

Usage: sendcheck <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Run "sendcheck <command> --help" for a command's options.
Exit codes: 0 nothing blocks sending, 1 a blocker was found, 2 bad usage or input, 3 internal error.
`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`sendcheck: unknown command "${visible(name)}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return ExitCode.usage;
  }
  try {
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
  isTTY: !!process.stdout.isTTY && !!process.stdin.isTTY,
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
