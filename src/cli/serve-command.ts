// `sendcheck serve`: the local web page, on loopback only.
import { readCaFile } from '../input/read-bounded.js';
import { LIMITS } from '../net/limits.js';
import { ExitCode, UserError } from '../errors.js';
import { validatePort, validateResolver } from '../input/validate.js';
import { startUiServer } from '../ui/server.js';
import { openInBrowser } from './open-browser.js';
import type { CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { SERVE_SPEC } from './specs.js';

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(SERVE_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  if (args.positionals.length) throw new UserError('usage', `serve takes no arguments; got ${args.positionals.join(' ').slice(0, 80)} (see sendcheck serve --help)`);
  const { values } = args;
  const ca = (values.ca ?? []).map((f) => readCaFile(f, LIMITS.maxCaBytes));
  const resolvers = (values.resolver ?? []).map(validateResolver);
  const listen = (port: number) => startUiServer({ port, ca, resolvers });
  // Without --port, a busy 8025 (a second copy, another tool) is no reason to fail a double-click: any free port does.
  const ui = await (values.port !== undefined ? listen(validatePort(values.port)) : listen(8025).catch(() => listen(0))).catch((e: NodeJS.ErrnoException) => {
    throw new UserError('usage', `cannot listen: ${e.code ?? e.message} (try another --port)`);
  });
  io.stdout(`sendcheck page: ${ui.url}  (Ctrl-C${io.isTTY ? '' : ' or closing this window'} stops it)\n`);
  if (values.open && !(await openInBrowser(ui.url))) io.stdout(`Open ${ui.url} in your browser.\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await ui.close();
  return ExitCode.ok;
}
