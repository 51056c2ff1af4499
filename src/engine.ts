// The engine: input → Target → the probe graph (concurrent, one deadline) → Facts → rules → Report.
// The CLI, the library API and the web page all call runCheck(); nothing else runs a check's probes. Settings
// discovery (which server to check) comes first; then every probe is a node of one graph (probes/graph.ts).
import net from 'node:net';
import { UserError } from './errors.js';
import type { DiscoveryFact, ImapCandidate, SubmissionCandidate } from './facts/discovery.js';
import type { Facts } from './facts/index.js';
import type { RoundtripFact } from './facts/roundtrip.js';
import type { ResolveFact, SecurityMode, SessionFact } from './facts/types.js';
import { startDeadline, type RunDeadline } from './net/deadline.js';
import { runDeadlineMs } from './net/limits.js';
import { systemIo, type RunIo } from './net/io.js';
import { DnsResolver } from './net/resolver.js';
import { redactReport, Redactor } from './net/redact.js';
import { createProbeContext, createTranscriptSink, type ProgressEvent } from './probes/context.js';
import { sessionResult } from './probes/core.js';
import { runProbeGraph, validateNodes, type GraphRun } from './probes/graph.js';
import { dataOf, defineProbe, ok, type AnyProbeNode } from './probes/probe.js';
import { checkProbes, EXTENSION_PROBES } from './probes/registry.js';
import { probeSession } from './probes/session.js';
import type { SweepResult } from './probes/speak.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/types.js';
import { roundtripSettings, roundtripTimeMs, type RoundtripSettings } from './input/roundtrip-options.js';
import { startRoundtrip, type RoundtripRun } from './roundtrip/run.js';
import { judgeCheck } from './rules/judge.js';
import { recommendedConfig, whatWorks, workingConfigs } from './rules/works.js';
import { discoverSettings, type DiscoveryOptions } from './input/discover.js';
import { buildTarget, passwordSecret, type CheckInput } from './input/parse.js';
import { Secret } from './input/secret.js';
import type { Target } from './input/target.js';

export { ADDRESSES_PER_FAMILY, probedAddresses } from './probes/core.js';
export { runDeadlineMs };

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

/** Lets a test swap probes of the graph (a crashing one, say); the identity everywhere else. */
export type ProbeListEdit = (probes: AnyProbeNode[]) => AnyProbeNode[];

export async function runCheck(input: CheckInput, opts: RunOptions = {}, editProbes: ProbeListEdit = (p) => p): Promise<Report> {
  const run = startRun(input, opts);
  try {
    const discovery = await discoverServers(run);
    const server = chosenServer(run.partial, discovery.candidates);
    // An address whose domain publishes no submission server: the report says so (judged from discovery's facts).
    if (!server) return finishReport(run, { ...run.partial, host: run.partial.email!.split('@')[1]!, origin: 'address' });
    const { target, roundtrip } = await targetFor(run, server, opts);
    const probes = editProbes([...checkProbes(), ...(roundtrip ? roundtripNodes(roundtrip, imapCandidates(run, discovery, roundtrip.sender)) : [])]);
    // Bad options of an extension area are the caller's mistake (exit 2), not a probe failure mid-run.
    validateNodes(probes, target);
    const ctx = createProbeContext({ target, signal: run.signal, resolver: run.resolver, io: run.io, transcript: run.sink.make, onProgress: opts.onProgress });
    assembleFacts(run.facts, await runProbeGraph(probes, ctx));
    await discovery.comparison;
    return finishReport(run, target);
  } finally {
    run.deadline.clear();
  }
}

type PartialTarget = ReturnType<typeof buildTarget>;

/** What one run shares from start to report: the input, the deadline, the resolver, the transcripts, the facts. */
interface RunSetup {
  startedAt: Date;
  t0: number;
  partial: PartialTarget;
  /** A login name without a password: asked for once the server is known. */
  willAsk: boolean;
  roundtrip?: RoundtripSettings;
  deadline: RunDeadline;
  signal: AbortSignal;
  resolver: DnsResolver;
  /** The run's I/O seam (TLS, HTTPS, clock, files), built once: discovery and every probe use the same one. */
  io: RunIo;
  redactor: Redactor;
  sink: ReturnType<typeof createTranscriptSink>;
  facts: Facts;
}

function startRun(input: CheckInput, opts: RunOptions): RunSetup {
  const startedAt = new Date();
  const t0 = performance.now();
  const partial = buildTarget(input);
  // A password still to be asked for (once the server is known) counts as given for the early input checks.
  const willAsk = !!opts.askPassword && !!partial.credentials && !partial.credentials.password && !partial.credentials.oauthToken;
  // Round-trip input errors (no password, no address of one's own) are the caller's, found before any network step.
  const roundtrip = roundtripSettings({ ...partial, host: partial.host ?? '', ...(willAsk ? { credentials: { ...partial.credentials!, password: new Secret('') } } : {}) });
  // One deadline for the whole run (docs/security.md "Run deadline"), plus the time asked for explicitly: the
  // round trip's wait and the hold test's idle period.
  const holdMs = ((partial.options.network as { holdSeconds?: number } | undefined)?.holdSeconds ?? 0) * 1000;
  const deadline = startDeadline(runDeadlineMs(partial.timeoutMs) + roundtripTimeMs(partial.options) + holdMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const redactor = new Redactor(partial.credentials);
  return {
    startedAt, t0, partial, willAsk, roundtrip, deadline, signal, redactor,
    resolver: new DnsResolver({ servers: partial.resolvers, timeoutMs: partial.timeoutMs, signal }),
    io: systemIo({ ca: partial.ca, signal, timeoutMs: partial.timeoutMs }),
    sink: createTranscriptSink(redactor),
    facts: { connects: [], speaks: [], extra: {}, probeErrors: [] },
  };
}

interface DiscoveryStep {
  /** The submission servers discovery found, best first (empty until it is done, and when it did not run). */
  candidates: SubmissionCandidate[];
  /** Settles (never rejects) once discovery is over: the round trip's IMAP servers may come from it. */
  settled?: Promise<void>;
  /** Discovery only to compare with the settings given: runs alongside the probes, awaited before the report. */
  comparison?: Promise<void>;
}

/** Settings discovery for an email address: first, when it chooses the server; alongside, to compare with settings given. */
async function discoverServers(run: RunSetup): Promise<DiscoveryStep> {
  const { partial, facts } = run;
  const o = partial.options.discovery as DiscoveryOptions | undefined;
  const email = partial.email ?? o?.email;
  const step: DiscoveryStep = { candidates: [] };
  if (!email || (partial.host && !o?.compare)) return step;
  const found = discoverSettings(email, run.resolver, { ...o, io: run.io, timeoutMs: partial.timeoutMs, signal: run.signal }).then((d) => {
    step.candidates = d.submission;
    facts.extra.discovery = { email, compared: !!partial.host, candidates: d.submission, imap: d.imap, autoconfig: d.autoconfig, failedLookups: d.failedLookups, resolver: d.resolver } satisfies DiscoveryFact;
  });
  step.settled = found.catch(() => undefined);
  if (!partial.host) await found;
  else step.comparison = found.catch((e: Error) => { facts.probeErrors!.push({ probe: 'settings discovery', message: e.message }); });
  return step;
}

/** The server to check: the one given, else discovery's best (with a port or security given kept); undefined when
 * discovery found none. */
function chosenServer(partial: PartialTarget, candidates: SubmissionCandidate[]): { host: string; port: number; security: SecurityMode; foundBy?: string } | undefined {
  if (partial.host) return { host: partial.host, port: partial.port, security: partial.security };
  if (!partial.email) throw new UserError('usage', 'nothing to check: give an email address, an smtp:// URL or --host');
  const best = candidates[0];
  if (!best) return undefined;
  return { host: best.host, port: partial.explicitPort ? partial.port : best.port, security: partial.explicitSecurity ? partial.security : best.security, foundBy: best.detail };
}

/** The Target once the server is known: its port in the sweep, the password asked for, the round trip's envelope. */
async function targetFor(run: RunSetup, server: NonNullable<ReturnType<typeof chosenServer>>, opts: RunOptions): Promise<{ target: Target; roundtrip?: RoundtripSettings }> {
  const { host, port, security, foundBy } = server;
  const sweepPorts = [...new Set([...run.partial.sweepPorts, port])].sort((a, b) => a - b);
  let target: Target = { ...run.partial, host, port, security, sweepPorts };
  opts.onProgress?.({ type: 'target', host, port, foundBy });
  let roundtrip = run.roundtrip;
  if (run.willAsk) {
    run.deadline.pause();
    const pw = await opts.askPassword!(target.credentials!.user, { host, port }).finally(() => run.deadline.resume());
    if (pw) target = { ...target, credentials: { ...target.credentials!, password: passwordSecret(pw) } };
    roundtrip = roundtripSettings(target);
  }
  // The round trip sends to the user's own address: its envelope is the one the session tests.
  if (roundtrip) target = { ...target, from: roundtrip.sender, to: [roundtrip.recipient] };
  return { target, roundtrip };
}

/** IMAP servers for the round trip: what the run's own discovery found, else discovery for the sender's address. */
function imapCandidates(run: RunSetup, discovery: DiscoveryStep, sender: string): () => Promise<ImapCandidate[]> {
  return async () => {
    if (discovery.settled) {
      await discovery.settled;
      return run.facts.extra.discovery?.imap ?? [];
    }
    const o = run.partial.options.discovery as DiscoveryOptions | undefined;
    return (await discoverSettings(sender, run.resolver, { ...o, io: run.io, timeoutMs: run.partial.timeoutMs, signal: run.signal })).imap;
  };
}

/** The round trip's way around a broken configured session: the path it takes and that path's session. */
interface AlternateSession {
  via: NonNullable<ReturnType<typeof alternatePath>>;
  session: SessionFact;
}

interface RoundtripNeeds {
  mailbox: RoundtripRun;
  session?: SessionFact;
  sweep?: SweepResult[];
}

function alternateFor(target: Target, needs: RoundtripNeeds): AlternateSession['via'] | undefined {
  return needs.session ? alternatePath(needs.session, needs.sweep ?? [], target) : undefined;
}

/**
 * The round trip's nodes: the mailbox, opened right away alongside the SMTP probes (the session hands it the test
 * message); the message's way around a broken configured session; then the wait for its arrival. The last one
 * runs whatever became of the sessions, so the mailbox is always logged out of.
 */
function roundtripNodes(settings: RoundtripSettings, imap: () => Promise<ImapCandidate[]>): AnyProbeNode[] {
  const mailbox = defineProbe<RoundtripRun>({ name: 'mailbox', needs: [], applies: () => true, run: async (ctx) => ok(startRoundtrip(ctx, settings, imap)) });
  const alternate = defineProbe<AlternateSession, RoundtripNeeds>({
    name: 'roundtrip-session',
    needs: ['mailbox', 'session', 'sweep'],
    tolerates: ['session', 'sweep'],
    applies: () => true,
    skipReason: (ctx, needs) => (alternateFor(ctx.target, needs) ? undefined : 'the configured session carries the test message'),
    detail: (ctx, needs) => {
      const via = alternateFor(ctx.target, needs);
      return via && `${via.address}:${via.port}`;
    },
    async run(ctx, needs) {
      const via = alternateFor(ctx.target, needs)!;
      const target: Target = { ...ctx.target, port: via.port, security: via.security };
      const session = await probeSession({ ...ctx, target }, [{ address: via.address, family: net.isIP(via.address) === 6 ? 6 : 4 }], needs.mailbox.sender);
      const r = sessionResult(session);
      return r.status === 'failed' ? { ...r, data: { via, session } } : ok({ via, session });
    },
  });
  const roundtrip = defineProbe<RoundtripFact, { mailbox: RoundtripRun; session?: SessionFact; 'roundtrip-session'?: AlternateSession }>({
    name: 'roundtrip',
    needs: ['mailbox', 'session', 'roundtrip-session'],
    tolerates: ['session', 'roundtrip-session'],
    applies: () => true,
    async run(_ctx, { mailbox, session, 'roundtrip-session': alt }) {
      return ok(await (alt ? mailbox.finish(alt.session, alt.via) : mailbox.finish(session)));
    },
  });
  return [mailbox, alternate, roundtrip];
}

/** The run's facts from the graph's results: the core probes' data in its place, each extension's under extra. */
function assembleFacts(facts: Facts, graph: GraphRun): void {
  const data = <T>(name: string) => dataOf(graph.results.get(name)) as T | undefined;
  facts.resolve = data<ResolveFact>('resolve');
  for (const s of data<SweepResult[]>('sweep') ?? []) {
    facts.connects.push(s.connect);
    if (s.speak) facts.speaks.push(s.speak);
  }
  facts.session = data<SessionFact>('session');
  facts.roundtrip = data<RoundtripFact>('roundtrip');
  for (const p of EXTENSION_PROBES) {
    const extra = data(p.name);
    if (extra !== undefined) (facts.extra as Record<string, unknown>)[p.name] = extra;
  }
  facts.probeErrors!.push(...graph.probeErrors);
}

/** Judges the facts and builds the report, every secret of the run scrubbed from it. */
function finishReport(run: RunSetup, target: Target): Report {
  const { facts } = run;
  const report = buildReport({
    command: 'check', target, facts, findings: judgeCheck(facts, target),
    transcripts: run.sink.all.map((t) => t.toJSON()),
    ...whatWorks(facts, target),
    startedAt: run.startedAt, durationMs: Math.round(performance.now() - run.t0), dnsQueries: run.resolver.queries,
  });
  redactReport(report, run.redactor);
  return report;
}
