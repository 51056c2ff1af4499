// One judge for explain too: a saved `explain --json` report replays (--replay) to the live verdict, findings and exit
// code, because explain's findings come from rules over what was read (facts.extra.explain), never from the reader.
// No lab needed: explain reads text only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { judgement, recordCodes } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('replay-explain');
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const PASTED = 'Error: Greeting never received (smtp.example.com port 587) for alice@example.org';

/** `explain … --json`, saved and replayed with `check --replay … --json`: both reports and exit codes. */
async function liveAndReplay(name: string, input: string) {
  const run = await runCli(['explain', input, '--json']);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, run.stdout);
  const replay = await runCli(['check', '--replay', file, '--json']);
  expect(replay.stderr).toBe('');
  return { live: JSON.parse(run.stdout) as Report, again: JSON.parse(replay.stdout) as Report, liveCode: run.code, replayCode: replay.code };
}

describe('replay equals live: explain', () => {
  const cases: [name: string, input: string, code: number | undefined][] = [
    ['pasted', PASTED, 1],
    ['dsn', `${fixtures}explain/dsn-multi.eml`, 1],
    ['received', `${fixtures}roundtrip-headers/lore-qemu-devel-m365-outbound-spam.eml`, undefined],
    ['unrecognized', 'hello, the weather is fine', 5],
  ];
  for (const [name, input, code] of cases) {
    it(`${name}: the saved report is judged again to the live verdict, findings and exit code`, async () => {
      const r = await liveAndReplay(name, input);
      recordCodes(r.again.findings);
      expect(r.again.command).toBe('explain');
      expect(r.again.target).toEqual(r.live.target);
      expect(judgement(r.again)).toEqual(judgement(r.live));
      expect(r.replayCode).toBe(r.liveCode);
      if (code !== undefined) expect(r.liveCode).toBe(code);
    });
  }

  it('the command to run next is made again from the server and port the text named', async () => {
    const r = await liveAndReplay('next', PASTED);
    expect(r.live.facts.extra.explain).toMatchObject({ host: 'smtp.example.com', port: 587, sender: 'alice@example.org' });
    expect(r.again.rootCause!.fix[0]).toBe('Next: run `sendcheck check --host smtp.example.com --port 587`.');
  });
});
