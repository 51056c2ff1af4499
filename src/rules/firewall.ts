// How a mail port is blocked and what filters SMTP on the way: drop, reset, ICMP, close-after-connect (with the
// reference comparison saying on whose side), idle cuts (hold test), masked banners, STARTTLS stripping, HTTP
// answers, a cut at DATA; plus local evidence that explains a block (proxy variables, containers).
import type { Facts } from '../facts/index.js';
import type { SpeakFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Evidence, Finding } from '../findings/types.js';
import type { HoldFact } from '../facts/network.js';
import type { Target } from '../input/target.js';
import { endpoint } from './evidence.js';
import { compare, comparisonEvidence, networkFacts, portsText, workingAlternative, type Comparison } from './port-blockage.js';
import { defineRule } from './types.js';
import { usableConfigs, workingConfigs } from './works.js';
import { findingDef } from '../findings/catalog.js';

function severityFor(facts: Facts, target: Target, ports: number[]): 'warning' | 'info' {
  return ports.includes(target.port) && facts.session?.connect?.outcome !== 'open' ? 'warning' : 'info';
}

const ICMP_WORDS: Record<string, string> = {
  ECONNREFUSED: 'port unreachable',
  EHOSTUNREACH: 'host unreachable / host or admin prohibited',
  ENETUNREACH: 'network unreachable / net prohibited',
  EACCES: 'administratively prohibited',
  EPERM: 'administratively prohibited',
};

/** Masked greeting: Cisco's inspection replaces the text with asterisks (sometimes keeping a few digits). */
export function isMaskedBanner(line: string): boolean {
  const text = line.slice(4).replace(/\s/g, '');
  const stars = (text.match(/\*/g) ?? []).length;
  return /^220[ -]/.test(line) && stars >= 6 && stars / Math.max(1, text.length) >= 0.6;
}

/** Cisco ASA rewrites STARTTLS to XXXXXXXA; other inspectors use runs of X. */
function mangledKeyword(keywords: string[]): string | undefined {
  return keywords.find((k) => /^X{6,}[A-Z]?$/.test(k));
}

function holdWords(h: HoldFact): string {
  return h.outcome === 'cut-silently' ? 'no answer after the idle period: the connection state was dropped' : h.outcome === 'reset' ? 'reset' : 'closed';
}

function speaksOn(list: SpeakFact[], port: number): SpeakFact[] {
  return list.filter((s) => s.port === port);
}

/**
 * The catalog's fix with its "use port 465 if the server offers it" step made true to this run: the SSL/TLS port the
 * sweep saw working (nothing can strip TLS from the first byte unnoticed), or no such step when none was seen.
 */
function implicitTlsFix(code: string, facts: Facts, target: Target): string[] {
  const tlsPort = usableConfigs(workingConfigs(facts, target.host), target).find((w) => w.security === 'implicit-tls')?.port;
  return findingDef(code).fix.flatMap((step) => {
    if (!/port 465/.test(step)) return [step];
    return tlsPort === undefined ? [] : [`Use port ${tlsPort} with SSL/TLS (seen working in this run): TLS from the first byte cannot be inspected or stripped unnoticed.`];
  });
}

/** What every firewall judge reads: the network facts, the per-port comparison with the reference, and the
 * alternative to suggest first. Computed once per run of the rule. */
interface PathView {
  n: ReturnType<typeof networkFacts>;
  cmps: Comparison[];
  blockedPorts: number[];
  alternative: ReturnType<typeof workingAlternative>;
  refSpeaks: SpeakFact[];
}

/** How a port is blocked on your side (the reference is blocked the same way): drop, reset or close. */
function judgeLocalBlocks(facts: Facts, target: Target, p: PathView): Finding[] {
  const { cmps, alternative } = p;
  const out: Finding[] = [];
  const local = cmps.filter((c) => c.verdict === 'blocked-locally');
  const mechanisms: [string, (c: Comparison) => boolean][] = [
    ['firewall.silent-drop', (c) => c.target.kind === 'drop' && c.reference?.kind === 'drop'],
    ['firewall.tcp-reset', (c) => c.target.kind === 'rst' && c.reference?.kind === 'rst'],
    ['firewall.closed-after-connect', (c) => c.target.kind === 'closed' && c.reference?.kind === 'closed'],
  ];
  for (const [code, pick] of mechanisms) {
    const hits = local.filter(pick);
    if (!hits.length) continue;
    const ports = [...new Set(hits.map((c) => c.port))];
    out.push(makeFinding(code, {
      evidence: hits.flatMap(comparisonEvidence),
      vars: { ports: portsText(ports) },
      severity: severityFor(facts, target, ports),
      fixFirst: alternative,
    }));
  }
  return out;
}

/** ICMP rejections towards the server or the reference: always a firewall (hosts answer closed TCP ports with a reset). */
function judgeIcmpRejects(facts: Facts, target: Target, p: PathView): Finding[] {
  const { n, cmps, alternative } = p;
  const out: Finding[] = [];
  const icmpHits = cmps.flatMap((c) => [
    ...c.target.endpoints.filter((e) => e.kind === 'icmp').map((e) => ({ role: 'server', e, c })),
    ...(c.reference?.endpoints.filter((e) => e.kind === 'icmp') ?? []).map((e) => ({ role: 'reference', e, c })),
  ]);
  if (icmpHits.length) {
    const ports = [...new Set(icmpHits.map((h) => h.c.port))];
    const types = [...new Set(icmpHits.map((h) => ICMP_WORDS[h.e.c.errno ?? ''] ?? 'unreachable'))];
    const both = ports.some((p) => icmpHits.some((h) => h.role === 'server' && h.c.port === p) && icmpHits.some((h) => h.role === 'reference' && h.c.port === p));
    const onlyServer = icmpHits.every((h) => h.role === 'server');
    const refusalNote = (addr: string, port: number) => {
      const r = n?.refusals.find((x) => x.address === addr && x.port === port);
      return r ? `; repeated ${r.attempts.length}×, ICMP destination-unreachable counted each time (${r.attempts.map((a) => a.icmpDelta).join(', ')})` : '';
    };
    out.push(makeFinding('firewall.icmp-reject', {
      evidence: icmpHits.map((h) => ({ text: `${h.role}: ${h.e.c.errno ?? 'error'} → ICMP ${ICMP_WORDS[h.e.c.errno ?? ''] ?? 'unreachable'}${refusalNote(h.e.c.address, h.e.c.port)}`, where: endpoint(h.e.c.address, h.e.c.port), ms: h.e.c.ms })),
      vars: {
        ports: portsText(ports),
        icmp: types.join(', '),
        where: both ? 'The reference is rejected the same way: the firewall is on your side.' : onlyServer ? (n?.reference.connects.length ? 'Only the server is rejected, not the reference: the firewall is near the server or rejects this destination.' : '') : 'Only the reference is rejected.',
        whereFix: both ? 'this machine\'s firewall, then your router or company firewall.' : 'ask the server\'s operator, or check your own firewall for a rule about this destination.',
      },
      severity: severityFor(facts, target, ports),
      // The counters are per namespace and shared with concurrent connections: two attempts, but still a heuristic.
      confidence: icmpHits.every((h) => h.e.c.errno !== 'ECONNREFUSED') ? 'certain' : 'likely',
      fixFirst: alternative,
    }));
  }
  return out;
}

/** Idle cuts (the hold test). */
function judgeIdleCut(facts: Facts, target: Target, p: PathView): Finding[] {
  const { n } = p;
  const out: Finding[] = [];
  const holds = n?.holds ?? [];
  const th = holds.find((h) => h.role === 'target');
  const rh = holds.find((h) => h.role === 'reference');
  if (th && ['cut-silently', 'reset', 'closed'].includes(th.outcome)) {
    const refCut = rh && ['cut-silently', 'reset', 'closed'].includes(rh.outcome);
    const side = refCut ? 'on your side' : rh?.outcome === 'survived' ? 'between you and this server' : 'somewhere on the path';
    const ev: Evidence[] = [{ text: `server: idle ${th.heldMs} ms requested ${th.requestedMs} ms → ${holdWords(th)}${th.endedAfterMs !== undefined ? ` after ${th.endedAfterMs} ms` : ''}${th.detail ? ` (${th.detail})` : ''}`, where: endpoint(th.address, th.port) }];
    if (rh) ev.push({ text: `reference: the same idle period → ${rh.outcome === 'survived' ? 'still alive (NOOP answered)' : holdWords(rh)}`, where: endpoint(rh.address, rh.port) });
    const seconds = Math.round(((th.outcome === 'cut-silently' ? th.heldMs : th.endedAfterMs ?? th.heldMs) / 1000) * 10) / 10;
    // A silent cut is only known to have happened at some point during the pause.
    const when = th.outcome === 'cut-silently' ? `within ${seconds} s of idling` : `after about ${seconds} s idle`;
    out.push(makeFinding('firewall.idle-cut', { evidence: ev, vars: { when, side, outcome: holdWords(th) }, confidence: refCut || rh?.outcome === 'survived' ? 'likely' : 'possible' }));
  }
  return out;
}

/** Masked banners. */
function judgeMaskedBanner(facts: Facts, target: Target, p: PathView): Finding[] {
  const { refSpeaks } = p;
  const out: Finding[] = [];
  const masked = [...facts.speaks.map((s) => ['server', s] as const), ...refSpeaks.map((s) => ['reference', s] as const)]
    .filter(([, s]) => s.greeting?.reply.lines.some(isMaskedBanner));
  const sessionMasked = facts.session?.greeting?.reply.lines.some(isMaskedBanner);
  if (masked.length || sessionMasked) {
    const first = masked[0]?.[1].greeting?.reply.lines[0] ?? facts.session?.greeting?.reply.lines[0] ?? '';
    out.push(makeFinding('filter.banner-masked', {
      evidence: masked.map(([who, s]) => ({ text: `${who} greeting: ${s.greeting!.reply.lines[0]}`, where: endpoint(s.address, s.port) })),
      vars: { banner: first.slice(0, 60) },
      fix: implicitTlsFix('filter.banner-masked', facts, target),
      severity: target.port && masked.some(([, s]) => s.port === target.port) ? 'warning' : 'info',
    }));
  }
  return out;
}

/** The same greeting from two different servers: a proxy on this side speaks for both. */
function judgeProxyBanner(facts: Facts, target: Target, p: PathView): Finding[] {
  const { refSpeaks } = p;
  const out: Finding[] = [];
  const proxied = facts.speaks.filter((s) => {
    const g = s.greeting?.reply.lines[0];
    return g && !isMaskedBanner(g) && refSpeaks.some((r) => r.port === s.port && r.greeting?.reply.lines[0] === g);
  });
  if (proxied.length) {
    const ports = [...new Set(proxied.map((s) => s.port))];
    out.push(makeFinding('filter.proxy-banner', {
      evidence: [
        ...proxied.map((s) => ({ text: `server greeting: ${s.greeting!.reply.lines[0]}`, where: endpoint(s.address, s.port) })),
        ...refSpeaks.filter((r) => ports.includes(r.port) && proxied.some((s) => s.greeting!.reply.lines[0] === r.greeting?.reply.lines[0])).map((r) => ({ text: `reference greeting: ${r.greeting!.reply.lines[0]}`, where: endpoint(r.address, r.port) })),
      ],
      vars: { ports: portsText(ports), banner: proxied[0]!.greeting!.reply.lines[0]!.slice(0, 80) },
      severity: ports.includes(target.port) ? 'warning' : 'info',
      confidence: 'likely',
    }));
  }
  return out;
}

/** STARTTLS stripped, or its keyword rewritten. */
function judgeStarttlsStripped(facts: Facts, target: Target, p: PathView): Finding[] {
  const { refSpeaks } = p;
  const out: Finding[] = [];
  const plainPorts = [...new Set(facts.speaks.filter((s) => s.speaks === 'smtp' && s.ehlo).map((s) => s.port))];
  for (const port of plainPorts) {
    const mine = speaksOn(facts.speaks, port).filter((s) => s.ehlo && !s.ehlo.starttls);
    if (!mine.length) continue;
    const mangled = mine.map((s) => mangledKeyword(s.ehlo!.keywords)).find(Boolean);
    const refs = speaksOn(refSpeaks, port).filter((s) => s.speaks === 'smtp' && s.ehlo);
    const refStripped = refs.length > 0 && refs.every((s) => !s.ehlo!.starttls);
    const offeredElsewhere = [...facts.speaks, ...refSpeaks].some((s) => s.port !== port && s.ehlo?.starttls);
    if (!mangled && !(refStripped && offeredElsewhere)) continue;
    const how = mangled ? `the keyword was rewritten to "${mangled}"` : `it is missing towards the server and the reference on port ${port}, but offered on other ports`;
    out.push(makeFinding('filter.starttls-stripped', {
      evidence: [
        ...mine.map((s) => ({ text: `server EHLO keywords: ${s.ehlo!.keywords.join(', ') || '(none)'}`, where: endpoint(s.address, s.port) })),
        ...refs.map((s) => ({ text: `reference EHLO keywords: ${s.ehlo!.keywords.join(', ') || '(none)'}`, where: endpoint(s.address, s.port) })),
        ...[...facts.speaks, ...refSpeaks].filter((s) => s.port !== port && s.ehlo?.starttls).slice(0, 2).map((s) => ({ text: `STARTTLS offered on port ${s.port}`, where: endpoint(s.address, s.port) })),
      ],
      vars: { port, how },
      fix: implicitTlsFix('filter.starttls-stripped', facts, target),
      severity: port === target.port && target.security === 'starttls' ? 'blocker' : 'warning',
      confidence: mangled ? 'certain' : 'likely',
    }));
  }
  return out;
}

/** HTTP on a mail port. */
function judgeHttpIntercept(facts: Facts, target: Target, p: PathView): Finding[] {
  const { refSpeaks } = p;
  const out: Finding[] = [];
  const httpServer = facts.speaks.filter((s) => s.speaks === 'http');
  if (httpServer.length) {
    const ports = [...new Set(httpServer.map((s) => s.port))];
    const refHttp = refSpeaks.filter((s) => s.speaks === 'http' && ports.includes(s.port));
    out.push(makeFinding('filter.http-intercept', {
      evidence: [...httpServer, ...refHttp].map((s) => ({ text: `${refHttp.includes(s) ? 'reference' : 'server'} answered: ${JSON.stringify((s.firstBytes ?? '').split(/\r?\n/)[0]?.slice(0, 80))}`, where: endpoint(s.address, s.port) })),
      vars: { port: ports.join(', '), where: refHttp.length ? ' towards the server and the reference alike, so it happens on your network' : '' },
      // Without the reference answering HTTP too, a wrong port (a web server) is as likely as an interceptor:
      // then it is a warning beside smtp.not-smtp, not the root cause.
      severity: ports.includes(target.port) && refHttp.length ? 'blocker' : 'warning',
      confidence: refHttp.length ? 'certain' : 'possible',
    }));
  }
  return out;
}

/** A cut at DATA (the DATA-start probe). */
function judgeClosedOnData(facts: Facts, target: Target, p: PathView): Finding[] {
  const { n } = p;
  const out: Finding[] = [];
  const d = n?.dataProbe;
  if (d?.outcome === 'closed-on-data') {
    out.push(makeFinding('filter.closed-on-data', {
      evidence: [{ text: `MAIL FROM and RCPT TO accepted; DATA → ${d.detail ?? 'connection closed'} (no message content was sent)`, where: endpoint(d.address, d.port), ms: d.ms }],
      confidence: 'likely',
    }));
  }
  return out;
}

/** Local evidence that explains a block (proxy variables, containers). */
function judgeLocalHints(facts: Facts, target: Target, p: PathView): Finding[] {
  const { n, blockedPorts } = p;
  const out: Finding[] = [];
  const anyBlocked = blockedPorts.length > 0 || (facts.session?.connect && facts.session.connect.outcome !== 'open');
  // A server on this machine (loopback) is not behind the network these hints are about.
  const serverIsLoopback = !!facts.resolve?.addresses.length && facts.resolve.addresses.every((a) => a.address.startsWith('127.') || a.address === '::1');
  if (n && anyBlocked && !serverIsLoopback) {
    if (n.local.proxyEnv.length) {
      out.push(makeFinding('local.proxy-env', {
        evidence: n.local.proxyEnv.map((p) => ({ text: `${p.name}=${p.value}` })),
        vars: { names: n.local.proxyEnv.map((p) => p.name).join(', ') },
      }));
    }
    if (n.local.container.length) {
      out.push(makeFinding('local.container', { evidence: n.local.container.map((text) => ({ text })), vars: { evidence: n.local.container.join('; ') } }));
    }
  }
  return out;
}

const JUDGES = [judgeLocalBlocks, judgeIcmpRejects, judgeIdleCut, judgeMaskedBanner, judgeProxyBanner, judgeStarttlsStripped, judgeHttpIntercept, judgeClosedOnData, judgeLocalHints];

export const firewallRule = defineRule({
  name: 'firewall',
  run(facts, target) {
    const n = networkFacts(facts);
    const cmps = compare(facts);
    const blockedPorts = cmps.filter((c) => c.target.blocked).map((c) => c.port);
    const view: PathView = { n, cmps, blockedPorts, alternative: workingAlternative(facts, target, blockedPorts), refSpeaks: n?.reference.speaks ?? [] };
    return JUDGES.flatMap((judge) => judge(facts, target, view));
  },
});
