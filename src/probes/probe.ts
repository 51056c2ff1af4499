// What a probe is: a node of the check's probe graph. It names the probes whose results it needs (the graph starts it
// once they are in), says when it applies, and returns a ProbeResult: a network outcome is data, only a bug throws.
// graph.ts runs the nodes; registry.ts lists them.
import type { ProbeResult } from '../facts/types.js';
import type { Target } from '../input/target.js';
import type { ProbeContext } from './context.js';

/** Promises of the results a node uses part way through its run: each is the result's data, undefined unless it has some. */
export type LaterResults<L> = { [K in keyof L]: Promise<L[K] | undefined> };

/**
 * `Needs` maps each needed node's name to its data; a need listed in `tolerates` may be undefined (it failed, was
 * skipped or is not part of the run), every other need is there, since the node is skipped without it.
 */
export interface ProbeNode<T = unknown, Needs extends object = Record<string, unknown>, Later extends object = Record<string, unknown>> {
  /** The node's name: what others list in `needs`, the progress events' `probe`, the key of an extension's facts. */
  name: string;
  needs: readonly (keyof Needs & string)[];
  /** Needs it runs without: their data is undefined when they failed (without data), were skipped or are absent. */
  tolerates?: readonly (keyof Needs & string)[];
  /** Results it awaits only part way through its run: it starts without them (so its early work overlaps theirs). */
  later?: readonly (keyof Later & string)[];
  applies(target: Target): boolean;
  /** Checks the probe's options before anything runs; throws UserError (exit 2) for bad input. */
  validate?(target: Target): void;
  /** Why it has nothing to do after all, known only once its needs are in (then it is skipped without starting). */
  skipReason?(ctx: ProbeContext, needs: Needs): string | undefined;
  /** What the progress events show beside the name (the host looked up, the address connected to). */
  detail?(ctx: ProbeContext, needs: Needs): string | undefined;
  run(ctx: ProbeContext, needs: Needs, later: LaterResults<Later>): Promise<ProbeResult<T>>;
}

/** Any node, whatever it needs: the type of a list of nodes (only the graph calls a node, with what it declared). */
export type AnyProbeNode = ProbeNode<unknown, never, never>;

/** Identity helper: infers a node's types from its definition. */
export function defineProbe<T, Needs extends object = Record<string, never>, Later extends object = Record<string, never>>(node: ProbeNode<T, Needs, Later>): ProbeNode<T, Needs, Later> {
  return node;
}

export function ok<T>(data: T): ProbeResult<T> {
  return { status: 'ok', data };
}

/** The data a result carries (a failed probe may carry what it saw before it failed), or undefined. */
export function dataOf<T>(r: ProbeResult<T> | undefined): T | undefined {
  return r && r.status !== 'skipped' ? r.data : undefined;
}
