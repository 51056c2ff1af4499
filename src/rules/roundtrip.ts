// Judges the round trip: the IMAP-vs-SMTP password cross-check, whether and where the test message arrived, and
// what the receiving side's authentication checks and spam filter said about it.
import type { Facts } from '../facts/index.js';
import type { SessionFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Evidence, Finding } from '../findings/types.js';
import type { AuthResult, SpamVerdict } from '../roundtrip/headers/index.js';
import type { ReceivedHeaders, RoundtripFact } from '../facts/roundtrip.js';
import type { Target } from '../input/target.js';
import { replyEvidence } from './evidence.js';
import { classifyReply, providerIdForHost } from './reply-classifier.js';
import { defineRule } from './types.js';

/** From the server's 250 to the copy being found: slower than this is worth a warning. */
export const SLOW_TOTAL_MS = 60_000;
/** One hop of the Received chain slower than this is worth a warning (greylisting retries after minutes). */
export const SLOW_HOP_MS = 30_000;

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);

const protocolName = (rt: RoundtripFact) => (rt.imap.endpoint?.protocol === 'pop3' ? 'POP3' : 'IMAP');

function imapWhere(rt: RoundtripFact): string | undefined {
  const e = rt.imap.endpoint;
  return e ? `${protocolName(rt)} ${e.host}:${e.port}` : undefined;
}

function imapEvidence(rt: RoundtripFact): Evidence {
  const i = rt.imap;
  const said = i.response ? `: ${i.responseCode ? `[${i.responseCode}] ` : ''}${i.response}` : i.message ? `: ${i.message}` : '';
  const what = i.outcome === 'accepted' ? 'login accepted' : i.outcome === 'rejected' ? 'login refused' : i.outcome === 'login-disabled' ? 'password login not allowed' : i.outcome;
  return { text: `${protocolName(rt)} ${what}${said}`, where: imapWhere(rt), ms: i.ms };
}

function crossCheck(rt: RoundtripFact, s: SessionFact | undefined): Finding[] {
  const out: Finding[] = [];
  const i = rt.imap;
  const auth = s?.auth;
  const smtpWhere = s ? `${s.address}:${s.port}` : undefined;
  const smtpRefused = !!auth?.attempted && !auth.accepted && !!auth.reply && auth.reply.code >= 500;
  if (smtpRefused && i.outcome === 'accepted') {
    out.push(makeFinding('auth.smtp-only-rejected', { evidence: [imapEvidence(rt), replyEvidence(`SMTP AUTH ${auth.mechanism}`, auth.reply!, smtpWhere, auth.ms)], confidence: 'likely' }));
  } else if (smtpRefused && i.outcome === 'rejected') {
    out.push(makeFinding('auth.rejected-by-imap-too', { evidence: [imapEvidence(rt), replyEvidence(`SMTP AUTH ${auth.mechanism}`, auth.reply!, smtpWhere, auth.ms)] }));
  } else if (i.outcome === 'rejected' || i.outcome === 'login-disabled') {
    const smtp: Evidence[] = auth?.accepted ? [{ text: `SMTP AUTH ${auth.mechanism} accepted the same credentials`, where: smtpWhere }] : [];
    out.push(makeFinding('roundtrip.imap-login-failed', { evidence: [imapEvidence(rt), ...smtp] }));
  } else if (i.outcome === 'unreachable' || i.outcome === 'failed') {
    const tried: Evidence[] = i.candidates.map((c) => ({ text: `${c.endpoint.host}:${c.endpoint.port} (${c.endpoint.detail}): ${c.outcome}`, ms: c.ms }));
    out.push(makeFinding('roundtrip.imap-unreachable', { evidence: i.outcome === 'failed' ? [imapEvidence(rt), ...tried] : tried.length ? tried : [{ text: 'no IMAP server candidate' }] }));
  }
  return out;
}

/**
 * The receiver's verdict for a method. Only Authentication-Results headers from the receiver count: the topmost one
 * (a receiver adds its header on top) and others with the same authserv-id; one further down with another id came
 * from elsewhere, possibly from the sender itself (RFC 8601 §5). A pass among several results of the method wins
 * (one passing DKIM signature is what DMARC needs). Else ARC's results, else Received-SPF.
 */
export function receiverVerdict(copy: ReceivedHeaders, method: string): (AuthResult & { authserv?: string }) | undefined {
  const receiver = copy.authResults[0]?.authservId;
  const trusted = copy.authResults.filter((h, i) => i === 0 || h.authservId === receiver);
  const results = trusted.flatMap((h) => h.results.filter((x) => x.method === method).map((r) => ({ ...r, authserv: h.authservId })));
  if (results.length) return results.find((r) => r.result === 'pass') ?? results[0];
  if (method === 'spf' && copy.receivedSpf[0]) return copy.receivedSpf[0];
  for (const h of copy.arc) {
    const r = h.results.find((x) => x.method === method);
    if (r) return { ...r, authserv: h.authservId };
  }
  return undefined;
}

function describeResult(r: AuthResult & { authserv?: string }): string {
  const props = Object.entries(r.props).filter(([k]) => k !== 'header.b').map(([k, v]) => `${k}=${v}`).join(' ');
  return `${r.method}=${r.result}${r.reason ? ` reason="${r.reason}"` : ''}${r.comment ? ` (${r.comment})` : ''}${props ? ` ${props}` : ''}${r.authserv ? ` [by ${r.authserv}]` : ''}`;
}

const IP_IN_TEXT = /\b(\d{1,3}(?:\.\d{1,3}){3})\b|\b([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\b/i;

function authFindings(copy: ReceivedHeaders, from: string | undefined, where: string): Finding[] {
  const out: Finding[] = [];
  const spf = receiverVerdict(copy, 'spf');
  if (spf && spf.result !== 'pass') {
    const mailfrom = spf.props['smtp.mailfrom'] ?? spf.props['envelope-from'] ?? from ?? '';
    const domain = mailfrom.includes('@') ? mailfrom.slice(mailfrom.lastIndexOf('@') + 1) : mailfrom || (from?.split('@')[1] ?? 'your domain');
    const ip = spf.props['client-ip'] ?? spf.props['smtp.remote-ip'] ?? IP_IN_TEXT.exec(spf.comment ?? '')?.[0];
    out.push(makeFinding('roundtrip.receiver-spf', {
      evidence: [{ text: describeResult(spf), where }],
      vars: { result: spf.result, domain, ip: ip ? `ip${ip.includes(':') ? 6 : 4}:${ip}` : 'its address is in the evidence' },
      severity: spf.result === 'none' || spf.result === 'neutral' ? 'info' : 'warning',
    }));
  }
  const dkim = receiverVerdict(copy, 'dkim');
  if (dkim && dkim.result !== 'pass') {
    out.push(makeFinding('roundtrip.receiver-dkim', { evidence: [{ text: describeResult(dkim), where }], vars: { result: dkim.result } }));
  }
  const dmarc = receiverVerdict(copy, 'dmarc');
  if (dmarc && dmarc.result !== 'pass') {
    out.push(makeFinding('roundtrip.receiver-dmarc', { evidence: [{ text: describeResult(dmarc), where }], vars: { result: dmarc.result }, severity: dmarc.result === 'none' ? 'info' : 'warning' }));
  }
  return out;
}

const FILTER_NAMES: Record<Exclude<SpamVerdict['filter'], 'generic'>, string> = { spamassassin: 'SpamAssassin', rspamd: 'Rspamd', microsoft: 'Microsoft', gmail: 'Gmail' };

/** "score 7.3 of 5", "score 7.3", or undefined when the filter gave no score. */
function scoreText(v: SpamVerdict): string | undefined {
  return v.score === undefined ? undefined : `score ${v.score}${v.threshold !== undefined ? ` of ${v.threshold}` : ''}`;
}

function spamFindings(copy: ReceivedHeaders, where: string): Finding[] {
  return copy.spam
    .filter((v) => v.isSpam)
    .map((v) => makeFinding('roundtrip.spam-scored', {
      evidence: [{ text: `${v.header}: ${scoreText(v) ?? 'spam'}${v.tests.length ? `; tests: ${v.tests.join(', ')}` : ''}${v.detail ? `; ${v.detail}` : ''}`, where }],
      vars: { filter: v.filter === 'generic' ? v.header : FILTER_NAMES[v.filter] },
    }));
}

function hopEvidence(copy: ReceivedHeaders): Evidence[] {
  return copy.delays.map((d) => ({
    text: `${d.from ?? '?'} → ${d.by ?? '?'}${d.at ? ` at ${d.at}` : ''}${d.delayMs !== undefined ? `: ${d.delayMs < 0 ? `${seconds(-d.delayMs)} s before the previous hop (clocks disagree)` : `+${seconds(d.delayMs)} s`}` : ''}`,
  }));
}

function deliveryFindings(rt: RoundtripFact, target: Target): Finding[] {
  const out: Finding[] = [];
  const data = rt.data;
  const where = imapWhere(rt) ?? 'mailbox';
  if (!data) {
    if (rt.notSent) out.push(makeFinding('roundtrip.not-sent', { evidence: [{ text: rt.notSent }], vars: { reason: rt.notSent } }));
    return out;
  }
  const smtpWhere = `${target.host}:${target.port}`;
  if (!data.accepted) {
    const reply = data.end ?? data.start;
    const c = classifyReply(reply, 'data', providerIdForHost(target.host));
    const code = c && c.code !== 'roundtrip.data-rejected' && c.code.startsWith('envelope.') ? c.code : 'roundtrip.data-rejected';
    out.push(makeFinding(code, { evidence: [replyEvidence(data.end ? 'end of message' : 'DATA', reply, smtpWhere, data.ms)], confidence: c?.confidence, fixFirst: c?.entry?.fix }));
    return out;
  }
  const via: Evidence[] = rt.via ? [{ text: `sent through port ${rt.via.port} (${rt.via.security}), the path this run found working: ${rt.via.reason}`, where: smtpWhere }] : [];
  const accepted: Evidence = { text: `accepted ${data.acceptedAt ?? ''}${data.queueId ? `, queue ID ${data.queueId}` : ''}: ${(data.end?.lines[0] ?? '').slice(0, 200)}`, where: smtpWhere, ms: data.ms };
  const copy = rt.copy;
  if (!copy) {
    if (rt.error) {
      out.push(makeFinding('internal.probe-error', { evidence: [accepted, { text: `round trip stopped while searching the mailbox: ${rt.error}`, where }] }));
      return out;
    }
    const waited = rt.waitedMs ?? rt.waitLimitMs;
    out.push(makeFinding('roundtrip.not-delivered', {
      evidence: [accepted, { text: `searched ${rt.folders.map((f) => f.path).join(' and ')} for ${seconds(waited)} s (${rt.waitMode === 'idle' ? 'IMAP IDLE with searches' : 'polling'}) for Subject "${rt.message?.subject ?? ''}"`, where }],
      vars: { seconds: seconds(waited), subject: rt.message?.subject ?? 'sendcheck round-trip test …' },
      confidence: 'likely',
    }));
    return out;
  }
  const secs = seconds(copy.foundAfterMs);
  const arrived: Evidence = { text: `found in ${copy.folder.path}${copy.folder.specialUse ? ` (${copy.folder.specialUse})` : ''} ${secs} s after the 250${copy.internalDate ? `; stored by the server at ${copy.internalDate}` : ''}`, where };
  const noAr: Evidence[] = copy.authResults.length || copy.receivedSpf.length ? [] : [{ text: 'the receiving server added no Authentication-Results header (common for mail that never left the provider)' }];
  if (copy.folder.role === 'junk') {
    // Why it is junk, in one place: the receiver's verdicts that did not pass and the spam filters that fired.
    const why: Evidence[] = [
      ...['spf', 'dkim', 'dmarc'].flatMap((m) => {
        const v = receiverVerdict(copy, m);
        return v ? [{ text: `receiver's ${m.toUpperCase()} verdict: ${v.result}`, where }] : [];
      }),
      ...copy.spam.filter((v) => v.isSpam).map((v) => ({ text: `spam filter (${v.header}): ${scoreText(v) ?? 'spam'}`, where })),
    ];
    out.push(makeFinding('roundtrip.delivered-to-junk', { evidence: [accepted, ...via, arrived, ...why, ...noAr], vars: { folder: copy.folder.path } }));
  }
  else out.push(makeFinding('roundtrip.delivered', { evidence: [accepted, ...via, arrived, ...hopEvidence(copy), ...noAr], vars: { seconds: secs } }));
  out.push(...authFindings(copy, target.from, where), ...spamFindings(copy, where));
  const slowHop = copy.delays.find((d) => d.delayMs !== undefined && d.delayMs > SLOW_HOP_MS);
  if (copy.foundAfterMs > SLOW_TOTAL_MS || slowHop) {
    out.push(makeFinding('roundtrip.slow-delivery', { evidence: hopEvidence(copy), vars: { seconds: secs } }));
  }
  if (rt.cleanup && !rt.cleanup.deleted && !rt.cleanup.kept) {
    out.push(makeFinding('roundtrip.cleanup-failed', { evidence: [{ text: rt.cleanup.error ?? 'not deleted', where }], vars: { folder: copy.folder.path, subject: rt.message?.subject ?? '' } }));
  }
  return out;
}

/**
 * The receiver's verdicts in a received message's headers without a round trip (sendcheck explain on a message that
 * landed in spam): the same SPF/DKIM/DMARC, spam-filter and slow-hop findings; `explain.received-checks` lists the
 * verdicts when none of them is a problem.
 */
export function judgeReceivedHeaders(h: ReceivedHeaders, from: string | undefined, where = 'the message\'s headers'): Finding[] {
  const out = [...authFindings(h, from, where), ...spamFindings(h, where)];
  const slow = h.delays.filter((d) => d.delayMs !== undefined && d.delayMs > SLOW_HOP_MS);
  if (slow.length) {
    const total = h.delays.reduce((a, d) => a + Math.max(0, d.delayMs ?? 0), 0);
    out.push(makeFinding('roundtrip.slow-delivery', { evidence: hopEvidence(h), vars: { seconds: seconds(total) } }));
  }
  if (!out.length) {
    const verdicts = ['spf', 'dkim', 'dmarc', 'arc'].flatMap((m) => {
      const v = receiverVerdict(h, m);
      return v ? [{ text: describeResult(v), where }] : [];
    });
    const spam = h.spam.map((v) => ({ text: `${v.header}: ${v.isSpam ? 'spam' : 'not spam'}${scoreText(v) ? `, ${scoreText(v)}` : ''}`, where }));
    if (verdicts.length || spam.length) out.push(makeFinding('explain.received-checks', { evidence: [...verdicts, ...spam] }));
  }
  return out;
}

export function judgeRoundtrip(rt: RoundtripFact, facts: Facts, target: Target): Finding[] {
  // With another path than the configured one, that path's session made the one SMTP login of the run.
  const viaTarget = rt.via ? { ...target, port: rt.via.port, security: rt.via.security } : target;
  return [...crossCheck(rt, rt.via?.session ?? facts.session), ...deliveryFindings(rt, viaTarget)];
}

export const roundtripRule = defineRule({
  name: 'roundtrip',
  run(facts, target) {
    return facts.roundtrip ? judgeRoundtrip(facts.roundtrip, facts, target) : [];
  },
});
