// --replay: judge the facts of a saved report again, offline. A help-desk tech asks the user for
// `sendcheck check … --json > evidence.json` (or `sendcheck domain … --json`) and re-reads it with the current rules,
// no network involved. The same judge as the live run (rules/judge.ts) over the saved facts and the saved target.
import { UserError } from './errors.js';
import type { Facts } from './facts/index.js';
import type { AuthMechanism } from './facts/types.js';
import { buildReport } from './report/build.js';
import { REPORT_SCHEMA_VERSION, type Report, type TargetSummary } from './report/types.js';
import { judgeCheck, judgeDomainReport } from './rules/judge.js';
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

export function replayReport(saved: unknown): Report {
  const r = saved as Partial<Report>;
  const known = r && typeof r === 'object' && typeof r.schemaVersion === 'string' && r.facts && (r.command === 'domain' || (r.command === 'check' && r.target));
  if (!known) {
    throw new UserError('unsupported-format', 'not a sendcheck check or domain report (expected the output of `sendcheck check --json` or `sendcheck domain --json`)');
  }
  if (r.schemaVersion!.split('.')[0] !== REPORT_SCHEMA_VERSION.split('.')[0]) {
    throw new UserError('unsupported-format', `report schema ${r.schemaVersion} is not supported by this version (reads ${REPORT_SCHEMA_VERSION.split('.')[0]}.x)`);
  }
  const facts = r.facts as Facts;
  facts.connects ??= [];
  facts.speaks ??= [];
  facts.extra ??= {};
  const common = { transcripts: r.transcripts ?? [], startedAt: new Date(r.startedAt ?? Date.now()), durationMs: r.durationMs ?? 0, dnsQueries: r.stats?.dnsQueries ?? 0 };
  if (r.command === 'domain') return buildReport({ command: 'domain', facts, findings: judgeDomainReport(facts), ...common });
  const target = targetFromSummary(r.target!);
  return buildReport({ command: 'check', target, facts, findings: judgeCheck(facts, target), ...whatWorks(facts, target), ...common });
}
