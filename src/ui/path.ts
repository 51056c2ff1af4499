// The drawn path of the web page (this device → local network / security software → ISP → server → recipient):
// which node a run is at while it runs (from the engine's progress events) and where it broke (from the report).
// Only this file decides the mapping; the page's script just sets the states it is sent.
import type { Finding } from '../findings/types.js';
import type { ProgressEvent } from '../probes/context.js';
import type { Report } from '../report/types.js';

export const PATH_NODES = ['device', 'local', 'isp', 'server', 'recipient'] as const;
export type PathNode = (typeof PATH_NODES)[number];
export type NodeState = 'idle' | 'active' | 'ok' | 'failed' | 'warning' | 'skipped' | 'not-tested';
export type PathStates = Record<PathNode, NodeState>;

/** Where on the path a finding's problem sits. */
export function nodeOf(f: Pick<Finding, 'code' | 'category' | 'hop'>): PathNode {
  if (f.hop === 'input' || f.category === 'client-config') return 'device';
  if (f.hop === 'domain' || f.hop === 'reputation' || f.hop === 'delivery' || f.category === 'spam-filters') return 'recipient';
  if (f.category === 'security-software') return 'local';
  if (f.hop === 'resolve') return f.category === 'dns' ? 'device' : 'server';
  if (f.category === 'port-blockage') return f.code.includes('locally') ? 'local' : 'isp';
  if (f.category === 'firewall') return f.code.includes('towards-server') ? 'isp' : 'local';
  return 'server';
}

/** The live state change a progress event means, if any. */
export function progressStep(e: ProgressEvent): { node: PathNode; state: NodeState }[] {
  if (e.type === 'roundtrip-wait') return [{ node: 'recipient', state: 'active' }];
  if (e.type !== 'probe-start' && e.type !== 'probe-end') return [];
  // A probe skipped (its needs failed, or nothing to do) says nothing about its part of the path.
  if (e.type === 'probe-end' && e.status === 'skipped') return [];
  const active = e.type === 'probe-start';
  const done: NodeState = e.type === 'probe-end' && e.status === 'failed' ? 'failed' : 'ok';
  switch (e.probe) {
    case 'resolve':
      return active ? [{ node: 'device', state: 'active' }] : [{ node: 'device', state: done }];
    case 'sweep':
      return active ? [{ node: 'local', state: 'active' }, { node: 'isp', state: 'active' }] : [{ node: 'local', state: done }, { node: 'isp', state: done }];
    case 'session':
    case 'roundtrip-session':
      return [{ node: 'server', state: active ? 'active' : done }];
    case 'roundtrip':
      return [{ node: 'recipient', state: active ? 'active' : done }];
    default:
      return [];
  }
}

/** The final picture: every node before the break works, the break is marked, the rest was not reached. */
export function finalPath(report: Report): PathStates {
  const live = report.command === 'check';
  const states: PathStates = { device: 'ok', local: 'ok', isp: 'ok', server: 'ok', recipient: 'not-tested' };
  if (!live) for (const n of PATH_NODES) states[n] = 'not-tested';
  if (live && report.facts.roundtrip?.copy) states.recipient = 'ok';
  // A domain audit is about what receivers check: the recipient's end of the path.
  if (report.command === 'domain') states.recipient = 'ok';
  for (const f of report.findings) {
    const n = nodeOf(f);
    if (f.severity === 'warning' && (states[n] === 'ok' || states[n] === 'not-tested')) states[n] = 'warning';
  }
  if (report.rootCause) {
    const broken = nodeOf(report.rootCause);
    const at = PATH_NODES.indexOf(broken);
    PATH_NODES.forEach((n, i) => {
      if (i === at) states[n] = 'failed';
      else if (i > at && live) states[n] = 'skipped';
    });
  }
  return states;
}
