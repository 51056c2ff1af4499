// `sendcheck demo`: runs the real engine against built-in faulty servers on loopback, so a newcomer sees a
// diagnosis with no network and no account.
import { runCheck } from '../engine.js';
import { ExitCode, UserError } from '../errors.js';
import { DEMO_SCENARIOS, demoInput, startDemoProvider } from '../lab/demo-scenarios.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import { closest } from './did-you-mean.js';
import { progressColor, reportColor, showProgress, type CliIo } from './io.js';
import { progressPrinter } from './progress.js';
import { parseCommandLine } from './options.js';
import { DEMO_SPEC } from './specs.js';

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(DEMO_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const { values, positionals } = args;
  if (values.list) {
    for (const s of DEMO_SCENARIOS) io.stdout(`${s.id.padEnd(28)} ${s.title}: ${s.story}\n`);
    io.stdout('\nNo round-trip demo: it needs an IMAP server, and no maintained library runs one in-process (see --help).\n');
    return ExitCode.ok;
  }
  const unknown = positionals.find((p) => !DEMO_SCENARIOS.some((s) => s.id === p));
  if (unknown !== undefined) {
    const guess = closest(unknown, DEMO_SCENARIOS.map((s) => s.id));
    throw new UserError('usage', `unknown demo scenario ${unknown.slice(0, 80)}${guess ? `: did you mean ${guess}?` : ' (see sendcheck demo --list)'}`);
  }
  const chosen = positionals.length ? DEMO_SCENARIOS.filter((s) => positionals.includes(s.id)) : DEMO_SCENARIOS;
  const color = reportColor(io, values);
  for (const s of chosen) {
    if (!values.json) io.stdout(`\n${'━'.repeat(72)}\nDemo: ${s.title} (${s.story})\n${'━'.repeat(72)}\n`);
    const provider = await startDemoProvider(s);
    const progress = showProgress(io, values) ? progressPrinter(io.stderr, { color: progressColor(io, values) }) : undefined;
    try {
      const report = await runCheck(demoInput(s, provider), { onProgress: progress?.onProgress });
      progress?.end();
      io.stdout(values.json ? renderJson(report, { pretty: false }) : renderTerminal(report, { color, verbose: values.verbose }));
    } finally {
      progress?.end();
      await provider.close();
    }
  }
  return ExitCode.ok;
}
