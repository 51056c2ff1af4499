// Report assembly: order findings (root cause first), draw the hops, pick what works.
import type { Facts } from '../facts/index.js';
import type { SessionFact, Transcript } from '../facts/types.js';
import { findingDef, isFindingCode } from '../findings/catalog.js';
import { HOPS, type Finding, type Hop } from '../findings/types.js';
import type { Target } from '../input/target.js';
import { describeSecurity } from '../input/target.js';
import { VERSION } from '../version.js';
import { isSendingBlocker, verdictOf } from './verdict.js';
import { REPORT_SCHEMA_VERSION, reportSchemaUrl, type HopLine, type Report, type ReportTarget, type TargetSummary, type WorkingConfig } from './types.js';

const SEVERITY_ORDER = { blocker: 0, warning: 1, info: 2 } as const;

export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || HOPS.indexOf(a.hop) - HOPS.indexOf(b.hop),
  );
}

/** The first blocker along the path; at that hop, a finding that refines another one present wins
 * ("your network blocks port 25" over "port 25 is filtered"). */
export function rootCauseOf(findings: Finding[]): Finding | undefined {
  const blockers = findings.filter((f) => f.severity === 'blocker').sort((a, b) => HOPS.indexOf(a.hop) - HOPS.indexOf(b.hop));
  const first = blockers[0];
  if (!first) return undefined;
  const atHop = blockers.filter((f) => f.hop === first.hop);
  const codes = new Set(atHop.map((f) => f.code));
  return atHop.find((f) => isFindingCode(f.code) && findingDef(f.code).refines?.some((c) => codes.has(c))) ?? first;
}

export function summarizeTarget(t: Target): TargetSummary {
  return {
    kind: 'server', host: t.host, port: t.port, security: t.security, user: t.credentials?.user,
    passwordGiven: !!t.credentials?.password, oauthTokenGiven: !!t.credentials?.oauthToken,
    from: t.from, to: t.to, origin: t.origin, resolvers: t.resolvers, timeoutMs: t.timeoutMs,
    explicitPort: t.explicitPort, explicitSecurity: t.explicitSecurity, sweepPorts: t.sweepPorts, implicitTlsPorts: t.implicitTlsPorts,
    mechanisms: t.mechanisms, heloName: t.heloName, email: t.email, caCount: t.ca.length,
  };
}

function stepMs(s: SessionFact, ...names: string[]): number | undefined {
  const steps = s.steps.filter((x) => names.includes(x.step));
  return steps.length ? steps.reduce((a, x) => a + x.ms, 0) : undefined;
}

export function drawHops(facts: Facts, target: Target, findings: Finding[]): HopLine[] {
  // A receiver-side prediction (the domain's DNS, a blocklist) does not stop the path: it is drawn as a warning.
  const failedAt = (hop: Hop) => findings.find((f) => f.hop === hop && isSendingBlocker(f, 'check'));
  const warnAt = (hop: Hop) => findings.find((f) => f.hop === hop && f.severity === 'blocker') ?? findings.find((f) => f.hop === hop && f.severity === 'warning');
  const lines: HopLine[] = [];
  let broken = false;
  const add = (hop: Hop, okSummary: string | undefined, ms?: number, tested = true) => {
    const fail = failedAt(hop);
    if (fail) {
      lines.push({ hop, status: 'failed', summary: fail.title, ms });
      broken = true;
    } else if (broken) lines.push({ hop, status: 'skipped', summary: 'not reached' });
    else if (!tested || okSummary === undefined) lines.push({ hop, status: 'not-tested', summary: okSummary ?? 'not tested' });
    else lines.push({ hop, status: warnAt(hop) ? 'warning' : 'ok', summary: warnAt(hop)?.title ?? okSummary, ms });
  };
  const r = facts.resolve;
  add('resolve', r ? (r.literal ? `${r.host} (IP address)` : `${r.host} → ${r.addresses.map((a) => a.address).join(', ')}`) : undefined, r?.ms);
  const s = facts.session;
  add('connect', s?.connect?.outcome === 'open' ? `${s.address}:${s.port} open` : s ? undefined : undefined, s?.connect?.ms);
  add('greeting', s?.greeting ? `${s.greeting.reply.lines[0]}` : undefined, s ? stepMs(s, 'greeting', 'ehlo') : undefined);
  if (target.security === 'none') add('tls', undefined, undefined, false);
  else add('tls', s?.tls?.ok ? `${describeSecurity(target.security)}: ${s.tls.protocol}, ${s.tls.cipher}` : undefined, s?.tls?.ms);
  const authTested = !!(target.credentials?.password || target.credentials?.oauthToken);
  add('auth', s?.auth?.accepted ? `AUTH ${s.auth.mechanism} accepted` : authTested ? undefined : 'not tested (no credentials given)', s?.auth?.ms, authTested);
  add('envelope', s?.envelope && !failedAt('envelope') ? `MAIL FROM/RCPT TO accepted` : target.from ? undefined : 'not tested (no --from given)', s?.envelope?.ms, !!target.from);
  for (const hop of ['domain', 'reputation'] as const) {
    if (findings.some((f) => f.hop === hop)) add(hop, 'checked');
  }
  const copy = facts.roundtrip?.copy;
  if (copy) add('delivery', `arrived in ${copy.folder.path} after ${(copy.foundAfterMs / 1000).toFixed(1)} s`);
  else if (findings.some((f) => f.hop === 'delivery')) add('delivery', 'checked');
  // A hop that never produced a fact after a failure upstream is "not reached", which add() already says.
  return lines.map((l) => (l.status === 'not-tested' && l.summary === 'not tested' && broken ? { ...l, status: 'skipped' as const, summary: 'not reached' } : l));
}

/** The same run gives the same document: extension areas finish in any order, their keys are sorted. */
function stableFacts(facts: Facts): Facts {
  return { ...facts, extra: Object.fromEntries(Object.entries(facts.extra).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** The round trip's connections: one TCP check per IMAP candidate, the IMAP session, a fallback SMTP session. */
function roundtripConnections(facts: Facts): number {
  const rt = facts.roundtrip;
  if (!rt) return 0;
  return rt.imap.candidates.length + (rt.imap.endpoint ? 1 : 0) + (rt.via?.session.connect ? 1 : 0);
}

export function buildReport(args: {
  command: Report['command'];
  /** The server checked (`check`): summarized into the report's target. */
  target?: Target;
  /** What a `domain` or `explain` report is about. */
  subject?: ReportTarget;
  facts: Facts;
  findings: Finding[];
  transcripts: Transcript[];
  startedAt: Date;
  durationMs: number;
  dnsQueries: number;
  /** What works and what to recommend, as the judge found them (rules/works.ts). */
  works?: WorkingConfig[];
  recommended?: WorkingConfig;
}): Report {
  const findings = orderFindings(args.findings);
  const rootCause = rootCauseOf(findings);
  if (rootCause) {
    findings.splice(findings.indexOf(rootCause), 1);
    findings.unshift(rootCause);
  }
  const target = args.target ? summarizeTarget(args.target) : args.subject;
  if (!target) throw new Error(`a ${args.command} report needs a target`);
  return {
    $schema: reportSchemaUrl(VERSION),
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'sendcheck', version: VERSION },
    command: args.command,
    target,
    startedAt: args.startedAt.toISOString(),
    durationMs: args.durationMs,
    verdict: verdictOf(args.command, findings),
    rootCause,
    findings,
    hops: args.target && args.command === 'check' ? drawHops(args.facts, args.target, findings) : [],
    works: args.works ?? [],
    recommended: args.recommended,
    facts: stableFacts(args.facts),
    transcripts: [...args.transcripts].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
    stats: { dnsQueries: args.dnsQueries, connections: args.facts.connects.length + (args.facts.session?.connect ? 1 : 0) + roundtripConnections(args.facts) },
  };
}
