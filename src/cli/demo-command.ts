// `sendcheck demo`: runs the real engine against built-in faulty servers on loopback, so a newcomer sees a
// diagnosis with no network and no account.
import { runCheck } from '../engine.js';
import { ExitCode, UserError } from '../errors.js';
import { DEMO_SCENARIOS, demoInput, startDemoProvider } from '../lab/demo-scenarios.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import { reportColor, type CliIo } from './io.js';
import { parseCommandLine } from './options.js';
import { DEMO_SPEC } from './specs.js';

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(DEMO_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const { values, positionals } = args;
  if (values.list) {
    for (const s of DEMO_SCENARIOS) io.stdout(`${s.id.padEnd(28)} ${s.title}: ${s.story}\n`);
    return ExitCode.ok;
  }
  const unknown = positionals.filter((p) => !DEMO_SCENARIOS.some((s) => s.id === p));
  if (unknown.length) throw new UserError('usage', `unknown demo scenario ${unknown.join(', ')} (see sendcheck demo --list)`);
  const chosen = positionals.length ? DEMO_SCENARIOS.filter((s) => positionals.includes(s.id)) : DEMO_SCENARIOS;
  const color = reportColor(io, values);
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
