// The command table: each command is one module, loaded only when it runs (start-up time is part of every
// diagnosis: `check` should not pay for the domain audit's or the demo's libraries). Names, summaries and options
// come from specs.ts; add a new command there and here.
import type { CliIo } from './io.js';
import type { CommandSpec } from './options.js';
import { CHECK_SPEC, COMPLETION_SPEC, DEMO_SPEC, DOMAIN_SPEC, EXPLAIN_SPEC, EXPORTER_SPEC, ROUNDTRIP_SPEC, SERVE_SPEC } from './specs.js';

export interface Command {
  spec: CommandSpec;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Command[] = [
  { spec: CHECK_SPEC, run: async (a, io) => (await import('./check-command.js')).checkCommand(a, io) },
  { spec: ROUNDTRIP_SPEC, run: async (a, io) => (await import('./roundtrip-command.js')).roundtripCommand(a, io) },
  { spec: DOMAIN_SPEC, run: async (a, io) => (await import('./domain-command.js')).domainCommand(a, io) },
  { spec: EXPLAIN_SPEC, run: async (a, io) => (await import('./explain-command.js')).explainCommand(a, io) },
  { spec: SERVE_SPEC, run: async (a, io) => (await import('./serve-command.js')).serveCommand(a, io) },
  { spec: DEMO_SPEC, run: async (a, io) => (await import('./demo-command.js')).demoCommand(a, io) },
  { spec: EXPORTER_SPEC, run: async (a, io) => (await import('./exporter-command.js')).exporterCommand(a, io) },
  { spec: COMPLETION_SPEC, run: async (a, io) => (await import('./completion-command.js')).completionCommand(a, io) },
];
