// A Report as Prometheus metrics for one /probe answer: a renderer (Report → text), with names by Prometheus
// conventions (base units, _seconds, _timestamp_seconds, _info) and labels from closed sets only (finding codes and
// categories from the catalog, hops, ports of the module, list zones of the config), so cardinality stays bounded.
import { Gauge, Registry } from 'prom-client';
import type { Report } from '../report/types.js';

export interface ProbeMeta {
  module: string;
  /** Seconds until AUTH is tried again for this account after a credential rejection (0 = not backing off). */
  authBackoffSeconds: number;
  /** The answer is the last real probe's, repeated within the module's minimum interval. */
  cached: boolean;
  /** The probe itself failed (bad target, internal error): probe_success 0 and nothing else is known. */
  error?: string;
  /** While backing off, the probe that saw the credentials rejected: sending stays failed (no login was tried to
   * find out otherwise), with that probe's root cause. */
  rejectedBy?: Report;
}

const VERDICTS = ['ok', 'warnings', 'at-risk', 'blocked', 'unrecognized'] as const;

function gauge(reg: Registry, name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return new Gauge({ name, help, labelNames, registers: [reg] });
}

/** The registry for one probe; `report` is undefined when the probe could not run at all. */
export function probeRegistry(report: Report | undefined, durationSeconds: number, meta: ProbeMeta): Registry {
  const reg = new Registry();
  const ok = !!report && report.verdict !== 'blocked' && !(meta.authBackoffSeconds > 0 && meta.rejectedBy);
  gauge(reg, 'probe_success', 'Whether sending works from here: 1 unless a blocker was found (or the probe failed)').set(ok ? 1 : 0);
  gauge(reg, 'probe_duration_seconds', 'How long the probe took').set(durationSeconds);
  gauge(reg, 'sendcheck_probe_cached', '1 when this answer repeats the last probe (within the module\'s min_interval)').set(meta.cached ? 1 : 0);
  gauge(reg, 'sendcheck_auth_backoff_seconds', 'Seconds until AUTH is tried again after a credential rejection (0: not backing off)').set(meta.authBackoffSeconds);
  if (!report) return reg;

  const verdict = gauge(reg, 'sendcheck_verdict', 'The verdict: 1 for the one that applies', ['verdict']);
  for (const v of VERDICTS) verdict.set({ verdict: v }, report.verdict === v ? 1 : 0);
  const root = gauge(reg, 'sendcheck_root_cause', 'The root cause (the first blocker along the path), by finding code and cause area', ['code', 'category']);
  const cause = report.rootCause ?? (meta.authBackoffSeconds > 0 ? meta.rejectedBy?.rootCause : undefined);
  if (cause) root.set({ code: cause.code, category: cause.category }, 1);
  const findings = gauge(reg, 'sendcheck_finding', 'Every finding of the probe, by code, cause area and severity', ['code', 'category', 'severity']);
  for (const f of report.findings) findings.set({ code: f.code, category: f.category, severity: f.severity }, 1);
  const hops = gauge(reg, 'sendcheck_hop_duration_seconds', 'Duration of each hop along the path', ['hop']);
  const hopOk = gauge(reg, 'sendcheck_hop_ok', 'Whether each hop along the path worked (1), failed (0); absent when not tested', ['hop']);
  for (const h of report.hops) {
    if (h.ms !== undefined) hops.set({ hop: h.hop }, h.ms / 1000);
    if (h.status === 'ok' || h.status === 'warning') hopOk.set({ hop: h.hop }, 1);
    else if (h.status === 'failed') hopOk.set({ hop: h.hop }, 0);
  }
  submissionMetrics(reg, report, meta);
  domainMetrics(reg, report);
  roundtripMetrics(reg, report);
  return reg;
}

function submissionMetrics(reg: Registry, report: Report, meta: ProbeMeta): void {
  const { facts } = report;
  if (facts.connects.length) {
    const port = gauge(reg, 'sendcheck_port_open', 'Whether a TCP connection to the port succeeded (1) or not (0), by port and outcome', ['port', 'outcome']);
    for (const c of facts.connects) port.set({ port: String(c.port), outcome: c.outcome }, c.outcome === 'open' ? 1 : 0);
  }
  const tls = facts.session?.tls ?? facts.speaks.find((s) => s.tls?.ok)?.tls;
  if (tls?.protocol) gauge(reg, 'sendcheck_tls_version_info', 'The TLS version negotiated on the configured path', ['version']).set({ version: tls.protocol }, 1);
  const leaf = tls?.chain[0];
  if (leaf) {
    const expiry = Date.parse(leaf.validTo);
    if (Number.isFinite(expiry)) gauge(reg, 'sendcheck_certificate_expiry_timestamp_seconds', 'When the server certificate expires (Unix time)').set(expiry / 1000);
    gauge(reg, 'sendcheck_certificate_valid', 'Whether the server certificate validated (chain, dates, host name)').set(tls!.problems.length === 0 && tls!.trusted !== false ? 1 : 0);
  }
  const auth = facts.session?.auth;
  // While backing off no login is tried: the rejection that started the back-off is still the answer.
  const accepted = auth?.attempted ? auth.accepted : meta.authBackoffSeconds > 0 && meta.rejectedBy ? false : undefined;
  if (accepted !== undefined) gauge(reg, 'sendcheck_auth_accepted', 'Whether the server accepted the login (only when AUTH was attempted)').set(accepted ? 1 : 0);
}

function domainMetrics(reg: Registry, report: Report): void {
  const d = report.facts.extra.domain;
  if (!d) return;
  const spf = d.spf.evaluations?.[0]?.result ?? (d.spf.records.length ? undefined : 'none');
  if (spf) gauge(reg, 'sendcheck_spf_result', 'SPF result for the sending IP (RFC 7208)', ['result']).set({ result: spf }, 1);
  const policy = d.dmarc.parsed?.p ?? (d.dmarc.records.length ? 'invalid' : 'missing');
  gauge(reg, 'sendcheck_dmarc_policy', 'The domain\'s DMARC policy (p=)', ['policy']).set({ policy }, 1);
  if (d.blocklists.length) {
    const listed = gauge(reg, 'sendcheck_blocklist_listed', 'Whether the IP or domain is listed (1), by list zone; absent when the list refused to answer', ['list']);
    for (const b of d.blocklists) if (b.status === 'listed' || b.status === 'not-listed') listed.set({ list: b.zone }, b.status === 'listed' ? 1 : 0);
  }
}

function roundtripMetrics(reg: Registry, report: Report): void {
  const rt = report.facts.roundtrip;
  if (!rt) return;
  gauge(reg, 'sendcheck_roundtrip_delivered', 'Whether the test message arrived in the mailbox').set(rt.copy ? 1 : 0);
  if (rt.copy) {
    gauge(reg, 'sendcheck_roundtrip_delivery_seconds', 'Seconds from the server accepting the test message to its arrival').set(rt.copy.foundAfterMs / 1000);
    gauge(reg, 'sendcheck_roundtrip_folder', 'Where the test message arrived: inbox or junk', ['folder']).set({ folder: rt.copy.folder.role }, 1);
  }
}
