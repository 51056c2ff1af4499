// `sendcheck exporter`: the Prometheus exporter (src/exporter/), on loopback unless --listen says otherwise.
import { ExitCode, UserError } from '../errors.js';
import { loadExporterConfig } from '../exporter/config.js';
import { startExporter, type Engine } from '../exporter/server.js';
import { check, domain, roundtrip } from '../index.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { EXPORTER_SPEC } from './specs.js';

export async function exporterCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(EXPORTER_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  if (args.positionals.length) throw new UserError('usage', 'exporter takes no arguments (see sendcheck exporter --help)');
  if (!args.values.config) throw new UserError('usage', 'exporter needs --config FILE (docs/monitoring.md)');
  const cfg = loadExporterConfig(args.values.config);
  const listen = args.values.listen ?? cfg.listen ?? '127.0.0.1:9825';
  if (!/^\[?[^\]]+\]?:\d{1,5}$/.test(listen)) throw new UserError('usage', `--listen ${listen}: expected HOST:PORT`);
  const engine = { check, roundtrip, domain } as unknown as Engine;
  const ex = await startExporter(cfg, engine, listen).catch((e: NodeJS.ErrnoException) => {
    throw new UserError('usage', `cannot listen on ${listen}: ${e.code ?? e.message}`);
  });
  io.stderr(`sendcheck exporter: ${ex.url}probe?module=…&target=… and ${ex.url}metrics  (${cfg.modules.size} modules; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await ex.close();
  return ExitCode.ok;
}
