// One judge: findings of discovery and of crashed probes come from rules over saved facts, so a saved report replays
// to the live verdict, findings and exit code (issue 11 item 13). Discovery with DNS that does not answer says so
// instead of "no server found [certain]" (issue 11 item 9). Lab Knot (127.0.0.30) serves disc.test and refuses other zones.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf, judgement } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const lab = loadLabEnv();
const DNS = `${lab.dns.server}:${lab.dns.port}`;
const dir = tempDir('replay-judge');

/** Runs the CLI with --json, saves the report, replays it with --replay --json: both reports and exit codes. */
async function liveAndReplay(name: string, args: string[]): Promise<{ live: Report; again: Report; liveCode: number | null; replayCode: number | null }> {
  const run = await runCli([...args, '--json'], { env: { SENDCHECK_PASSWORD: '' } });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, run.stdout);
  const replay = await runCli(['check', '--replay', file, '--json']);
  return { live: JSON.parse(run.stdout) as Report, again: JSON.parse(replay.stdout) as Report, liveCode: run.code, replayCode: replay.code };
}

describe('replay equals live', () => {
  it('discovery.no-server-found: blocked, exit 1, live and replayed', async () => {
    const r = await liveAndReplay('none', ['check', 'bob@none.disc.test', '--resolver', DNS, '--no-autoconfig', '--timeout', '2']);
    expect(codesOf(r.live)).toEqual(['discovery.no-server-found']);
    expect(r.again.verdict).toBe('blocked');
    expect(judgement(r.again)).toEqual(judgement(r.live));
    expect([r.liveCode, r.replayCode]).toEqual([1, 1]);
  });

  it('config.differs-from-discovered survives the replay', async () => {
    const r = await liveAndReplay('differs', ['check', 'alice@lab.disc.test', '--host', lab.smtpName, '--port', '587', '--security', 'implicit-tls', '--resolver', DNS, '--ca', lab.caFile, '--ports', '587', '--no-reference', '--no-autoconfig', '--timeout', '2']);
    expect(codesOf(r.again)).toContain('config.differs-from-discovered');
    expect(judgement(r.again)).toEqual(judgement(r.live));
    expect(r.replayCode).toBe(r.liveCode);
  });

  it('a domain report replays too', async () => {
    const r = await liveAndReplay('domain', ['domain', 'twospf.dom.test', '--resolver', DNS, '--ip', '127.0.0.42', '--no-default-blocklists', '--no-propagation', '--timeout', '2']);
    expect(codesOf(r.again)).toContain('dns.spf-multiple');
    expect(judgement(r.again)).toEqual(judgement(r.live));
    expect([r.liveCode, r.replayCode]).toEqual([4, 4]);
  });

  it('a crashed probe is a fact: the replay shows internal.probe-error again', async () => {
    const { replayReport } = await import('../../src/replay.js');
    const { runCheck } = await import('../../src/engine.js');
    // A real report of a port where nothing listens, with a crash recorded the way the engine records one.
    const live = await runCheck({ host: '127.0.0.1', port: 9, sweepPorts: [9], timeoutMs: 500, options: { network: { noReference: true } } });
    const saved = JSON.parse(JSON.stringify(live)) as Report;
    saved.facts.probeErrors = [{ probe: 'probe network', message: 'boom' }];
    const again = replayReport(saved);
    expect(codesOf(again)).toContain('internal.probe-error');
    expect(again.findings.find((f) => f.code === 'internal.probe-error')!.evidence[0]!.text).toBe('probe network failed: boom');
  });
});

describe('discovery with DNS that does not answer', () => {
  it('the resolver refuses: discovery.dns-failed (likely), never "no server found [certain]"', async () => {
    const r = await liveAndReplay('refused', ['check', 'bob@elsewhere.example', '--resolver', DNS, '--no-autoconfig', '--timeout', '2']);
    expect(codesOf(r.live)).toEqual(['discovery.dns-failed']);
    expect(r.live.rootCause).toMatchObject({ confidence: 'likely', category: 'dns' });
    expect(r.live.rootCause!.evidence.map((e) => e.text)).toContain('MX elsewhere.example: REFUSED');
    expect(judgement(r.again)).toEqual(judgement(r.live));
  });
  it('no resolver listens: the same, with the socket error named', async () => {
    const r = await runCli(['check', 'bob@elsewhere.example', '--resolver', '127.0.0.1:9', '--no-autoconfig', '--timeout', '1', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(codesOf(report)).toEqual(['discovery.dns-failed']);
    expect(report.rootCause!.evidence[0]!.text).toMatch(/ECONNREFUSED/);
    expect(r.code).toBe(1);
  });
});
