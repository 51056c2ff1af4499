// The command table: each command is one module, loaded only when it runs (start-up time is part of every
// diagnosis: `check` should not pay for the domain audit's or the demo's libraries). The list of commands, their
// names, summaries and options is COMMAND_SPECS in specs.ts (completion reads it too); here each gets its loader.
import type { CliIo } from './io.js';
import type { CommandSpec } from './options.js';
import { COMMAND_SPECS } from './specs.js';

export interface Command {
  spec: CommandSpec;
  run(argv: string[], io: CliIo): Promise<number>;
}

type Run = Command['run'];

const LOADERS: Record<string, Run> = {
  check: async (a, io) => (await import('./check-command.js')).checkCommand(a, io),
  roundtrip: async (a, io) => (await import('./roundtrip-command.js')).roundtripCommand(a, io),
  domain: async (a, io) => (await import('./domain-command.js')).domainCommand(a, io),
  explain: async (a, io) => (await import('./explain-command.js')).explainCommand(a, io),
  serve: async (a, io) => (await import('./serve-command.js')).serveCommand(a, io),
  demo: async (a, io) => (await import('./demo-command.js')).demoCommand(a, io),
  exporter: async (a, io) => (await import('./exporter-command.js')).exporterCommand(a, io),
  completion: async (a, io) => (await import('./completion-command.js')).completionCommand(a, io),
};

export const COMMANDS: Command[] = COMMAND_SPECS.map((spec) => {
  const run = LOADERS[spec.name];
  // A spec without a module (or the reverse) is a bug every run would hit at once, not a silent gap in --help.
  if (!run) throw new Error(`command ${spec.name} has no module in cli/commands.ts`);
  return { spec, run };
});
if (Object.keys(LOADERS).length !== COMMANDS.length) throw new Error('cli/commands.ts loads a command that specs.ts does not declare');
