// `sendcheck serve`: the local web page, on loopback only.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { validatePort, validateResolver } from '../input/validate.js';
import { startUiServer } from '../ui/server.js';
import type { CliIo } from './check-command.js';

const HELP = `Usage: sendcheck serve [--port PORT] [--ca FILE] [--resolver IP[:PORT]]

Serves the sendcheck page on http://127.0.0.1:PORT/ (default 8025): the same checks as the CLI, in a browser.
It listens on loopback only and answers only requests addressed to a loopback name.
`;

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, ca: { type: 'string', multiple: true }, resolver: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new UserError('usage', `${(e as Error).message.split('\n')[0]} (see sendcheck serve --help)`);
  }
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.ok;
  }
  const ca = (values.ca ?? []).map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      throw new UserError('file-unreadable', `--ca ${f}: cannot read the file`);
    }
  });
  const ui = await startUiServer({ port: values.port !== undefined ? validatePort(values.port) : 8025, ca, resolvers: (values.resolver ?? []).map(validateResolver) }).catch((e: NodeJS.ErrnoException) => {
    throw new UserError('usage', `cannot listen: ${e.code ?? e.message} (try another --port)`);
  });
  io.stdout(`sendcheck page: ${ui.url}  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await ui.close();
  return ExitCode.ok;
}
