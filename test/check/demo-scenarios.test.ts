// The demo's showcase scenarios, each run in-process with the real engine: the cause it must name, and the facts
// that make it real (a kernel drop, a re-signed certificate, a rewritten EHLO, a reset after idling).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { startDroppingPort } from '../../src/lab/dropping-port.js';
import { DEMO_SCENARIOS, demoInput, startDemoProvider } from '../../src/lab/demo-scenarios.js';
import { serverTarget, type Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';

async function runScenario(id: string): Promise<{ report: Report; ms: number }> {
  const s = DEMO_SCENARIOS.find((x) => x.id === id)!;
  const provider = await startDemoProvider(s);
  const t0 = Date.now();
  try {
    return { report: await runCheck(demoInput(s, provider)), ms: Date.now() - t0 };
  } finally {
    await provider.close();
  }
}

describe('demo scenarios that show what no other tool does', () => {
  it('a full accept queue makes the kernel drop SYNs: a real timeout, no reset, no root', async () => {
    const dropped = await startDroppingPort();
    try {
      const t0 = Date.now();
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port: dropped.port });
        const timer = setTimeout(() => { s.destroy(); resolve('no answer'); }, 1500);
        s.once('connect', () => { clearTimeout(timer); s.destroy(); resolve('open'); });
        s.once('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); resolve(e.code ?? 'error'); });
      });
      expect(outcome).toBe('no answer');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    } finally {
      await dropped.close();
    }
  });

  it('dropped-port: port.filtered after one timeout, and the ports that work', async () => {
    const { report } = await runScenario('dropped-port');
    expect(rootCodeOf(report)).toBe('port.filtered');
    const c = report.facts.connects.find((x) => x.port === serverTarget(report)!.port)!;
    expect(c).toMatchObject({ outcome: 'filtered', errno: 'ETIMEDOUT' });
    expect(c.ms).toBeGreaterThanOrEqual(1900);
    expect(report.works.length).toBeGreaterThan(0);
  });

  it('antivirus-interception: the product named from the interception CA table', async () => {
    const { report, ms } = await runScenario('antivirus-interception');
    expect(rootCodeOf(report)).toBe('security-software.tls-interception');
    expect(report.rootCause!.title).toMatch(/^Avast .* intercepts the encrypted connection$/);
    expect(report.facts.session!.tls!.chain[0]!.issuerCN).toBe('Avast Web/Mail Shield Root');
    // No password was sent through the interceptor.
    expect(report.facts.session!.auth).toMatchObject({ attempted: false, notAttempted: 'certificate-invalid' });
    expect(ms).toBeLessThan(5000);
  });

  it('starttls-stripped: the EHLO keyword rewritten on the way, named with certainty', async () => {
    const { report, ms } = await runScenario('starttls-stripped');
    expect(rootCodeOf(report)).toBe('filter.starttls-stripped');
    expect(report.rootCause!.confidence).toBe('certain');
    expect(report.facts.session!.ehlo!.keywords).toContain('XXXXXXXA');
    expect(report.facts.session!.auth?.attempted).not.toBe(true);
    expect(ms).toBeLessThan(5000);
  });

  it('idle-cut: the hold test meets a reset after about a second of idling, no 421 from the server', async () => {
    const { report, ms } = await runScenario('idle-cut');
    expect(rootCodeOf(report)).toBeUndefined();
    expect(codesOf(report)).toContain('firewall.idle-cut');
    const hold = (report.facts.extra.network as { holds: { outcome: string; endedAfterMs?: number }[] }).holds[0]!;
    expect(hold.outcome).toBe('reset');
    expect(hold.endedAfterMs).toBeGreaterThan(800);
    expect(hold.endedAfterMs).toBeLessThan(1800);
    expect(ms).toBeLessThan(6000);
  });

  it('demo --list describes every scenario, the new ones included', async () => {
    const r = await runCli(['demo', '--list']);
    expect(r.code).toBe(0);
    for (const s of DEMO_SCENARIOS) expect(r.stdout).toMatch(new RegExp(`^${s.id} +${s.title.replace(/[()]/g, '\\$&')}: `, 'm'));
    for (const id of ['dropped-port', 'antivirus-interception', 'starttls-stripped', 'idle-cut']) expect(r.stdout).toContain(id);
  });
});
