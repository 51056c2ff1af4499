// `sendcheck roundtrip`: `check --roundtrip` under its own name (same flags, same engine, same report).
import { ExitCode } from '../errors.js';
import { runCheckCommand } from './check-command.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { ROUNDTRIP_SPEC } from './specs.js';

export async function roundtripCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(ROUNDTRIP_SPEC, argv, io.stdout);
  return args ? runCheckCommand({ ...args.values, roundtrip: true }, args.positionals, io) : ExitCode.ok;
}
