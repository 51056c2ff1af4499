// What an extension probe is: a name (its key under Facts.extra), when it applies, and how it runs given the core
// facts it needs. The list of extension probes is in registry.ts.
import type { ResolveFact } from '../facts/types.js';
import type { Target } from '../input/target.js';
import type { ProbeContext } from './context.js';
import type { SweepResult } from './speak.js';

export interface ExtensionDeps {
  resolve: Promise<ResolveFact | undefined>;
  sweep: Promise<SweepResult[]>;
}

export interface ExtensionProbe {
  /** Key under Facts.extra where the result is stored. */
  name: string;
  applies(target: Target): boolean;
  /** Checks the probe's options before anything runs; throws UserError (exit 2) for bad input. */
  validate?(target: Target): void;
  run(ctx: ProbeContext, deps: ExtensionDeps): Promise<unknown>;
}

export function defineProbe(p: ExtensionProbe): ExtensionProbe {
  return p;
}
