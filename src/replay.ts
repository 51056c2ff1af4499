// --replay: judge the facts of a saved report again, offline. A help-desk tech asks the user for
// `sendcheck check … --json > evidence.json` (or `sendcheck domain … --json`, `sendcheck explain … --json`) and
// re-reads it with the current rules, no network involved. The same judge as the live run (rules/judge.ts) over the
// saved facts and the saved target.
// The saved document is validated against the report schema first (exit 2 with the first violation): the rules
// trust the facts' types, so a hand-edited or truncated report must never reach them.
import { UserError } from './errors.js';
import type { AuthMechanism } from './facts/types.js';
import { buildReport } from './report/build.js';
import { reportViolation } from './report/schema.js';
import { REPORT_SCHEMA_VERSION, type DomainTargetSummary, type Report, type TargetSummary } from './report/types.js';
import { judgeCheck, judgeDomainReport, judgeExplainReport } from './rules/judge.js';
import { whatWorks } from './rules/works.js';
import { Secret } from './input/secret.js';
import { MAIL_PORTS, type Target, type TargetOrigin } from './input/target.js';

/** The target the live run judged, from its summary; a reconstructed secret is empty (rules only ask whether one was
 * given) and CA certificates are placeholders (rules only ask whether some were given). */
export function targetFromSummary(t: TargetSummary): Target {
  return {
    host: t.host, port: t.port, security: t.security,
    explicitPort: t.explicitPort ?? true, explicitSecurity: t.explicitSecurity ?? true, origin: t.origin as TargetOrigin,
    sweepPorts: t.sweepPorts ?? [...new Set([...MAIL_PORTS, t.port])], implicitTlsPorts: t.implicitTlsPorts ?? [465],
    credentials: t.user ? { user: t.user, password: t.passwordGiven ? new Secret('') : undefined, oauthToken: t.oauthTokenGiven ? new Secret('') : undefined } : undefined,
    mechanisms: (t.mechanisms ?? []) as AuthMechanism[], from: t.from, to: t.to ?? [], heloName: t.heloName ?? 'sendcheck.localhost',
    resolvers: t.resolvers ?? [], timeoutMs: t.timeoutMs, ca: Array.from({ length: t.caCount ?? 0 }, () => ''), email: t.email, options: {},
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The domain a report of 1.0–1.5 was about (those had no target): from the audit's facts. */
function oldDomainTarget(doc: Record<string, unknown>): DomainTargetSummary | undefined {
  const extra = isObject(doc.facts) && isObject(doc.facts.extra) ? doc.facts.extra : {};
  const d = isObject(extra.domain) ? extra.domain : {};
  const domain = typeof d.domain === 'string' ? d.domain : typeof extra.domainName === 'string' ? extra.domainName : undefined;
  if (!domain) return undefined;
  const ips = Array.isArray(d.ips) && d.ips.every((x) => typeof x === 'string') ? (d.ips as string[]) : [];
  return { kind: 'domain', domain, ips, selectors: [], resolvers: [], timeoutMs: 5000 };
}

/** Reports of an older minor version, brought to the current one (within a major, versions only add). */
function upgrade(doc: Record<string, unknown>, minor: number): Record<string, unknown> {
  if (minor >= 6) return doc;
  // 1.0–1.5: no $schema; the target of a check report had no kind; domain reports had no target.
  const target = doc.command === 'domain' && doc.target === undefined ? oldDomainTarget(doc)
    : isObject(doc.target) && doc.target.kind === undefined ? { kind: 'server', ...doc.target } : doc.target;
  return { $schema: '', ...doc, target };
}

const TARGET_KIND = { check: 'server', domain: 'domain', explain: 'explain' } as const;

/** An explain report is judged from what was read (facts.extra.explain); before 1.7 that did not keep the server and
 * port the text named, which the command to run next is made from, so an older one would not replay exactly. */
function assertExplainReplayable(report: Report, minor: number): void {
  const again = 'run sendcheck explain on the original text';
  if (minor < 7) throw new UserError('unsupported-format', `an explain report of schema ${report.schemaVersion}: --replay judges explain reports of 1.7 and later again (${again})`);
  if (!report.facts.extra.explain) throw new UserError('unsupported-format', `an explain report without facts.extra.explain (what was read): nothing to judge (${again})`);
}

/** The saved document as a valid check, domain or explain report of this schema version, or a UserError saying what is wrong. */
export function readSavedReport(saved: unknown): Report {
  if (!isObject(saved) || typeof saved.schemaVersion !== 'string' || !isObject(saved.tool) || saved.tool.name !== 'sendcheck') {
    throw new UserError('unsupported-format', 'not a sendcheck check, domain or explain report (expected the output of `sendcheck check --json`, `sendcheck domain --json` or `sendcheck explain --json`)');
  }
  const [major, minor] = saved.schemaVersion.split('.').map(Number);
  const [ourMajor, ourMinor] = REPORT_SCHEMA_VERSION.split('.').map(Number);
  if (major !== ourMajor || !Number.isInteger(minor)) {
    throw new UserError('unsupported-format', `report schema ${saved.schemaVersion.slice(0, 20)} is not supported by this version (reads ${ourMajor}.x)`);
  }
  const doc = upgrade(saved, minor!);
  const violation = reportViolation(doc);
  if (violation) {
    const newer = minor! > ourMinor! ? ` (the report is from a newer sendcheck, schema ${saved.schemaVersion}; this version reads up to ${REPORT_SCHEMA_VERSION})` : '';
    throw new UserError('unsupported-format', `not a valid sendcheck report: ${violation.slice(0, 300)}${newer}`);
  }
  const report = doc as unknown as Report;
  if (report.command === 'explain') assertExplainReplayable(report, minor!);
  const expected = TARGET_KIND[report.command];
  if (report.target.kind !== expected) throw new UserError('unsupported-format', `not a valid sendcheck report: /target/kind is "${report.target.kind}" in a ${report.command} report (expected "${expected}")`);
  return report;
}

export function replayReport(saved: unknown): Report {
  const r = readSavedReport(saved);
  const facts = r.facts;
  const common = { transcripts: r.transcripts, startedAt: new Date(r.startedAt), durationMs: r.durationMs, dnsQueries: r.stats.dnsQueries };
  if (r.target.kind === 'domain') return buildReport({ command: 'domain', subject: r.target, facts, findings: judgeDomainReport(facts), ...common });
  if (r.target.kind === 'explain') return buildReport({ command: 'explain', subject: r.target, facts, findings: judgeExplainReport(facts), ...common });
  const target = targetFromSummary(r.target as TargetSummary);
  return buildReport({ command: 'check', target, facts, findings: judgeCheck(facts, target), ...whatWorks(facts, target), ...common });
}
