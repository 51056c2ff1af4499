// The probes of a check, in one list each: the core SMTP path and the extension areas (network-path analysis,
// domain audit) whose results land under Facts.extra by name. Every one is a node of the probe graph (graph.ts):
// it declares what it needs and runs as soon as that is in. Extension probes come before the sweep and session so
// that, started together once the host resolves, they are announced first.
import { resolveNode, sessionNode, sweepNode } from './core.js';
import { domainProbe } from './domain.js';
import { networkProbe } from './network/index.js';
import type { AnyProbeNode } from './probe.js';

/** Areas beyond the core SMTP path; each node's data is stored under Facts.extra[node.name]. */
export const EXTENSION_PROBES: AnyProbeNode[] = [domainProbe, networkProbe];

/** Every probe of a check except the round trip's (the round trip composes them above this layer). */
export function checkProbes(): AnyProbeNode[] {
  return [resolveNode, ...EXTENSION_PROBES, sweepNode, sessionNode];
}
