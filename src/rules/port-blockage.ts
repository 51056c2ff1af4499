// Who blocks a mail port: compares each port towards the server with the same port towards the reference
// endpoint (Facts.extra.network.reference), per address family. Blocked on both → this network / ISP; only towards
// the server → the server side. Also: one family blocked while the other works, and cloud hosts that block 25.
// The helpers here (blockage per endpoint and port) are shared with rules/firewall.ts.
import type { Facts } from '../facts/index.js';
import type { ConnectFact, Family, SpeakFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Confidence, Evidence, Finding } from '../findings/types.js';
import type { NetworkFacts, RefusalFact } from '../facts/network.js';
import { describeSecurity, type Target } from '../input/target.js';
import { connectEvidence, endpoint } from './evidence.js';
import { defineRule } from './types.js';
import { recommendedConfig, workingConfigs } from './works.js';

export type BlockKind = 'drop' | 'rst' | 'icmp' | 'refused' | 'unreachable' | 'no-route' | 'closed';

export function networkFacts(facts: Facts): NetworkFacts | undefined {
  const n = facts.extra.network;
  return n && n.kind === 'network' ? n : undefined;
}

/** How a connection was blocked, or undefined when it opened and was not cut before the greeting. */
export function blockKind(c: ConnectFact, speak: SpeakFact | undefined, refusal: RefusalFact | undefined): BlockKind | undefined {
  switch (c.outcome) {
    case 'filtered':
      return c.errno === 'ABORTED' ? undefined : 'drop';
    case 'refused':
      return refusal?.verdict === 'rst' ? 'rst' : refusal?.verdict === 'icmp' ? 'icmp' : 'refused';
    case 'unreachable':
      if (refusal?.verdict === 'icmp') return 'icmp';
      // No route at all (typically: this machine has no IPv6 connectivity) is not a block by anyone.
      return c.errno === 'ENETUNREACH' || c.errno === 'EADDRNOTAVAIL' ? 'no-route' : 'unreachable';
    case 'reset':
    case 'closed':
      return 'closed';
    case 'open':
      return speak?.speaks === 'closed' && !speak.firstBytes ? 'closed' : undefined;
    default:
      return undefined;
  }
}

export const KIND_WORDS: Record<BlockKind, string> = {
  drop: 'silently dropped (no answer)',
  rst: 'rejected with a TCP reset',
  icmp: 'rejected with ICMP',
  refused: 'refused (reset or ICMP port-unreachable)',
  unreachable: 'unreachable',
  'no-route': 'no route from this machine',
  closed: 'closed right after connect',
};

export interface PortState {
  port: number;
  family: Family;
  /** Every address of this family on this port, with its block kind (undefined = open). */
  endpoints: { c: ConnectFact; kind?: BlockKind }[];
  /** All addresses blocked. */
  blocked: boolean;
  /** The block kind of the first address (for wording). */
  kind?: BlockKind;
}

function refusalOf(n: NetworkFacts | undefined, c: ConnectFact): RefusalFact | undefined {
  return n?.refusals.find((r) => r.address === c.address && r.port === c.port);
}

export function portStates(connects: ConnectFact[], speaks: SpeakFact[], n: NetworkFacts | undefined): PortState[] {
  const groups = new Map<string, PortState>();
  for (const c of connects) {
    const key = `${c.port}/${c.family}`;
    const speak = speaks.find((s) => s.address === c.address && s.port === c.port);
    const kind = blockKind(c, speak, refusalOf(n, c));
    const g = groups.get(key) ?? { port: c.port, family: c.family, endpoints: [], blocked: true };
    g.endpoints.push({ c, kind });
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    g.blocked = g.endpoints.every((e) => e.kind !== undefined);
    g.kind = g.blocked ? g.endpoints[0]!.kind : undefined;
  }
  return [...groups.values()].sort((a, b) => a.port - b.port || a.family - b.family);
}

export interface Comparison {
  port: number;
  family: Family;
  target: PortState;
  reference?: PortState;
  verdict: 'blocked-locally' | 'blocked-towards-server' | 'open' | 'not-compared';
}

// The port-blockage and firewall rules both judge from this comparison: made once per run's facts (rules never
// change the facts they judge).
const comparisons = new WeakMap<Facts, Comparison[]>();

/** Target and reference, port by port and family by family, with whose side blocks each. */
export function compare(facts: Facts): Comparison[] {
  let c = comparisons.get(facts);
  if (!c) {
    c = comparePorts(facts);
    comparisons.set(facts, c);
  }
  return c;
}

function comparePorts(facts: Facts): Comparison[] {
  const n = networkFacts(facts);
  const targetStates = portStates(facts.connects, facts.speaks, n);
  const refStates = n ? portStates(n.reference.connects, n.reference.speaks, n) : [];
  return targetStates.map((t) => {
    const r = refStates.find((x) => x.port === t.port && x.family === t.family);
    let verdict: Comparison['verdict'] = 'not-compared';
    if (!t.blocked) verdict = 'open';
    else if (t.kind === 'no-route') verdict = 'not-compared';
    else if (r) verdict = r.blocked ? 'blocked-locally' : 'blocked-towards-server';
    return { port: t.port, family: t.family, target: t, reference: r, verdict };
  });
}

/** "port 25", "ports 25 and 465", "ports 25, 465 and 587" */
export function portsText(ports: number[]): string {
  const p = [...new Set(ports)].sort((a, b) => a - b).map(String);
  if (p.length === 1) return `port ${p[0]}`;
  return `ports ${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}`;
}

export function familyName(f: Family): string {
  return f === 6 ? 'IPv6' : 'IPv4';
}

function referenceName(n: NetworkFacts | undefined): string {
  return n?.reference.specs.map((s) => s.host).join(', ') || 'the reference';
}

/** True when the reference answered on some port: it is up, so its blocked ports say something about the path. */
function referenceAlive(n: NetworkFacts | undefined): boolean {
  return !!n?.reference.connects.some((c) => c.outcome === 'open');
}

function stateEvidence(s: PortState, who: string): Evidence[] {
  return s.endpoints.map((e) => ({ ...connectEvidence(e.c), text: `${who}: ${e.kind ? KIND_WORDS[e.kind] : 'open'}${e.c.errno ? ` (${e.c.errno})` : ''}` }));
}

export function comparisonEvidence(cmp: Comparison): Evidence[] {
  return [...stateEvidence(cmp.target, 'server'), ...(cmp.reference ? stateEvidence(cmp.reference, 'reference') : [])];
}

/** "Port 587 with STARTTLS to the same server works: use it." when the sweep found one. */
export function workingAlternative(facts: Facts, target: Target, blockedPorts: number[]): string[] {
  const rec = recommendedConfig(workingConfigs(facts).filter((w) => !blockedPorts.includes(w.port)), target);
  return rec ? [`Port ${rec.port} with ${describeSecurity(rec.security)} to the same server works from here: use it.`] : [];
}

/** The configured port is affected and the configured session did not get through on another address. */
function hitsConfigured(facts: Facts, target: Target, port: number): boolean {
  return port === target.port && facts.session?.connect?.outcome !== 'open';
}

// ---------------------------------------------------------------- cloud hosts that block port 25 (local evidence)
interface CloudEntry {
  id: string;
  provider: string;
  /** DMI field → case-insensitive substring */
  match: Record<string, string>;
  note: string;
  howToUnblock: string;
  source: string;
}

/** DMI identities as cloud-init's ds-identify reads them; port policies from each provider's documentation. */
export const CLOUD_PORT25: CloudEntry[] = [
  { id: 'aws', provider: 'Amazon EC2', match: { sys_vendor: 'Amazon EC2' }, note: 'EC2 restricts outgoing port 25 by default.', howToUnblock: 'request removal of the port 25 restriction (AWS console form "Request to remove email sending limitations"), or use Amazon SES on 587.', source: 'DMI: cloud-init ds-identify (sys_vendor "Amazon EC2"); policy: AWS re:Post "How do I remove the restriction on port 25 from my Amazon EC2 instance" (not re-verified offline)' },
  { id: 'aws-xen', provider: 'Amazon EC2', match: { bios_version: 'amazon' }, note: 'EC2 restricts outgoing port 25 by default.', howToUnblock: 'request removal of the port 25 restriction, or use Amazon SES on 587.', source: 'DMI: older Xen-based EC2 instances report bios_version "...amazon"; policy as above (not re-verified offline)' },
  { id: 'gcp', provider: 'Google Compute Engine', match: { product_name: 'Google Compute Engine' }, note: 'Compute Engine always blocks outgoing port 25 to external addresses.', howToUnblock: 'port 25 cannot be opened; use a relay on 587/465/2525 (SendGrid, Mailgun, Google Workspace relay).', source: 'DMI: cloud-init ds-identify (product_name "Google Compute Engine"); policy: cloud.google.com/compute/docs/tutorials/sending-mail (not re-verified offline)' },
  { id: 'azure', provider: 'Microsoft Azure', match: { chassis_asset_tag: '7783-7084-3265-9085-8269-3286-77' }, note: 'Azure blocks outgoing port 25 for most subscription types.', howToUnblock: 'use an authenticated relay on 587 (Azure Communication Services, Microsoft 365, SendGrid); Enterprise Agreement subscriptions can ask support.', source: 'DMI: cloud-init ds-identify (Azure chassis asset tag); policy: learn.microsoft.com "Troubleshoot outbound SMTP connectivity problems in Azure" (not re-verified offline)' },
  { id: 'digitalocean', provider: 'DigitalOcean', match: { sys_vendor: 'DigitalOcean' }, note: 'DigitalOcean blocks SMTP port 25 on new accounts.', howToUnblock: 'use a relay on 587/465, or ask DigitalOcean support.', source: 'DMI: cloud-init ds-identify (sys_vendor "DigitalOcean"); policy: docs.digitalocean.com "Why is SMTP blocked?" (not re-verified offline)' },
  { id: 'hetzner', provider: 'Hetzner Cloud', match: { sys_vendor: 'Hetzner' }, note: 'Hetzner Cloud blocks outgoing ports 25 and 465 for new accounts.', howToUnblock: 'request an unblock after the first paid invoice, or use port 587.', source: 'DMI: cloud-init ds-identify (sys_vendor "Hetzner"); policy: docs.hetzner.com cloud "Mail server" FAQ (not re-verified offline)' },
  { id: 'linode', provider: 'Akamai Cloud (Linode)', match: { sys_vendor: 'Linode' }, note: 'Linode restricts SMTP ports 25, 465 and 587 on new accounts.', howToUnblock: 'open a support ticket to lift the SMTP restriction.', source: 'policy: linode.com docs "Running a mail server" SMTP restrictions (DMI string not verified: medium confidence)' },
  { id: 'vultr', provider: 'Vultr', match: { sys_vendor: 'Vultr' }, note: 'Vultr blocks port 25 by default.', howToUnblock: 'ask Vultr support to unblock SMTP, or use a relay on 587.', source: 'DMI: cloud-init ds-identify (sys_vendor "Vultr"); policy: vultr docs "What ports are blocked?" (not re-verified offline)' },
  { id: 'oracle', provider: 'Oracle Cloud Infrastructure', match: { chassis_asset_tag: 'OracleCloud.com' }, note: 'OCI blocks outgoing port 25 by default.', howToUnblock: 'use OCI Email Delivery on 587, or request an exemption.', source: 'DMI: cloud-init ds-identify (chassis_asset_tag "OracleCloud.com"); policy: docs.oracle.com OCI Email Delivery (not re-verified offline)' },
];

export function cloudOf(dmi: Record<string, string>): CloudEntry | undefined {
  return CLOUD_PORT25.find((e) => Object.entries(e.match).every(([k, v]) => dmi[k]?.toLowerCase().includes(v.toLowerCase())));
}

/** What every port-blockage judge reads: the network facts and the per-port comparison with the reference. */
interface PortView {
  n: NetworkFacts | undefined;
  cmps: Comparison[];
  reference: string;
  /** The reference answered on some port: a block seen on both sides is then this network's, not a dead reference. */
  alive: boolean;
  alternative: string[];
}

/** Ports blocked one way (on both sides, or only towards the server): one finding for the configured port (what the
 * user is stuck on), one for the other ports (information). */
function blockedFindings(verdict: 'blocked-locally' | 'blocked-towards-server', facts: Facts, target: Target, v: PortView): Finding[] {
  const hits = v.cmps.filter((x) => x.verdict === verdict);
  return [true, false].flatMap((configured) => {
    // A reset from the server on a port it simply does not offer is normal: only the configured port matters then.
    const group = hits.filter((c) => hitsConfigured(facts, target, c.port) === configured)
      .filter((c) => configured || verdict === 'blocked-locally' || !(c.target.kind === 'rst' || c.target.kind === 'refused'));
    if (!group.length) return [];
    const ports = [...new Set(group.map((c) => c.port))];
    const how = group.map((c) => `${c.port}/${familyName(c.family)}: ${KIND_WORDS[c.target.kind!]}`).join('; ');
    const confidence: Confidence = verdict === 'blocked-locally' && !v.alive ? 'possible' : 'likely';
    return [makeFinding(verdict === 'blocked-locally' ? 'port.blocked-locally' : 'port.blocked-towards-server', {
      evidence: [
        ...group.flatMap(comparisonEvidence),
        ...(verdict === 'blocked-locally' && !v.alive ? [{ text: `the reference ${v.reference} answered on no port at all: it may be down, or everything is blocked from here` }] : []),
      ],
      vars: { ports: portsText(ports), reference: v.reference, host: target.host, how },
      severity: configured ? 'blocker' : 'info',
      confidence,
      fixFirst: v.alternative,
    })];
  });
}

/** Blocked towards the server and towards the reference alike: this network or ISP blocks the port. */
function judgeBlockedLocally(facts: Facts, target: Target, v: PortView): Finding[] {
  return blockedFindings('blocked-locally', facts, target, v);
}

/** Blocked towards the server only (the reference answers): the server's side blocks the port. */
function judgeBlockedTowardsServer(facts: Facts, target: Target, v: PortView): Finding[] {
  return blockedFindings('blocked-towards-server', facts, target, v);
}

/** One family blocked while the other works on the same port. */
function judgeOneFamilyBlocked(_facts: Facts, _target: Target, { cmps }: PortView): Finding[] {
  const out: Finding[] = [];
  for (const port of new Set(cmps.map((c) => c.port))) {
    const v4 = cmps.find((c) => c.port === port && c.family === 4);
    const v6 = cmps.find((c) => c.port === port && c.family === 6);
    if (!v4 || !v6 || v4.target.blocked === v6.target.blocked) continue;
    const bad = v4.target.blocked ? v4 : v6;
    const ok = v4.target.blocked ? v6 : v4;
    // Without any route for the family, clients do not try it (getaddrinfo's AI_ADDRCONFIG): nothing to warn about.
    if (bad.target.kind === 'no-route') continue;
    const where = bad.reference
      ? bad.reference.blocked
        ? `The reference is blocked over ${familyName(bad.family)} on this port too: your network's ${familyName(bad.family)} path is the problem.`
        : `The reference answers over ${familyName(bad.family)} on this port: the server's ${familyName(bad.family)} side is the problem.`
      : '';
    out.push(makeFinding('port.blocked-one-family', {
      evidence: [...stateEvidence(ok.target, 'server'), ...stateEvidence(bad.target, 'server'), ...(bad.reference ? stateEvidence(bad.reference, 'reference') : [])],
      vars: { port, okFamily: familyName(ok.family), badFamily: familyName(bad.family), where },
    }));
  }
  return out;
}

/** A cloud host known to block port 25, and port 25 is blocked from here. */
function judgeCloudPort25(_facts: Facts, _target: Target, { n, cmps }: PortView): Finding[] {
  const cloud = n ? cloudOf(n.local.dmi) : undefined;
  const p25 = cmps.filter((c) => c.port === 25 && c.target.blocked);
  if (!cloud || !p25.length) return [];
  return [makeFinding('local.cloud-port25', {
    evidence: [
      { text: `DMI: ${Object.entries(cloud.match).map(([k]) => `${k}=${n!.local.dmi[k]}`).join(', ')} (/sys/class/dmi/id)` },
      ...p25.flatMap((c) => stateEvidence(c.target, 'server')),
    ],
    vars: { provider: cloud.provider, note: cloud.note, howToUnblock: cloud.howToUnblock },
    confidence: 'likely',
  })];
}

const JUDGES = [judgeBlockedLocally, judgeBlockedTowardsServer, judgeOneFamilyBlocked, judgeCloudPort25];

export const portBlockageRule = defineRule({
  name: 'port-blockage',
  run(facts, target) {
    const n = networkFacts(facts);
    const cmps = compare(facts);
    const blockedPorts = cmps.filter((c) => c.target.blocked).map((c) => c.port);
    const view: PortView = { n, cmps, reference: referenceName(n), alive: referenceAlive(n), alternative: workingAlternative(facts, target, blockedPorts) };
    return JUDGES.flatMap((judge) => judge(facts, target, view));
  },
});

export { endpoint };
