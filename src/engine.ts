// The engine: input → Target → probes (concurrent, one deadline) → Facts → rules → Report.
// The CLI, the library API and the web page all call runCheck(); nothing else schedules probes.
import { UserError } from './errors.js';
import net from 'node:net';
import type { SubmissionCandidate } from './facts/discovery.js';
import type { Facts } from './facts/index.js';
import type { ResolvedAddress, ResolveFact, SecurityMode, SessionFact } from './facts/types.js';
import { startDeadline } from './net/deadline.js';
import { runDeadlineMs } from './net/limits.js';
import { DnsResolver } from './net/resolver.js';
import { createProbeContext, createTranscriptSink, type ProbeContext, type ProgressEvent } from './probes/context.js';
import { EXTENSION_PROBES } from './probes/registry.js';
import { resolveHost } from './probes/resolve.js';
import { probeSession } from './probes/session.js';
import { sweepEndpoint, type SweepResult } from './probes/speak.js';
import { buildReport } from './report/build.js';
import { redactReport, Redactor } from './net/redact.js';
import type { Report } from './report/types.js';
import { roundtripSettings, roundtripTimeMs } from './input/roundtrip-options.js';
import { startRoundtrip } from './roundtrip/run.js';
import { judgeCheck } from './rules/judge.js';
import type { DiscoveryFact } from './facts/discovery.js';
import { recommendedConfig, whatWorks, workingConfigs } from './rules/works.js';
import { discoverSettings, type DiscoveryOptions } from './input/discover.js';
import { buildTarget, passwordSecret, type CheckInput } from './input/parse.js';
import { Secret } from './input/secret.js';
import type { Target } from './input/target.js';

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Asked for the password once the server is known (after discovery), when a login name but no password or token
   * was given: the CLI's hidden prompt. Empty or undefined skips the login test.
   */
  askPassword?: (login: string, server: { host: string; port: number }) => Promise<string | undefined>;
}

/**
 * Large providers publish many addresses per name (8 or more A records). Probing every one × every port would open
 * dozens of connections and can trip the provider's per-client connection limits ("421 too many connections"); the
 * first two of each family, in DNS order (the ones a client tries first), say the same.
 */
export const ADDRESSES_PER_FAMILY = 2;
export function probedAddresses(all: ResolvedAddress[]): ResolvedAddress[] {
  const v4 = all.filter((a) => a.family === 4).slice(0, ADDRESSES_PER_FAMILY);
  const v6 = all.filter((a) => a.family === 6).slice(0, ADDRESSES_PER_FAMILY);
  return all.filter((a) => v4.includes(a) || v6.includes(a));
}

export { runDeadlineMs };

async function timed<T>(ctx: ProbeContext, probe: string, fn: () => Promise<T>, detail?: string): Promise<T> {
  const t0 = performance.now();
  ctx.progress({ type: 'probe-start', probe, detail });
  try {
    const v = await fn();
    ctx.progress({ type: 'probe-end', probe, status: 'ok', ms: Math.round(performance.now() - t0), detail });
    return v;
  } catch (e) {
    ctx.progress({ type: 'probe-end', probe, status: 'failed', ms: Math.round(performance.now() - t0), detail });
    throw e;
  }
}

/**
 * The round trip's way around a broken configuration: when the configured session failed before any login was
 * attempted (nothing refused the password, so no attempt is spent), the working submission path this run's sweep
 * found (the one the report recommends) carries the test message instead.
 */
export function alternatePath(session: SessionFact, sweep: SweepResult[], target: Target): { port: number; security: SecurityMode; address: string; reason: string } | undefined {
  if (session.auth?.attempted || session.data || !session.error) return undefined;
  const works = workingConfigs({ connects: [], speaks: sweep.flatMap((s) => (s.speak ? [s.speak] : [])), extra: {} }, target.host)
    .filter((w) => w.authMechanisms.length > 0 && w.certificateOk && !(w.port === target.port && w.security === target.security));
  const best = recommendedConfig(works, target);
  if (!best) return undefined;
  return { port: best.port, security: best.security, address: best.address, reason: `the configured ${target.port}/${target.security} session ended at ${session.error.step} (${session.error.message})` };
}

export async function runCheck(input: CheckInput, opts: RunOptions = {}): Promise<Report> {
  const startedAt = new Date();
  const t0 = performance.now();
  const partial = buildTarget(input);
  // A password still to be asked for (once the server is known) counts as given for the early input checks.
  const willAsk = !!opts.askPassword && !!partial.credentials && !partial.credentials.password && !partial.credentials.oauthToken;
  // Round-trip input errors (no password, no address of one's own) are the caller's, found before any network step.
  let roundtrip = roundtripSettings({ ...partial, host: partial.host ?? '', ...(willAsk ? { credentials: { ...partial.credentials!, password: new Secret('') } } : {}) });
  // One deadline for the whole run (docs/security.md "Run deadline"), plus the time asked for explicitly: the
  // round trip's wait and the hold test's idle period.
  const holdMs = ((partial.options.network as { holdSeconds?: number } | undefined)?.holdSeconds ?? 0) * 1000;
  const deadline = startDeadline(runDeadlineMs(partial.timeoutMs) + roundtripTimeMs(partial.options) + holdMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const resolver = new DnsResolver({ servers: partial.resolvers, timeoutMs: partial.timeoutMs, signal });
  const redactor = new Redactor(partial.credentials);
  const sink = createTranscriptSink(redactor);
  const facts: Facts = { connects: [], speaks: [], extra: {}, probeErrors: [] };

  // Settings discovery when only an address was given.
  let candidates: SubmissionCandidate[] = [];
  let host = partial.host;
  let { port, security } = partial;
  // With settings given too (flags, a client config), discovery runs to compare them with what the domain says.
  const discoveryEmail = partial.email ?? (partial.options.discovery as DiscoveryOptions | undefined)?.email;
  // Discovery for comparison runs alongside the probes; discovery for the target itself runs first.
  let comparison: Promise<void> | undefined;
  let discoveryRun: Promise<void> | undefined;
  if (discoveryEmail && (!host || (partial.options.discovery as DiscoveryOptions | undefined)?.compare)) {
    const run = discoverSettings(discoveryEmail, resolver, { ...(partial.options.discovery as DiscoveryOptions | undefined), ca: partial.ca, timeoutMs: partial.timeoutMs, signal }).then((d) => {
      candidates = d.submission;
      facts.extra.discovery = { email: discoveryEmail, compared: !!host, candidates, imap: d.imap, autoconfig: d.autoconfig, failedLookups: d.failedLookups, resolver: d.resolver } satisfies DiscoveryFact;
    });
    discoveryRun = run.catch(() => undefined);
    if (host) comparison = run.catch((e: Error) => { facts.probeErrors!.push({ probe: 'settings discovery', message: e.message }); });
    else await run;
  }
  if (!host && partial.email) {
    const best = candidates[0];
    if (!best) {
      const target: Target = { ...partial, host: partial.email.split('@')[1]!, origin: 'address' };
      return buildReport({ command: 'check', target, facts, findings: judgeCheck(facts, target), transcripts: [], startedAt, durationMs: Math.round(performance.now() - t0), dnsQueries: resolver.queries });
    }
    host = best.host;
    if (!partial.explicitPort) port = best.port;
    if (!partial.explicitSecurity) security = best.security;
  }
  if (!host) throw new UserError('usage', 'nothing to check: give an email address, an smtp:// URL or --host');
  const sweepPorts = [...new Set([...partial.sweepPorts, port])].sort((a, b) => a - b);
  let target: Target = { ...partial, host, port, security, sweepPorts };
  opts.onProgress?.({ type: 'target', host, port, foundBy: partial.host ? undefined : candidates[0]?.detail });
  if (willAsk) {
    deadline.pause();
    const pw = await opts.askPassword!(target.credentials!.user, { host, port }).finally(() => deadline.resume());
    if (pw) target = { ...target, credentials: { ...target.credentials!, password: passwordSecret(pw) } };
    roundtrip = roundtripSettings(target);
  }
  // The round trip sends to the user's own address: its envelope is the one the session tests.
  if (roundtrip) target = { ...target, from: roundtrip.sender, to: [roundtrip.recipient] };

  // Bad options of an extension area are the caller's mistake (exit 2), not a probe failure mid-run.
  for (const p of EXTENSION_PROBES) if (p.applies(target)) p.validate?.(target);
  const ctx = createProbeContext({ target, signal, resolver, transcript: sink.make, onProgress: opts.onProgress });

  const resolveP: Promise<ResolveFact> = timed(ctx, 'resolve', () => resolveHost(resolver, host!, (target.options.dns as { compareResolvers?: string[] } | undefined)?.compareResolvers), host);
  const sweepP: Promise<SweepResult[]> = resolveP.then((r) =>
    timed(ctx, 'sweep', () =>
      Promise.all(
        probedAddresses(r.addresses).flatMap((a) =>
          sweepPorts.map((p) =>
            sweepEndpoint(ctx, { address: a.address, family: a.family, port: p, tlsFirst: target.implicitTlsPorts.includes(p) || (p === target.port && target.security === 'implicit-tls') }),
          ),
        ),
      ),
    ),
  );
  // IMAP discovery: what the engine's own discovery found, else discovery for the sender's address (only when asked).
  const discoveredImap = async () => {
    if (discoveryRun) {
      await discoveryRun;
      return facts.extra.discovery?.imap ?? [];
    }
    return (await discoverSettings(roundtrip!.sender, resolver, { ...(target.options.discovery as DiscoveryOptions | undefined), ca: target.ca, timeoutMs: target.timeoutMs, signal })).imap;
  };
  const rt = roundtrip ? startRoundtrip(ctx, roundtrip, discoveredImap) : undefined;
  const sessionP = resolveP.then((r) => (r.addresses.length ? timed(ctx, 'session', () => probeSession(ctx, probedAddresses(r.addresses), rt?.sender)) : undefined));
  // Even if a probe fails with an internal error, the round trip finishes (it logs out of IMAP and closes sockets).
  const roundtripP = rt
    ? Promise.all([sessionP.catch(() => undefined), sweepP.catch(() => [])]).then(async ([session, sweep]) => {
      const alt = session ? alternatePath(session, sweep, target) : undefined;
      if (!alt) return timed(ctx, 'roundtrip', () => rt.finish(session));
      const altTarget: Target = { ...target, port: alt.port, security: alt.security };
      const altSession = await timed(ctx, 'roundtrip-session', () => probeSession({ ...ctx, target: altTarget }, [{ address: alt.address, family: net.isIP(alt.address) === 6 ? 6 : 4 }], rt.sender), `${alt.address}:${alt.port}`);
      return timed(ctx, 'roundtrip', () => rt.finish(altSession, alt));
    })
    : undefined;
  const extensions = EXTENSION_PROBES.filter((p) => p.applies(target)).map(async (p) => {
    try {
      (facts.extra as Record<string, unknown>)[p.name] = await timed(ctx, p.name, () => p.run(ctx, { resolve: resolveP, sweep: sweepP }));
    } catch (e) {
      facts.probeErrors!.push({ probe: `probe ${p.name}`, message: (e as Error).message });
    }
  });

  facts.resolve = await resolveP;
  const [sweep, session, roundtripFact] = await Promise.all([sweepP, sessionP, roundtripP, ...extensions]);
  facts.roundtrip = roundtripFact;
  for (const s of sweep) {
    facts.connects.push(s.connect);
    if (s.speak) facts.speaks.push(s.speak);
  }
  facts.session = session;
  await comparison;
  const report = buildReport({
    command: 'check', target, facts, findings: judgeCheck(facts, target),
    transcripts: sink.all.map((t) => t.toJSON()),
    ...whatWorks(facts, target),
    startedAt, durationMs: Math.round(performance.now() - t0), dnsQueries: resolver.queries,
  });
  redactReport(report, redactor);
  deadline.clear();
  return report;
}
