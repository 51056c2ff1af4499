// The probe graph's scheduler on tiny fake nodes: independent nodes overlap, a node starts once its needs are in and
// gets their data, a failed or skipped need skips its dependents (saying why), a node that throws becomes a probe
// error instead of a rejected run. And end to end: a core probe that crashes gives internal.probe-error, not exit 3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/facts/types.js';
import type { ProbeContext, ProgressEvent } from '../../src/probes/context.js';
import { runProbeGraph, validateNodes } from '../../src/probes/graph.js';
import { systemClock } from '../../src/net/io.js';
import { defineProbe, ok, type AnyProbeNode } from '../../src/probes/probe.js';
import { runCheck } from '../../src/engine.js';
import { exitCodeOfVerdict } from '../../src/report/verdict.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startRawServer, startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { codesOf } from '../helpers/findings.js';

const target = { host: 'smtp.example.test' } as never;

function fakeContext(): { ctx: ProbeContext; events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { ctx: { target, clock: systemClock, progress: (e: ProgressEvent) => events.push(e) } as unknown as ProbeContext, events };
}

/** A node that waits for `release` before it ends; `log` records when each node starts and ends. */
function gatedNode(name: string, log: string[], release: Promise<void>, needs: string[] = []): AnyProbeNode {
  return defineProbe({
    name, needs, applies: () => true,
    async run() {
      log.push(`start ${name}`);
      await release;
      log.push(`end ${name}`);
      return ok(name);
    },
  });
}

const constant = (name: string, result: ProbeResult<unknown>, needs: string[] = []): AnyProbeNode =>
  defineProbe({ name, needs, applies: () => true, run: async () => result });

describe('probe graph', () => {
  it('starts independent nodes before either ends, and a dependent only once its need is done', async () => {
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const { ctx } = fakeContext();
    const run = runProbeGraph([gatedNode('a', log, gate), gatedNode('b', log, gate), gatedNode('c', log, Promise.resolve(), ['a'])], ctx);
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['start a', 'start b']);
    open();
    const g = await run;
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end a'));
    expect([...g.results.values()].map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('passes what a node needs as its data, and a later result as a promise', async () => {
    const seen: unknown[] = [];
    const user = defineProbe<number, { count: number; label: string }, { late: string }>({
      name: 'user', needs: ['count', 'label'], later: ['late'], applies: () => true,
      async run(_ctx, { count, label }, later) {
        seen.push(count, label, await later.late);
        return ok(count + 1);
      },
    });
    const g = await runProbeGraph([user, constant('count', ok(41)), constant('label', ok('x')), constant('late', ok('afterwards'))], fakeContext().ctx);
    expect(seen).toEqual([41, 'x', 'afterwards']);
    expect(g.results.get('user')).toEqual({ status: 'ok', data: 42 });
  });

  it('skips the dependents of a failed, skipped or absent need, saying why, unless the node tolerates it', async () => {
    const failed = constant('dns', { status: 'failed', data: 'partial', error: { code: 'NXDOMAIN', step: 'resolve', message: 'no such name' } });
    const notApplicable = defineProbe({ name: 'optional', needs: [], applies: () => false, run: async () => ok(1) });
    const tolerant = defineProbe<string, { dns?: string; optional?: number; missing?: number }>({
      name: 'tolerant', needs: ['dns', 'optional', 'missing'], tolerates: ['dns', 'optional', 'missing'], applies: () => true,
      run: async (_ctx, n) => ok(`${n.dns}/${n.optional}/${n.missing}`),
    });
    const { ctx, events } = fakeContext();
    const g = await runProbeGraph([failed, notApplicable, constant('connect', ok(1), ['dns']), constant('extra', ok(1), ['optional']), constant('orphan', ok(1), ['missing']), tolerant], ctx);
    expect(g.results.get('connect')).toEqual({ status: 'skipped', reason: 'dns failed: no such name' });
    expect(g.results.get('extra')).toEqual({ status: 'skipped', reason: 'optional was skipped: does not apply to this check' });
    expect(g.results.get('orphan')).toEqual({ status: 'skipped', reason: 'missing was skipped: no missing probe in this run' });
    expect(g.results.get('tolerant')).toEqual({ status: 'ok', data: 'partial/undefined/undefined' });
    expect(events.filter((e) => e.type === 'probe-end').map((e) => `${(e as { probe: string }).probe}:${(e as { status: string }).status}`))
      .toEqual(expect.arrayContaining(['dns:failed', 'connect:skipped', 'tolerant:ok']));
    // A skipped node never announces a start; a node that does not apply says nothing at all.
    expect(events.some((e) => e.type === 'probe-start' && e.probe === 'connect')).toBe(false);
    expect(events.some((e) => 'probe' in e && e.probe === 'optional')).toBe(false);
    expect(g.probeErrors).toEqual([]);
  });

  it('a node that throws becomes a probe error; its dependents are skipped; the others finish', async () => {
    const broken = defineProbe({ name: 'broken', needs: [], applies: () => true, run: async () => { throw new Error('boom'); } });
    const { ctx, events } = fakeContext();
    const g = await runProbeGraph([broken, constant('after', ok(1), ['broken']), constant('aside', ok(2))], ctx);
    expect(g.probeErrors).toEqual([{ probe: 'probe broken', message: 'boom' }]);
    expect(g.results.get('broken')?.status).toBe('failed');
    expect(g.results.get('after')).toEqual({ status: 'skipped', reason: 'broken failed: boom' });
    expect(g.results.get('aside')).toEqual({ status: 'ok', data: 2 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'probe-end', probe: 'broken', status: 'failed' }));
  });

  it('times each node that runs on the run\'s clock: probe-start, then probe-end with its status and milliseconds', async () => {
    let now = 1000;
    const slow = defineProbe({ name: 'slow', needs: [], applies: () => true, detail: () => 'host', run: async () => { now += 250; return ok(1); } });
    const { ctx, events } = fakeContext();
    await runProbeGraph([slow], { ...ctx, clock: { ...ctx.clock, now: () => now, monotonic: () => now } });
    expect(events).toEqual([{ type: 'probe-start', probe: 'slow', detail: 'host' }, { type: 'probe-end', probe: 'slow', status: 'ok', ms: 250, detail: 'host' }]);
  });

  it('a malformed list (a cycle, a name twice) is a bug, refused before anything runs', async () => {
    const { ctx } = fakeContext();
    await expect(runProbeGraph([constant('a', ok(1), ['b']), constant('b', ok(1), ['a'])], ctx)).rejects.toThrow(/cycle a → b → a/);
    await expect(runProbeGraph([constant('a', ok(1)), constant('a', ok(1))], ctx)).rejects.toThrow(/share a name/);
  });

  it('validates only the nodes that apply', () => {
    const bad = (applies: boolean) => defineProbe({ name: 'v', needs: [], applies: () => applies, validate: () => { throw new Error('bad option'); }, run: async () => ok(1) });
    expect(() => validateNodes([bad(false)], target)).not.toThrow();
    expect(() => validateNodes([bad(true)], target)).toThrow('bad option');
  });
});

describe('a crashing core probe, end to end', () => {
  let s: RunningServer;
  beforeAll(async () => { s = await startScriptedSmtp({ mode: 'starttls' }); });
  afterAll(async () => { await s.close(); });

  it('the session probe throws: internal.probe-error and the sweep\'s findings, never a rejected run (exit 3)', async () => {
    const crashSession = (probes: AnyProbeNode[]) => probes.map((p) => (p.name === 'session' ? { ...p, run: async () => { throw new Error('session bug'); } } : p));
    const r = await runCheck({ host: '127.0.0.1', port: s.port, sweepPorts: [s.port], ca: [demoCaPem()], timeoutMs: 2000, options: { network: { noReference: true }, domain: false } }, {}, crashSession);
    expect(codesOf(r)).toContain('internal.probe-error');
    expect(r.findings.find((f) => f.code === 'internal.probe-error')?.evidence[0]?.text).toBe('probe session failed: session bug');
    expect(r.facts.session).toBeUndefined();
    expect(r.facts.connects.map((c) => c.outcome)).toEqual(['open']);
    // Judged like any other run (the crash is a warning finding), where a rejected run would have exited 3.
    expect(r.verdict).toBe('warnings');
    expect(exitCodeOfVerdict(r.verdict)).toBe(0);
  });

  it('the resolve probe throws: what needs it is skipped, the report still comes', async () => {
    const crashResolve = (probes: AnyProbeNode[]) => probes.map((p) => (p.name === 'resolve' ? { ...p, run: async () => { throw new Error('resolver bug'); } } : p));
    const r = await runCheck({ host: '127.0.0.1', port: s.port, sweepPorts: [s.port], timeoutMs: 2000, options: { network: { noReference: true }, domain: false } }, {}, crashResolve);
    expect(r.findings.find((f) => f.code === 'internal.probe-error')?.evidence[0]?.text).toBe('probe resolve failed: resolver bug');
    expect(r.facts.connects).toEqual([]);
  });

  it('the round trip takes the working path when the configured session broke before any login, in that order', async () => {
    const smtp = await startScriptedSmtp({ mode: 'starttls', user: 'me@demo.test', password: 'pw' });
    const imap = await startRawServer('close-at-once');
    try {
      const events: ProgressEvent[] = [];
      // SSL/TLS configured on a STARTTLS port: the configured session ends at TLS; the sweep saw STARTTLS work there.
      const r = await runCheck({
        host: '127.0.0.1', port: smtp.port, security: 'implicit-tls', sweepPorts: [], ca: [demoCaPem()], timeoutMs: 2000, user: 'me@demo.test', password: 'pw',
        options: { roundtrip: { imap: `127.0.0.1:${imap.port}`, imapSecurity: 'starttls', waitSeconds: 5 }, domain: false, network: { noReference: true } },
      }, { onProgress: (e) => events.push(e) });
      expect(r.facts.session?.error?.step).toBe('tls');
      expect(r.facts.roundtrip?.via).toMatchObject({ port: smtp.port, security: 'starttls', address: '127.0.0.1' });
      expect(r.facts.roundtrip?.via?.session.auth?.accepted).toBe(true);
      const starts = events.flatMap((e) => (e.type === 'probe-start' ? [`${e.probe}${e.detail ? ` ${e.detail}` : ''}`] : []));
      expect(starts.indexOf(`roundtrip-session 127.0.0.1:${smtp.port}`)).toBeGreaterThan(starts.indexOf('session'));
      expect(starts.indexOf('roundtrip')).toBeGreaterThan(starts.indexOf(`roundtrip-session 127.0.0.1:${smtp.port}`));
    } finally {
      await Promise.all([smtp.close(), imap.close()]);
    }
  }, 30_000);
});
