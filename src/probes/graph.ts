// The probe graph's scheduler: starts every node as soon as the nodes it needs are done (independent ones run
// concurrently), skips a node whose needs failed or were skipped (saying why), times each one for the progress
// events, and turns a node that throws (a bug, never a network outcome) into a probe error, so one broken probe
// costs only what depends on it, never the run.
import type { ProbeErrorFact, ProbeResult } from '../facts/types.js';
import type { Target } from '../input/target.js';
import type { ProbeContext } from './context.js';
import { dataOf, type AnyProbeNode } from './probe.js';

export interface GraphRun {
  /** Every node's result, by name (a node that does not apply is skipped). */
  results: ReadonlyMap<string, ProbeResult<unknown>>;
  /** The nodes that threw, as Facts.probeErrors holds them (each becomes internal.probe-error). */
  probeErrors: ProbeErrorFact[];
}

type ResultOf = (name: string) => Promise<ProbeResult<unknown>>;

const skipped = (reason: string): ProbeResult<never> => ({ status: 'skipped', reason });

/** Checks every applicable node's options before anything runs: bad input is the caller's (UserError, exit 2). */
export function validateNodes(nodes: readonly AnyProbeNode[], target: Target): void {
  for (const n of nodes) if (n.applies(target)) n.validate?.(target);
}

/** Runs the nodes; resolves when every node has a result. Rejects only for a malformed graph (a bug in the list). */
export async function runProbeGraph(nodes: readonly AnyProbeNode[], ctx: ProbeContext): Promise<GraphRun> {
  assertWellFormed(nodes);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const results = new Map<string, Promise<ProbeResult<unknown>>>();
  const probeErrors: ProbeErrorFact[] = [];
  // Each node starts on first demand, once: a need or a later result asked for before the node's own turn.
  const resultOf: ResultOf = (name) => {
    let r = results.get(name);
    if (!r) {
      const node = byName.get(name);
      r = node ? settle(node, ctx, resultOf, probeErrors) : Promise.resolve(skipped(`no ${name} probe in this run`));
      results.set(name, r);
    }
    return r;
  };
  const all = await Promise.all(nodes.map(async (n) => [n.name, await resultOf(n.name)] as const));
  return { results: new Map(all), probeErrors };
}

/** Why a node cannot run without `name`'s result. */
function missingBecause(name: string, r: ProbeResult<unknown>): string {
  return r.status === 'failed' ? `${name} failed: ${r.error.message}` : `${name} was skipped: ${r.status === 'skipped' ? r.reason : ''}`;
}

async function settle(node: AnyProbeNode, ctx: ProbeContext, resultOf: ResultOf, probeErrors: ProbeErrorFact[]): Promise<ProbeResult<unknown>> {
  let since = ctx.clock.monotonic();
  let detail: string | undefined;
  const end = (status: 'ok' | 'failed' | 'skipped') => ctx.progress({ type: 'probe-end', probe: node.name, status, ms: Math.round(ctx.clock.monotonic() - since), detail });
  try {
    if (!node.applies(ctx.target)) return skipped('does not apply to this check');
    const got = await Promise.all(node.needs.map(async (name) => ({ name, result: await resultOf(name) })));
    const blocker = got.find((g) => g.result.status !== 'ok' && !node.tolerates?.includes(g.name));
    const needs = Object.fromEntries(got.map((g) => [g.name, dataOf(g.result)])) as never;
    const reason = blocker ? missingBecause(blocker.name, blocker.result) : node.skipReason?.(ctx, needs);
    if (reason !== undefined) {
      detail = reason;
      since = ctx.clock.monotonic();
      end('skipped');
      return skipped(reason);
    }
    const later = Object.fromEntries((node.later ?? []).map((name) => [name, resultOf(name).then(dataOf)])) as never;
    detail = node.detail?.(ctx, needs);
    since = ctx.clock.monotonic();
    ctx.progress({ type: 'probe-start', probe: node.name, detail });
    const result = await node.run(ctx, needs, later);
    end(result.status);
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    probeErrors.push({ probe: `probe ${node.name}`, message });
    end('failed');
    return { status: 'failed', error: { code: 'internal-error', step: node.name, message } };
  }
}

/** Names are unique and no node needs itself through others (it would wait forever): a bug in the list. */
function assertWellFormed(nodes: readonly AnyProbeNode[]): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  if (byName.size !== nodes.length) throw new Error(`probe graph: two nodes share a name (${nodes.map((n) => n.name).join(', ')})`);
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) throw new Error(`probe graph: a cycle ${[...path, name].join(' → ')}`);
    const node = byName.get(name);
    if (!node || done.has(name)) return;
    for (const n of [...node.needs, ...(node.later ?? [])]) visit(n, [...path, name]);
    done.add(name);
  };
  for (const n of nodes) visit(n.name, []);
}
