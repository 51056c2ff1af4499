// --replay: a saved report judged again offline gives the same diagnosis; junk files are refused cleanly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('replay');

describe('check --replay', () => {
  it('re-diagnoses saved evidence without a network', async () => {
    for (const scenario of ['wrong-password', 'starttls-on-implicit-port', 'healthy']) {
      const live = await runCli(['demo', scenario, '--json']);
      const saved = join(dir, `${scenario}.json`);
      writeFileSync(saved, live.stdout);
      const original = JSON.parse(live.stdout) as Report;
      const replay = await runCli(['check', '--replay', saved, '--json']);
      const again = JSON.parse(replay.stdout) as Report;
      recordCodes(again.findings);
      expect(again.rootCause?.code).toBe(original.rootCause?.code);
      expect(again.findings.map((f) => f.code)).toEqual(original.findings.map((f) => f.code));
      expect(replay.code).toBe(original.verdict === 'blocked' ? 1 : 0);
    }
  });
  it('refuses files that are not reports', async () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const bin = join(dir, 'bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 255, 254]));
    for (const [file, re] of [[junk, /not a sendcheck check or domain report/], [bin, /not JSON/], [join(dir, 'missing'), /cannot read the file/]] as const) {
      const r = await runCli(['check', '--replay', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });
});
