// network: uses the sender's vantage point to tell the sender's own network, ISP and security software apart from
// the server. It compares the server with a reference endpoint on the same ports, tells a TCP reset from an ICMP
// rejection, optionally holds an idle connection and starts DATA, and reads local evidence. Observes only; the
// rules in rules/port-blockage.ts, rules/firewall.ts and rules/security-software.ts judge.
import { BlockList } from 'node:net';
import type { ConnectFact, Family, ResolvedAddress, ResolveFact } from '../../facts/types.js';
import type { ProbeContext } from '../context.js';
import { defineProbe, ok } from '../probe.js';
import { resolveHost } from '../resolve.js';
import { sweepEndpoint, type SweepResult } from '../speak.js';
import { dataStartProbe, holdTest, type Endpoint } from './conversations.js';
import { daneRecords } from './dane.js';
import { icmpDelta, readIcmpCounters } from './icmp.js';
import { collectLocalHints } from './local.js';
import { DEFAULT_REFERENCE, networkOptions } from './options.js';
import type { HoldFact, NetworkFacts, ReferenceFacts, ReferenceSpec, RefusalAttempt, RefusalFact } from '../../facts/network.js';

/** At most this many refused endpoints are re-tried to tell a reset from ICMP (each takes about one round trip). */
const MAX_REFUSAL_CHECKS = 12;

// Two lists: a BlockList checks IPv4 addresses against IPv4-mapped IPv6 rules too.
const NON_PUBLIC_V4 = new BlockList();
const NON_PUBLIC_V6 = new BlockList();
for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3]] as const) NON_PUBLIC_V4.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['2001:db8::', 32], ['ff00::', 8], ['::ffff:0:0', 96], ['64:ff9b::', 96]] as const) NON_PUBLIC_V6.addSubnet(a, p, 'ipv6');

export function isPublicAddress(a: ResolvedAddress): boolean {
  return a.family === 6 ? !NON_PUBLIC_V6.check(a.address, 'ipv6') : !NON_PUBLIC_V4.check(a.address, 'ipv4');
}

export function referenceSpecs(opts: ReturnType<typeof networkOptions>, targetAddrs: ResolvedAddress[]): { specs: ReferenceSpec[]; skipped?: string } {
  if (opts.referenceSpecs.length) return { specs: opts.referenceSpecs };
  if (opts.noReference) return { specs: [], skipped: 'reference comparison turned off (--no-reference)' };
  if (!targetAddrs.length) return { specs: [], skipped: 'the server has no address to compare' };
  if (!targetAddrs.some(isPublicAddress)) {
    return { specs: [], skipped: `the server has no public address; the default reference (${DEFAULT_REFERENCE.host}) would say nothing about it: pass --reference HOST[:PORTS]` };
  }
  return { specs: [DEFAULT_REFERENCE] };
}

async function probeReference(ctx: ProbeContext, specs: ReferenceSpec[], skipped: string | undefined): Promise<ReferenceFacts> {
  const t0 = ctx.clock.monotonic();
  const facts: ReferenceFacts = { specs, skipped, resolves: [], connects: [], speaks: [], ms: 0 };
  await Promise.all(specs.map(async (spec) => {
    const r = await resolveHost(ctx.resolver, ctx.clock, spec.host);
    facts.resolves.push(r);
    const refCtx: ProbeContext = {
      ...ctx,
      target: { ...ctx.target, host: spec.host },
      transcript: (label) => ctx.transcript(label.replace('(port sweep)', `(reference ${spec.host})`)),
    };
    // One address per family is enough to compare with, and spares a public reference needless connections.
    const addrs = [4, 6].map((f) => r.addresses.find((a) => a.family === f)).filter((a): a is ResolvedAddress => !!a);
    const results: SweepResult[] = await Promise.all(addrs.flatMap((a) => spec.ports.map((port) =>
      sweepEndpoint(refCtx, { address: a.address, family: a.family, port, tlsFirst: port === 465 || ctx.target.implicitTlsPorts.includes(port) }))));
    for (const s of results) {
      facts.connects.push(s.connect);
      if (s.speak) facts.speaks.push(s.speak);
    }
  }));
  facts.ms = Math.round(ctx.clock.monotonic() - t0);
  return facts;
}

/** Every 10 ms on the run's clock until `until` aborts: when `moved()` says the ICMP counter moved, aborts `stop`. */
async function watchIcmp(ctx: Pick<ProbeContext, 'clock'>, moved: () => boolean, until: AbortSignal, stop: AbortController): Promise<void> {
  while (!until.aborted && !stop.signal.aborted) {
    await ctx.clock.sleep(10, until);
    if (!until.aborted && moved()) stop.abort();
  }
}

/**
 * Repeats each refused or unreachable connection and records whether an ICMP destination-unreachable arrived during
 * the attempt. The counters are per namespace and per family, so attempts run one at a time within a family (the
 * two families in parallel). A refused attempt with no ICMP was a TCP reset (one attempt settles it); a refusal with
 * ICMP is repeated once, since a concurrent connection elsewhere could have raised the counter. An unreachable
 * errno with no ICMP was the local kernel (no route, no neighbour).
 */
async function classifyRefusals(ctx: ProbeContext, endpoints: { role: RefusalFact['role']; c: ConnectFact }[]): Promise<RefusalFact[]> {
  const timeoutMs = Math.min(ctx.timeoutMs, 1500);
  const one = async (role: RefusalFact['role'], c: ConnectFact): Promise<RefusalFact> => {
    const attempts: RefusalAttempt[] = [];
    for (let i = 0; i < 2 && !ctx.signal.aborted; i++) {
      const before = readIcmpCounters(ctx.files);
      // Linux treats an ICMPv6 error on the first SYN as soft and fails the connect only at the retransmission
      // (~1 s later); the counter moves at once, so stop watching as soon as it does.
      const stop = new AbortController();
      const dialed = new AbortController();
      const watching = watchIcmp(ctx, () => (icmpDelta(before, readIcmpCounters(ctx.files), c.family) ?? 0) > 0, AbortSignal.any([ctx.signal, dialed.signal]), stop);
      const d = await ctx.dialFresh({ address: c.address, family: c.family, port: c.port, timeoutMs, signal: AbortSignal.any([ctx.signal, stop.signal]) });
      dialed.abort();
      await watching;
      const after = readIcmpCounters(ctx.files);
      if (d.outcome === 'open') d.socket.destroy();
      const a: RefusalAttempt = { outcome: d.outcome, errno: 'errno' in d ? d.errno : undefined, icmpDelta: icmpDelta(before, after, c.family), ms: d.ms };
      attempts.push(a);
      // No ICMP (or unreadable counters) settles it; an ICMP is confirmed once more.
      if (!a.icmpDelta || a.outcome === 'open') break;
    }
    let verdict: RefusalFact['verdict'] = 'inconclusive';
    if (attempts.length && attempts.every((a) => a.icmpDelta !== undefined)) {
      if (attempts.some((a) => a.outcome === 'refused' && a.icmpDelta === 0)) verdict = 'rst';
      else if (attempts.length === 2 && attempts.every((a) => (a.icmpDelta ?? 0) > 0)) verdict = 'icmp';
      else if (attempts.some((a) => a.outcome === 'unreachable') && attempts.every((a) => (a.icmpDelta ?? 0) > 0)) verdict = 'icmp';
    }
    return { role, address: c.address, family: c.family, port: c.port, attempts, verdict };
  };
  const picked = endpoints.slice(0, MAX_REFUSAL_CHECKS);
  const byFamily = await Promise.all(([4, 6] as const).map(async (family) => {
    const out: RefusalFact[] = [];
    for (const { role, c } of picked.filter((e) => e.c.family === family)) out.push(await one(role, c));
    return out;
  }));
  return byFamily.flat();
}

/** The longest idle period that still leaves room for the NOOP and QUIT before the run's deadline. */
function maxHoldMs(ctx: ProbeContext): number {
  return Math.max(1000, ctx.timeoutMs * 7 + 4000);
}

function endpointFor(ctx: ProbeContext, a: { address: string; family: Family }, port: number, servername: string, label: string, implicitTls: boolean): Endpoint {
  return { address: a.address, family: a.family, port, servername, implicitTls, label };
}

export const networkProbe = defineProbe<NetworkFacts, { resolve?: ResolveFact }, { sweep: SweepResult[] }>({
  name: 'network',
  // The sweep's refusals are classified last; the reference, hold and DATA tests start without waiting for it.
  needs: ['resolve'],
  tolerates: ['resolve'],
  later: ['sweep'],
  applies: () => true,
  validate: (target) => void networkOptions(target.options.network),
  async run(ctx, { resolve }, later) {
    const t0 = ctx.clock.monotonic();
    const opts = networkOptions(ctx.target.options.network);
    const t = ctx.target;
    const targetAddrs = resolve?.addresses ?? [];
    // A listener on this machine matters only when the server is elsewhere; then find its process too.
    const local = collectLocalHints(ctx, !targetAddrs.every((a) => a.address.startsWith('127.') || a.address === '::1'));
    const { specs, skipped } = referenceSpecs(opts, targetAddrs);
    const referenceP = probeReference(ctx, specs, skipped);

    const configuredImplicit = t.security === 'implicit-tls';
    const holdsP: Promise<HoldFact[]> = (async () => {
      if (!opts.holdSeconds || !targetAddrs.length) return [];
      const want = Math.round(opts.holdSeconds * 1000);
      const first = targetAddrs[0]!;
      const jobs = [holdTest(ctx, endpointFor(ctx, first, t.port, t.host, 'hold test', configuredImplicit), 'target', want, maxHoldMs(ctx))];
      // The same idle period towards the reference tells a cut on the sender's side from one near the server.
      const ref = await referenceP;
      const refSpec = ref.specs.find((s) => s.ports.includes(t.port));
      const refAddr = refSpec && ref.resolves.find((r) => r.host === refSpec.host)?.addresses.find((a) => a.family === first.family);
      if (refSpec && refAddr) jobs.push(holdTest(ctx, endpointFor(ctx, refAddr, t.port, refSpec.host, `hold test, reference ${refSpec.host}`, t.port === 465 || t.implicitTlsPorts.includes(t.port)), 'reference', want, maxHoldMs(ctx)));
      return Promise.all(jobs);
    })();
    const dataP = opts.dataProbe && t.from && t.to[0] && targetAddrs[0]
      ? dataStartProbe(ctx, endpointFor(ctx, targetAddrs[0], t.port, t.host, 'DATA-start test', configuredImplicit), t.from, t.to[0])
      : Promise.resolve(undefined);

    // TLSA records matter for public servers; a private one is checked only against a resolver the user named (a
    // system resolver that does not answer would otherwise cost a timeout on every local check).
    const daneP = targetAddrs.some(isPublicAddress) || t.resolvers.length ? daneRecords(ctx, targetAddrs) : Promise.resolve(undefined);

    const [sweep = [], reference] = await Promise.all([later.sweep, referenceP]);
    const seen = new Set<string>();
    const toClassify: { role: RefusalFact['role']; c: ConnectFact }[] = [];
    for (const [role, list] of [['target', sweep.map((s) => s.connect)], ['reference', reference.connects]] as const) {
      for (const c of list) {
        const key = `${c.address}|${c.port}`;
        if ((c.outcome === 'refused' || c.outcome === 'unreachable') && !seen.has(key)) {
          seen.add(key);
          toClassify.push({ role, c });
        }
      }
    }
    const refusals = await classifyRefusals(ctx, toClassify);
    const [holds, dataProbe, dane] = await Promise.all([holdsP, dataP, daneP]);
    return ok({ kind: 'network', reference, refusals, local, holds, dataProbe, dane, ms: Math.round(ctx.clock.monotonic() - t0) });
  },
});
