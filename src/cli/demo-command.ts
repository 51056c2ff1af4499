// `sendcheck demo`: runs the real engine against built-in faulty servers on loopback, so a newcomer sees a
// diagnosis with no network and no account.
import { parseArgs } from 'node:util';
import { runCheck } from '../engine.js';
import { ExitCode, UserError } from '../errors.js';
import { DEMO_SCENARIOS, demoInput, startDemoProvider } from '../lab/demo-scenarios.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { CliIo } from './check-command.js';

const HELP = `Usage: sendcheck demo [SCENARIO...] [--list] [--json] [--verbose]

Starts small faulty mail servers on 127.0.0.1 and diagnoses each with the real engine.
Scenarios: ${DEMO_SCENARIOS.map((s) => s.id).join(', ')} (default: all).
`;

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { list: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UserError('usage', `${(e as Error).message.split('\n')[0]} (see sendcheck demo --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.ok;
  }
  if (values.list) {
    for (const s of DEMO_SCENARIOS) io.stdout(`${s.id.padEnd(28)} ${s.title}: ${s.story}\n`);
    return ExitCode.ok;
  }
  const unknown = positionals.filter((p) => !DEMO_SCENARIOS.some((s) => s.id === p));
  if (unknown.length) throw new UserError('usage', `unknown demo scenario ${unknown.join(', ')} (see sendcheck demo --list)`);
  const chosen = positionals.length ? DEMO_SCENARIOS.filter((s) => positionals.includes(s.id)) : DEMO_SCENARIOS;
  const color = io.isTTY && !values['no-color'] && !io.env.NO_COLOR;
  for (const s of chosen) {
    const provider = await startDemoProvider(s);
    try {
      const report = await runCheck(demoInput(s, provider));
      if (values.json) io.stdout(renderJson(report, { pretty: false }));
      else {
        io.stdout(`\n${'━'.repeat(72)}\nDemo: ${s.title} (${s.story})\n${'━'.repeat(72)}\n`);
        io.stdout(renderTerminal(report, { color, verbose: values.verbose }));
      }
    } finally {
      await provider.close();
    }
  }
  return ExitCode.ok;
}
