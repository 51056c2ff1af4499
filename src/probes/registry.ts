// Extension probes: areas beyond the core SMTP path (network-path analysis, domain audit, discovery details)
// register here. Each runs concurrently with the core probes and awaits only what it needs.
import type { ResolveFact } from '../facts/types.js';
import { domainProbe } from './domain.js';
import { networkProbe } from './network/index.js';
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

export const EXTENSION_PROBES: ExtensionProbe[] = [domainProbe, networkProbe];
