// Judges the configured conversation hop by hop: where did it stop, and why? The sweep of the other ports
// supplies the comparisons that turn a symptom into a cause (a silent 465 that does speak TLS means
// "STARTTLS configured on an implicit-TLS port", not "server down").
import type { Facts } from '../facts/index.js';
import type { SecurityMode, SessionFact, SpeakFact, TlsFact } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Evidence, Finding } from '../findings/types.js';
import { describeSecurity, type Target } from '../input/target.js';
import { connectEvidence, endpoint, replyEvidence, tlsErrorEvidence } from './evidence.js';
import { classifyReply, providerIdForHost } from './reply-classifier.js';
import { expectedReplies, firstOddReply } from './reply-sense.js';
import { defineRule } from './types.js';
import { recommendedConfig, usableConfigs, workingConfigs } from './works.js';

const OAUTH_ONLY = new Set(['XOAUTH2', 'OAUTHBEARER']);

function sweepOf(facts: Facts, address: string, port: number): SpeakFact | undefined {
  return facts.speaks.find((s) => s.address === address && s.port === port) ?? facts.speaks.find((s) => s.port === port);
}

/**
 * The fix of a TLS mode mismatch, from what the run saw: switch the encryption and keep the port when that was seen
 * working (or nothing was: the sweep's diagnosis is all there is), and keep the encryption on another port only
 * where the sweep saw it work. Never "port 587" or "465 if the server offers it" when the run saw otherwise.
 */
export function modeMismatchFix(target: Target, facts: Facts, switchTo: SecurityMode): string[] {
  const usable = usableConfigs(workingConfigs(facts, target.host), target);
  const cur = describeSecurity(target.security);
  const samePort = usable.find((w) => w.port === target.port && w.security === switchTo);
  const otherPort = usable.find((w) => w.port !== target.port && w.security === target.security);
  const steps: string[] = [];
  if (samePort || !usable.length) steps.push(`Change the encryption setting from ${cur} to ${describeSecurity(switchTo)} and keep port ${target.port}${samePort ? ' (seen working in this run)' : ''}.`);
  if (otherPort) steps.push(`${steps.length ? 'Or keep' : 'Keep'} ${cur} and change the port to ${otherPort.port} (seen working in this run).`);
  const rec = recommendedConfig(workingConfigs(facts, target.host), target);
  if (!steps.length && rec) steps.push(`Change to port ${rec.port} with ${describeSecurity(rec.security)} (seen working in this run).`);
  return steps;
}

/** Port 465 is assigned to implicit TLS (RFC 8314): plaintext there is the server's misconfiguration too. */
function plaintextOn465(target: Target): string[] {
  if (target.port !== 465) return [];
  return ['Server admin: port 465 is for SSL/TLS from the first byte (RFC 8314), yet it answers in plaintext; turn implicit TLS on for it (Postfix: -o smtpd_tls_wrappermode=yes on the 465 service in master.cf).'];
}

function tlsFinding(t: TlsFact, vars: Record<string, string | number>, fixFirst: string[], facts: Facts, target: Target): Finding {
  const ev = [tlsErrorEvidence(t)];
  switch (t.error?.class) {
    case 'wrong-version-number':
      return makeFinding('tls.mode-mismatch.implicit-on-starttls-port', { evidence: ev, vars, fix: [...modeMismatchFix(target, facts, 'starttls'), ...plaintextOn465(target)] });
    case 'protocol-version':
      return makeFinding('tls.protocol-version-mismatch', { evidence: ev, vars });
    case 'cipher-mismatch':
      return makeFinding('tls.cipher-mismatch', { evidence: ev, vars });
    default:
      return makeFinding('tls.handshake-failed', { evidence: ev, vars, fixFirst });
  }
}

function suggestFix(target: Target, facts: Facts): string[] {
  const rec = recommendedConfig(workingConfigs(facts), target);
  if (!rec) return [];
  // Same port: the catalog's fix text already says "change the encryption, keep the port".
  if (rec.port === target.port) return [];
  const parts: string[] = [];
  if (rec.port !== target.port) parts.push(`port ${target.port} → ${rec.port}`);
  if (rec.security !== target.security) parts.push(`encryption ${describeSecurity(target.security)} → ${describeSecurity(rec.security)}`);
  return [`Change ${parts.join(' and ')} (seen working: ${rec.host} port ${rec.port} ${describeSecurity(rec.security)}).`];
}

/** What every session judge reads, computed once per session. */
interface SessionView {
  s: SessionFact;
  facts: Facts;
  target: Target;
  err: SessionFact['error'];
  where: string;
  vars: Record<string, string | number>;
  fixFirst: string[];
  provider: ReturnType<typeof providerIdForHost>;
}

/** The connection itself failed: nothing listening, every address filtered, or this one refused/dropped. */
function judgeConnectFailure(v: SessionView): Finding[] | undefined {
  const { s, facts, target, vars, fixFirst, err } = v;
  if (err?.step === 'connect' && s.connect) {
    const ev: Evidence[] = [connectEvidence(s.connect)];
    const all = facts.connects;
    if (s.connect.outcome === 'refused' && all.length && all.every((c) => c.outcome === 'refused')) {
      return [makeFinding('connect.nothing-listening', { evidence: [...ev, { text: `all ${all.length} address/port pairs refused` }], vars })];
    }
    if (s.connect.outcome === 'filtered' && all.length && all.every((c) => c.outcome === 'filtered')) {
      return [makeFinding('connect.all-filtered', { evidence: [...ev, { text: `all ${all.length} address/port pairs timed out after ${target.timeoutMs} ms` }], vars })];
    }
    const code = s.connect.outcome === 'refused' ? 'port.refused' : s.connect.outcome === 'filtered' ? 'port.filtered' : s.connect.outcome === 'unreachable' ? 'port.unreachable' : 'connect.closed-on-connect';
    return [makeFinding(code, { evidence: ev, vars, fixFirst })];
  }
  return undefined;
}

/** The TLS handshake failed (certificate, version, cipher). */
function judgeTlsFailure(v: SessionView): Finding[] | undefined {
  const { s, facts, target, vars, fixFirst, err } = v;
  if (err?.step === 'tls' && s.tls && !s.tls.ok) {
    return [tlsFinding(s.tls, vars, fixFirst, facts, target)];
  }
  return undefined;
}

/** The run's deadline ended the conversation, or a reply no SMTP server may give at its step. */
function judgeDeadlineOrOddReply(v: SessionView): Finding[] | undefined {
  const { s, target, where, vars, err } = v;
  // The run's deadline ended the conversation: a server this slow times out mail clients too.
  if (err?.code === 'aborted') {
    return [makeFinding('smtp.too-slow', { evidence: [{ text: `the run's deadline passed while waiting at ${err.step} (each step may take up to ${target.timeoutMs} ms)`, where }], vars })];
  }
  // A reply no SMTP server may give at its step blames nobody on the path: the server is broken.
  const odd = firstOddReply(s);
  if (odd) {
    return [makeFinding('smtp.unexpected-reply', { evidence: [replyEvidence(odd.command, odd.reply, where), { text: expectedReplies(odd.step) }], vars })];
  }
  return undefined;
}

/** No usable greeting: a TLS-first port, a timeout, not SMTP, a closed connection, a rejection. */
function judgeGreeting(v: SessionView): Finding[] | undefined {
  const { s, facts, target, where, vars, fixFirst, err } = v;
  if (err?.step === 'greeting') {
    const sweep = sweepOf(facts, s.address, s.port);
    if (err.code === 'timeout') {
      if (sweep?.speaks === 'smtp-implicit-tls') {
        return [makeFinding('tls.mode-mismatch.starttls-on-implicit-port', {
          evidence: [
            { text: `no greeting within ${target.timeoutMs} ms ("Greeting never received")`, where, ms: target.timeoutMs },
            { text: `the same port completed a TLS handshake${sweep.tls?.protocol ? ` (${sweep.tls.protocol})` : ''} and then greeted: ${sweep.greeting?.reply.lines[0] ?? ''}`, where: endpoint(sweep.address, sweep.port), ms: sweep.ms },
          ],
          vars, fix: modeMismatchFix(target, facts, 'implicit-tls'),
        })];
      }
      return [makeFinding('smtp.greeting-timeout', { evidence: [{ text: `no greeting within ${target.timeoutMs} ms`, where }], vars, fixFirst })];
    }
    if (err.code === 'not-smtp') {
      return [makeFinding('smtp.not-smtp', { evidence: [{ text: `first bytes: ${JSON.stringify(err.response ?? sweep?.firstBytes ?? '')}`, where }], vars, fixFirst })];
    }
    if (err.code === 'closed' || err.code === 'reset') {
      return [makeFinding('connect.closed-on-connect', { evidence: [{ text: `connection ${err.code === 'reset' ? 'reset' : 'closed'} before any greeting`, where }], vars, fixFirst })];
    }
    if (err.code === 'line-too-long' || err.code === 'reply-too-large') {
      return [makeFinding('smtp.reply-too-large', { evidence: [{ text: err.message, where }], vars })];
    }
    if (err.code === 'greeting-rejected' && s.greeting) return [greetingRefusal(v, s.greeting)];
  }
  return undefined;
}

/**
 * What a refusing greeting means. Nothing was sent yet, so a rate or concurrency refusal there ("421 too many
 * connections from ...") limits connections from the address; anything but a blocklist is otherwise a refusal of the
 * client's address or session.
 */
function greetingCode(c: ReturnType<typeof classifyReply>): string {
  if (c?.code === 'envelope.ip-blocked') return c.code;
  return c?.code === 'envelope.rate-limited' ? 'smtp.connection-limit' : 'smtp.greeting-rejected';
}

function greetingRefusal(v: SessionView, greeting: NonNullable<SessionFact['greeting']>): Finding {
  const code = greetingCode(classifyReply(greeting.reply, 'greeting', v.provider));
  const evidence = [replyEvidence('greeting', greeting.reply, v.where, greeting.ms)];
  // On a submission port the user already sends where they should: "use your provider's submission server" is moot.
  const fix = code === 'smtp.greeting-rejected' && SUBMISSION_PORTS.has(v.target.port)
    ? ['Read the server\'s text below: it often names a blocklist or a policy.', `Port ${v.target.port} is already a submission port: the server refuses your address or network itself. Ask the server admin why, quoting the reply; from another network (e.g. mobile data) it may work meanwhile.`]
    : undefined;
  return makeFinding(code, { evidence, vars: v.vars, fix });
}

/** EHLO rejected; STARTTLS not offered or refused. */
function judgeEhloOrStarttls(v: SessionView): Finding[] | undefined {
  const { s, where, vars, fixFirst, err } = v;
  if (err?.step === 'ehlo' && err.code === 'ehlo-rejected' && s.ehlo) {
    return [makeFinding('smtp.ehlo-rejected', { evidence: [replyEvidence('EHLO/HELO', s.ehlo.reply, where, s.ehlo.ms)], vars })];
  }
  if (err?.step === 'starttls') {
    if (err.code === 'starttls-not-offered') {
      return [makeFinding('tls.starttls-not-offered', { evidence: [{ text: `EHLO keywords: ${s.ehlo?.keywords.join(', ') || '(none)'}`, where }], vars, fixFirst })];
    }
    if (err.code === 'starttls-refused') {
      return [makeFinding('tls.starttls-refused', { evidence: [{ text: `STARTTLS → ${err.responseCode} ${err.response ?? ''}`, where }], vars, fixFirst })];
    }
  }
  return undefined;
}

/**
 * A cut right after a command sent inside TLS whose certificate validated: nothing on the path could read that command
 * or answer for the server, so the server's own process ended the session (Postfix's smtpd exits with "fatal: no SASL
 * authentication mechanisms" when its Dovecot auth socket is missing, at the EHLO after STARTTLS).
 */
function droppedInsideTrustedTls(v: SessionView): string[] | undefined {
  const t = v.s.tls;
  if (!t?.ok || !t.trusted || t.hostnameMatch === false || v.err?.code !== 'reset' && v.err?.code !== 'closed') return undefined;
  return [`Server admin: the server closed the encrypted session itself (at ${v.err.step}, after a valid TLS handshake nothing on the path reads the commands); its mail log at this time names the cause, often a crashed SMTP process (Postfix: "fatal: no SASL authentication mechanisms" when the Dovecot auth socket is missing).`];
}

/** The conversation was cut short: an oversized reply, or the connection dropped mid-way. */
function judgeCutShort(v: SessionView): Finding[] | undefined {
  const { where, vars, err } = v;
  if (err && ['line-too-long', 'reply-too-large'].includes(err.code)) {
    return [makeFinding('smtp.reply-too-large', { evidence: [{ text: `${err.message} (at ${err.step})`, where }], vars })];
  }
  // A failure while saying goodbye (RSET, QUIT) changes nothing about what was learned before it.
  if (err && !['rset', 'quit'].includes(err.step) && ['closed', 'reset', 'timeout', 'not-smtp'].includes(err.code)) {
    return [makeFinding('smtp.session-dropped', { evidence: [{ text: `at ${err.step}: ${err.message}`, where }], vars, fixFirst: droppedInsideTrustedTls(v) })];
  }
  return undefined;
}

/** Ports assigned to message submission (RFC 6409: 587; RFC 8314: 465), where a client is expected to log in. */
const SUBMISSION_PORTS = new Set([587, 465]);

/** AUTH: not offered, no common mechanism, accepted or rejected. `stop`: nothing after AUTH can be judged. */
function judgeAuth(v: SessionView): { findings: Finding[]; stop: boolean } {
  const { s, facts, target, where, vars, fixFirst, provider } = v;
  const out: Finding[] = [];
  if (!s.auth) return { findings: out, stop: false };
  const a = s.auth;
  const hasPassword = !!target.credentials?.password && !target.credentials.oauthToken;
  if (!a.attempted) {
    if (a.notAttempted === 'auth-not-offered') {
      const sweep = sweepOf(facts, s.address, s.port);
      const afterTls = sweep?.ehloAfterTls?.authMechanisms ?? [];
      if (target.security === 'none' && afterTls.length) {
        out.push(makeFinding('auth.offered-only-after-starttls', {
          evidence: [
            { text: `EHLO before TLS: no AUTH (${s.ehlo?.keywords.join(', ') || 'no keywords'})`, where },
            { text: `EHLO after STARTTLS: AUTH ${afterTls.join(' ')}`, where: endpoint(sweep!.address, sweep!.port) },
          ],
          vars, fixFirst: [`Turn on STARTTLS for port ${target.port} (keep the port).`],
        }));
      } else {
        // On a port assigned to submission the user is where they should be: the missing AUTH is the server's doing,
        // unless another port of this server was seen offering AUTH (then moving there is the user's fix).
        const authElsewhere = usableConfigs(workingConfigs(facts), target).some((w) => w.port !== target.port);
        const code = SUBMISSION_PORTS.has(target.port) && !authElsewhere ? 'auth.not-offered-on-submission-port' : 'auth.not-offered';
        out.push(makeFinding(code, { evidence: [{ text: `EHLO keywords: ${(s.ehloAfterTls ?? s.ehlo)?.keywords.join(', ') || '(none)'}`, where }], vars, fixFirst }));
      }
    } else if (a.notAttempted === 'no-common-mechanism') {
      if (hasPassword && a.offered.length && a.offered.every((m) => OAUTH_ONLY.has(m))) {
        out.push(makeFinding('auth.oauth-required', { evidence: [{ text: `AUTH mechanisms offered: ${a.offered.join(' ')} (OAuth only)`, where }], vars }));
      } else {
        out.push(makeFinding('auth.no-common-mechanism', {
          evidence: [{ text: `offered: ${a.offered.join(' ')}; allowed: ${target.mechanisms.join(' ') || 'any'}`, where }],
          vars: { ...vars, offered: a.offered.join(' '), allowed: target.mechanisms.join(' ') || (target.credentials?.oauthToken ? 'XOAUTH2 OAUTHBEARER' : 'PLAIN LOGIN CRAM-MD5') },
        }));
      }
    }
    return { findings: out, stop: true };
  }
  const ev = a.reply ? [replyEvidence(`AUTH ${a.mechanism}`, a.reply, where, a.ms), { text: 'one login attempt made; sendcheck never retries a login (a second wrong try can lock the account)' }] : [];
  if (a.accepted) {
    out.push(makeFinding('auth.accepted', { evidence: [{ text: `AUTH ${a.mechanism} → ${a.reply?.lines[0] ?? '235'}`, where, ms: a.ms }] }));
  } else if (a.reply) {
    const c = classifyReply(a.reply, 'auth', provider);
    const code = c?.code ?? 'auth.credentials-rejected';
    const entryFix = c?.entry?.fix;
    out.push(makeFinding(code, { evidence: c?.entry ? [...ev, { text: `matches known ${c.entry.provider} reply: ${c.entry.meaning}` }] : ev, vars, confidence: c?.confidence, fixFirst: entryFix }));
    return { findings: out, stop: true };
  }
  return { findings: out, stop: false };
}

/** The envelope: MAIL FROM and RCPT TO replies. */
function judgeEnvelope(v: SessionView): Finding[] {
  const { s, where, vars, provider } = v;
  const out: Finding[] = [];
  if (!s.envelope) return out;
  const e = s.envelope;
  if (e.mailFrom && e.mailFrom.reply.code !== 250) {
    const c = classifyReply(e.mailFrom.reply, 'mail', provider);
    out.push(makeFinding(c?.code ?? 'envelope.sender-rejected', { evidence: [replyEvidence(`MAIL FROM:<${e.mailFrom.address}>`, e.mailFrom.reply, where, e.mailFrom.ms)], vars, confidence: c?.confidence, fixFirst: c?.entry?.fix }));
    return out;
  }
  let allOk = true;
  for (const r of e.rcptTo) {
    if (r.reply.code >= 200 && r.reply.code < 300) continue;
    allOk = false;
    const c = classifyReply(r.reply, 'rcpt', provider);
    // A relay refusal after a login this session saw accepted is the server's relay policy, not a missing login.
    if (c?.code === 'envelope.relay-denied' && s.auth?.accepted) {
      out.push(makeFinding('envelope.relay-denied-authenticated', { evidence: [replyEvidence(`RCPT TO:<${r.address}>`, r.reply, where, r.ms), { text: `AUTH ${s.auth.mechanism} was accepted earlier in this session`, where }], vars, confidence: c.confidence }));
      continue;
    }
    out.push(makeFinding(c?.code ?? 'envelope.recipient-rejected', { evidence: [replyEvidence(`RCPT TO:<${r.address}>`, r.reply, where, r.ms)], vars, confidence: c?.confidence, fixFirst: c?.entry?.fix }));
  }
  if (allOk && e.mailFrom) {
    out.push(makeFinding('envelope.accepted', { evidence: [{ text: `MAIL FROM:<${e.mailFrom.address}> → ${e.mailFrom.reply.code}; ${e.rcptTo.map((r) => `RCPT TO:<${r.address}> → ${r.reply.code}`).join('; ') || 'no recipient tested'}`, where }] }));
  }
  return out;
}

/** Where the session ended early, the first judge that recognizes it says why; otherwise AUTH and the envelope. */
const SESSION_ENDINGS = [judgeConnectFailure, judgeTlsFailure, judgeDeadlineOrOddReply, judgeGreeting, judgeEhloOrStarttls, judgeCutShort];

export function judgeSession(s: SessionFact, facts: Facts, target: Target): Finding[] {
  const v: SessionView = {
    s, facts, target, err: s.error,
    where: endpoint(s.address, s.port),
    vars: { host: target.host, port: target.port, address: s.address, security: describeSecurity(target.security) },
    fixFirst: suggestFix(target, facts),
    provider: providerIdForHost(target.host),
  };
  for (const judge of SESSION_ENDINGS) {
    const found = judge(v);
    if (found) return found;
  }
  const auth = judgeAuth(v);
  return auth.stop ? auth.findings : [...auth.findings, ...judgeEnvelope(v)];
}

export const sessionPathRule = defineRule({
  name: 'session-path',
  run(facts, target) {
    if (!facts.session) return [];
    return judgeSession(facts.session, facts, target);
  },
});
