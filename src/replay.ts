// --replay: judge the facts of a saved report again, offline. A help-desk tech asks the user for
// `sendcheck check … --json > evidence.json` and re-reads it with the current rules, no network involved.
import { runRules } from './engine.js';
import { UserError } from './errors.js';
import type { Facts } from './facts/types.js';
import { buildReport } from './report/build.js';
import { REPORT_SCHEMA_VERSION, type Report } from './report/types.js';
import { RULES } from './rules/index.js';
import { Secret } from './input/secret.js';
import { MAIL_PORTS, type Target } from './input/target.js';

export function replayReport(saved: unknown): Report {
  const r = saved as Partial<Report>;
  if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'string' || !r.facts || !r.target) {
    throw new UserError('unsupported-format', 'not a sendcheck check report (expected the output of `sendcheck check --json`)');
  }
  if (r.schemaVersion.split('.')[0] !== REPORT_SCHEMA_VERSION.split('.')[0]) {
    throw new UserError('unsupported-format', `report schema ${r.schemaVersion} is not supported by this version (reads ${REPORT_SCHEMA_VERSION.split('.')[0]}.x)`);
  }
  const t = r.target;
  const facts = r.facts as Facts;
  facts.connects ??= [];
  facts.speaks ??= [];
  facts.extra ??= {};
  // Rules look only at whether a secret was given; the saved report never held one.
  const target: Target = {
    host: t.host, port: t.port, security: t.security, explicitPort: true, explicitSecurity: true, origin: 'flags',
    sweepPorts: [...new Set([...MAIL_PORTS, t.port])], implicitTlsPorts: [465],
    credentials: t.user ? { user: t.user, password: t.passwordGiven ? new Secret('') : undefined, oauthToken: t.oauthTokenGiven ? new Secret('') : undefined } : undefined,
    mechanisms: [], from: t.from, to: t.to ?? [], heloName: 'sendcheck.localhost', resolvers: t.resolvers ?? [], timeoutMs: t.timeoutMs,
    ca: [], options: {},
  };
  return buildReport({
    command: 'check', target, facts, findings: runRules(RULES, facts, target), transcripts: r.transcripts ?? [],
    startedAt: new Date(r.startedAt ?? Date.now()), durationMs: r.durationMs ?? 0, dnsQueries: r.stats?.dnsQueries ?? 0,
  });
}
