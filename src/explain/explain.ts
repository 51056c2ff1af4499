// `sendcheck explain`: an error message, a log or a bounce → the findings a live check would produce for the same
// failure, plus the command to run next. Parsing lives in bounce.ts / mime.ts, the meaning of SMTP replies in the
// shared classifier (rules/reply-classifier.ts), client-side messages in client-errors.ts.
import { UserError } from '../errors.js';
import type { Facts } from '../facts/index.js';
import { findingDef } from '../findings/catalog.js';
import { makeFinding } from '../findings/make.js';
import type { Confidence, Finding } from '../findings/types.js';
import { buildReport } from '../report/build.js';
import type { ExplainTargetSummary, Report } from '../report/types.js';
import { classifyReply, type ReplyClassification, type ReplyLike } from '../rules/reply-classifier.js';
import { judgeReceivedHeaders, type ReceivedHeaders } from '../rules/roundtrip.js';
import {
  headerValues, hopDelays, parseArcAuthenticationResults, parseAuthenticationResults, parseHeaderBlock, parseReceivedChain,
  parseReceivedSpf, readSpamVerdicts,
} from '../roundtrip/headers/index.js';
import { LIMITS } from '../net/limits.js';
import { firstAddress } from './addresses.js';
import { parseBounce, splitDiagnostic, type BounceRecipient } from './bounce.js';
import { CLIENT_ERRORS, OUTLOOK_ERRORS } from './client-errors.js';
import { failedWhileConnecting, implicitTlsOnPlainPort, interceptorIn, malformedHostName, providerDomainIn, providerHostIn } from './context.js';
import { looksLikeMessage } from './mime.js';
import { ENHANCED_ONLY_REPLY, unwrapReplies } from './unwrap.js';

export const MAX_EXPLAIN_BYTES = LIMITS.maxExplainBytes;

export interface ExplainItem {
  /** Where the item came from: one DSN recipient, a bounce's text, a reply line, a client error, an Outlook number. */
  kind: 'dsn-recipient' | 'bounce-recipient' | 'feedback' | 'auto-reply' | 'reply' | 'client-error' | 'outlook-error';
  code: string;
  confidence: Confidence;
  /** The words the finding rests on (one line, cut to 300 characters). */
  text: string;
  recipient?: string;
  action?: string;
  status?: string;
  replyCode?: number;
  remoteMta?: string;
  /** The provider-errors.json or client-errors entry that matched, if any. */
  entry?: string;
  /** The command to run next. */
  next?: string;
  /** Values for the finding's {placeholders}, when the text names them (the interception product, the host). */
  vars?: Record<string, string>;
}

export interface ExplainResult {
  input: 'message' | 'text';
  messageKind?: string;
  sender?: string;
  items: ExplainItem[];
  /** A received message (not a bounce): the receiver's verdicts in its headers, judged like a round trip's copy. */
  received?: ReceivedHeaders;
  /** What the input limits left unread (LIMITS.maxExplainItems, maxExplainLines, maxMimeParts), said in the report. */
  cut?: string[];
}

/** Evidence echoes the user's own lines: credentials that logs carry (URL passwords, AUTH payloads, pass=…) are
 * replaced before anything is stored or printed. */
export function redactSecrets(s: string): string {
  return s
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[secret]@')
    .replace(/\b(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER|CRAM-MD5))\s+\S+/gi, '$1 [secret]')
    .replace(/\b((?:pass(?:word)?|passwd|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1[secret]');
}

const oneLine = (s: string) => redactSecrets(s.replace(/\s+/g, ' ').trim()).slice(0, 300);

const AUTHISH = new Set(['auth.credentials-rejected', 'auth.app-password-required', 'auth.web-login-required', 'auth.encryption-required', 'auth.mechanism-unsupported', 'auth.required', 'auth.temporary-failure', 'auth.too-many-attempts', 'auth.smtp-auth-disabled', 'auth.oauth-required']);

/** One reply (code, enhanced code, words) as explain sees it: a remote server's verdict, or a submission reply. */
export function classifyExplained(reply: ReplyLike, fromBounce: boolean): ReplyClassification | undefined {
  const asBounce = classifyReply(reply, 'bounce');
  if (fromBounce) return asBounce;
  // Pasted text may be a submission server's reply (AUTH, MAIL FROM) or a relayed verdict: the words decide
  // first; with codes only, the authentication meanings of 530/534/535/538 win.
  const asAny = classifyReply(reply, 'any');
  if (asAny?.basis === 'text' && AUTHISH.has(asAny.code)) return asAny;
  if (asBounce?.basis === 'text') return asBounce;
  if (asAny?.basis === 'text') return asAny;
  if (asAny && AUTHISH.has(asAny.code)) return asAny;
  return asBounce ?? asAny;
}

/** Where a bounce's own report ends and the returned message (or its headers, or the DSN fields) begins. */
const RETURNED_PART = /^(?:-+ ?(?:Original message|This is a copy|Unsent message follows|The header of the original|Below this line)|Content-Type: (?:message\/(?:rfc822|rfc822-headers|delivery-status)|text\/rfc822-headers)|Return-path:|Received: )/im;

/** The bounce's subject and the report text before the returned message, classified as one bounce reply. */
function classifyReportText(raw: string, subject: string | undefined): ReplyClassification | undefined {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const body = raw.slice(headerEnd < 0 ? 0 : headerEnd, (headerEnd < 0 ? 0 : headerEnd) + 8000);
  const cut = body.search(RETURNED_PART);
  const report = `${subject ?? ''}\n${cut < 0 ? body : body.slice(0, cut)}`.replace(/\s+/g, ' ');
  const m = /(?:^|[\s:;(])([45]\d\d)[ -]((?:[45]\.\d{1,3}\.\d{1,3})?)/.exec(report);
  const c = classifyReply({ code: m ? Number(m[1]) : undefined, enhanced: m?.[2] || undefined, text: report }, 'bounce');
  return c?.basis === 'text' || m?.[2] ? c : undefined;
}

/** The SMTP step a bounce says the remote server answered (Exim "after MAIL FROM", Postfix "in reply to RCPT TO"). */
function stageOf(text: string): 'greeting' | 'mail' | 'rcpt' | 'data' | undefined {
  if (/after (the )?(initial connection|connect)|in reply to (HELO|EHLO)|while performing the (HELO|EHLO)|my name was rejected|greeting/i.test(text)) return 'greeting';
  if (/(after|in reply to|response to) (the )?MAIL( FROM)?\b|>>> MAIL FROM/i.test(text)) return 'mail';
  if (/(after|in reply to|response to) (the )?RCPT( TO)?\b|>>> RCPT TO|like our RCPT TO/i.test(text)) return 'rcpt';
  if (/after end of data|in reply to (end of )?DATA/i.test(text)) return 'data';
  return undefined;
}

function classifyRecipient(r: BounceRecipient): { c?: ReplyClassification; text: string } {
  if (r.action && /^(delivered|relayed|expanded|deliverable)$/.test(r.action)) return { c: { code: 'delivery.delivered', confidence: 'certain' }, text: r.diagnostic ?? `Action: ${r.action}` };
  const d = r.diagnostic ? splitDiagnostic(`x; ${r.diagnostic}`) : {};
  const status = r.status && !/^[245]\.0\.0$/.test(r.status) ? r.status : d.enhanced ?? r.status;
  const inText = /(?:^|[\s:'"])([45]\d\d)(?:[ -]|$)/.exec(r.diagnostic ?? r.text);
  const primary: ReplyLike = { code: r.replyCode ?? d.replyCode ?? (inText ? Number(inText[1]) : undefined), enhanced: status, text: r.diagnostic ?? r.text };
  let c = classifyReply(primary, 'bounce');
  // A diagnostic with codes only ("X-Unix; 77", "smtp; 550 5.0.0"): the bounce's own words may say more.
  if ((!c || c.basis === 'code') && r.text && r.text !== r.diagnostic) {
    const fromWords = classifyReply({ code: primary.code, enhanced: status, text: r.text }, 'bounce');
    if (fromWords?.basis === 'text') c = fromWords;
  }
  // Codes only, but the bounce names the step: judge the reply as the live check judges that step.
  const stage = stageOf(r.text);
  if ((!c || c.basis === 'code') && (stage === 'mail' || stage === 'greeting') && (primary.code ?? 0) >= 500) c = classifyReply(primary, stage) ?? c;
  // A refusal of MAIL FROM is about the sender, whatever generic words it uses.
  if (stage === 'mail' && (!c || ['envelope.recipient-rejected', 'envelope.policy-rejected', 'delivery.host-unknown'].includes(c.code))) c = { code: 'envelope.sender-rejected', confidence: 'likely', basis: 'text' };
  // A local delivery program's exit status ("X-Unix; 75"): the program failed, unless its words say why.
  if (r.diagnosticType === 'x-unix' && c?.basis !== 'text') c = { code: 'delivery.remote-error', confidence: 'likely', basis: 'code' };
  // A "delayed" DSN is a warning that the queue keeps retrying: unless the words say why, it is the wait itself.
  if (r.action === 'delayed' && (!c || (c.basis === 'code' && ['delivery.network-error', 'delivery.remote-error'].includes(c.code)))) c = { code: 'delivery.expired', confidence: 'possible', basis: 'code' };
  return { c, text: r.diagnostic ?? r.text };
}

function nextCommand(code: string, ctx: { sender?: string; recipient?: string; host?: string; port?: number }): string | undefined {
  const hop = findingDef(code).hop;
  const senderDomain = ctx.sender?.split('@')[1];
  // Without an address in the text, a visible placeholder the user must fill ("<your address>"), never an address
  // that looks real and would run against example.com.
  const who = ctx.sender ?? '<your address>';
  if (['delivery.auto-reply', 'delivery.delivered', 'explain.unrecognized'].includes(code)) return undefined;
  if (code.startsWith('dns.') || code === 'envelope.message-rejected-spam' || code === 'envelope.ip-blocked' || code === 'envelope.policy-rejected' || code === 'delivery.feedback-report' || code.startsWith('reputation.'))
    return `sendcheck domain ${senderDomain ?? '<your domain>'}`;
  if (hop === 'delivery' || code === 'envelope.recipient-rejected')
    return ctx.recipient ? `sendcheck check ${who} --from ${who} --to ${ctx.recipient}` : `sendcheck check ${who}`;
  if (hop === 'envelope') return `sendcheck check ${who} --from ${who}${ctx.recipient ? ` --to ${ctx.recipient}` : ''}`;
  // Server-side path (resolve → connect → greeting → TLS → AUTH): check the server the text names, on its port.
  const server = ctx.host ? `sendcheck check --host ${ctx.host}${ctx.port ? ` --port ${ctx.port}` : ''}` : `sendcheck check ${who}`;
  if (hop === 'auth') return ctx.host ? `${server} --user ${who} --password-stdin` : `${server} --password-stdin`;
  return server;
}

/** The verdict headers of a received message, or undefined when it carries none. */
function receivedHeadersOf(raw: string): ReceivedHeaders | undefined {
  const fields = parseHeaderBlock(raw);
  const h: ReceivedHeaders = {
    authResults: headerValues(fields, 'Authentication-Results').map(parseAuthenticationResults),
    receivedSpf: headerValues(fields, 'Received-SPF').map(parseReceivedSpf),
    arc: headerValues(fields, 'ARC-Authentication-Results').map(parseArcAuthenticationResults),
    spam: readSpamVerdicts(fields),
    delays: hopDelays(parseReceivedChain(fields)),
  };
  return h.authResults.length || h.receivedSpf.length || h.arc.length || h.spam.length ? h : undefined;
}

function explainMessage(raw: string): ExplainResult {
  const b = parseBounce(raw);
  if (b.truncated && !b.recipients.length) {
    throw new UserError('unsupported-format', 'the delivery status notification is truncated: its message/delivery-status part is missing');
  }
  const items: ExplainItem[] = [];
  for (const r of b.recipients) {
    if (b.kind === 'feedback') {
      items.push({ kind: 'feedback', code: 'delivery.feedback-report', confidence: 'certain', text: oneLine(r.text), recipient: r.recipient });
      continue;
    }
    if (b.kind === 'auto-reply') {
      items.push({ kind: 'auto-reply', code: 'delivery.auto-reply', confidence: 'likely', text: oneLine(r.text), recipient: r.recipient });
      continue;
    }
    const classified = classifyRecipient(r);
    // Nothing about this recipient was recognised: the bounce's own report (its subject, the text before the
    // returned message) often names the reason once for all recipients ("Could not be delivered because of 550 5.1.1 User unknown").
    const { c, text } = classified.c ? classified : { c: classifyReportText(raw, b.subject), text: classified.text };
    items.push({
      kind: b.kind === 'dsn' ? 'dsn-recipient' : 'bounce-recipient',
      code: c?.code ?? 'explain.unrecognized', confidence: c?.confidence ?? 'possible', text: oneLine(text),
      recipient: r.recipient, action: r.action, status: r.status, replyCode: r.replyCode, remoteMta: r.remoteMta, entry: c?.entry?.id,
    });
  }
  // Not a bounce: a message that arrived (often in spam) whose headers carry the receiver's verdicts ("show
  // original"). When nothing in it reads as a bounce, those headers are the subject, not its text.
  const nothingRecognised = items.every((i) => i.code === 'explain.unrecognized');
  const received = (b.kind === 'unknown' || b.kind === 'bounce') && !b.bounceLike && nothingRecognised ? receivedHeadersOf(raw) : undefined;
  if (received) return { input: 'message', messageKind: 'received', sender: b.sender, items: [], received };
  // A message without recipients or words may still carry client errors (a forwarded log).
  if (!items.length) items.push(...explainLines(raw));
  for (const it of items) it.next = nextCommand(it.code, { sender: b.sender, recipient: it.recipient });
  const cut = b.partsCut ? [`only the first ${LIMITS.maxMimeParts} MIME parts were read`] : undefined;
  return { input: 'message', messageKind: b.kind, sender: b.sender, items, ...(cut ? { cut } : {}) };
}

const STACK_OR_PROPS = /^\s+(at |File "|code:|errno:|syscall:|command:|response(Code)?:|address:|port:|\}|\{|\^|~)/;
const REPLY_START = /^\s*[245]\d\d[ -]/;
const REPLY_IN_LINE = /(?:^|[\s:;'"(\[<>=#-])([245]\d\d)([ -])((?:[245]\.\d{1,3}\.\d{1,3})?)(.*)$/;

/** Up to `max` lines, without splitting (and allocating) the rest; `rest` says whether there was more. */
function firstLines(text: string, max: number): string[] & { rest?: boolean } {
  const out: string[] & { rest?: boolean } = [];
  let pos = 0;
  while (pos <= text.length && out.length < max) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    out.push(text.slice(pos, nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl));
    pos = nl + 1;
  }
  if (pos <= text.length) out.rest = true;
  return out;
}

/** Free text (a pasted reply, an app's log): one item per recognised line or multi-line reply. */
function explainLines(text: string, cut: string[] = []): ExplainItem[] {
  const lines = firstLines(text, LIMITS.maxExplainLines);
  if (lines.rest) cut.push(`only the first ${LIMITS.maxExplainLines} lines were read`);
  const items: ExplainItem[] = [];
  const pairsSeen = new Set<string>();
  let over = 0;
  const seen = new Set<string>();
  let lastItemLine = -100;
  let curLine = 0;
  const push = (it: ExplainItem) => {
    lastItemLine = curLine;
    const key = `${it.code}|${it.text}`;
    if (seen.has(key)) return;
    if (items.length >= LIMITS.maxExplainItems) {
      over++;
      return;
    }
    seen.add(key);
    items.push(it);
  };
  for (let i = 0; i < lines.length; i++) {
    curLine = i;
    const line = lines[i]!;
    if (line.length > 4000) continue;
    // The stack and properties printed under an error (Node: "    at …", "  code: 'ETIMEDOUT'") belong to it.
    if (i - lastItemLine <= 12 && STACK_OR_PROPS.test(line)) continue;
    const outlook = /\b0x(800[cC]{3}[0-9a-fA-F]{2}|8004210[0-9a-fA-F])\b/.exec(normalizeErrorNumbers(line));
    if (outlook) {
      const key = `0x${outlook[1]!.toUpperCase()}`;
      const e = OUTLOOK_ERRORS[key];
      if (e) {
        // Outlook quotes the server's reply after the number when it has one ("Server Response: 550 …").
        const quoted = REPLY_IN_LINE.exec(line.slice(outlook.index + 10));
        const c = quoted?.[3] || /response/i.test(line) ? classifyExplained({ code: quoted ? Number(quoted[1]) : undefined, enhanced: quoted?.[3] || undefined, text: line }, false) : undefined;
        push({ kind: 'outlook-error', code: c?.code ?? e.finding, confidence: c ? c.confidence : 'likely', text: oneLine(`${key} (${e.name}): ${line}`), entry: e.name });
        continue;
      }
    }
    let m = REPLY_IN_LINE.exec(line);
    let off = 0;
    // A log line can hold a whole dialogue ("<< 250 2.1.0 Ok >> RCPT TO:… << 553 5.7.1 …"): the failure is the reply that counts.
    for (let k = 0; m && /^[23]/.test(m[1]!) && k < 20; k++) {
      const at = off + m.index + 4;
      const next = REPLY_IN_LINE.exec(line.slice(at));
      if (!next || !/^[45]/.test(next[1]!)) break;
      m = next;
      off = at;
    }
    const strong = m && (m[3] || /^\s*[245]\d\d[ -]/.test(line) || /(said|response|reply|replied|error|status|smtp)\W*\s*$/i.test(line.slice(0, off + m.index + 1)));
    if (m && strong) {
      const code = Number(m[1]);
      // Words after the code, or the whole line when the codes come last ("Sender address rejected: … (553 5.7.1)").
      let words = /[a-z]{3,}/i.test(m[4]!) ? `${m[1]}${m[2]}${m[3] ? `${m[3]} ` : ''}${m[4]}` : line.trim();
      // Multi-line replies: "535-5.7.8 Username…" / "535 5.7.8 https://…".
      let j = i;
      while (m[2] === '-' && j + 1 < lines.length && new RegExp(`^\\s*${code}[ -]`).test(lines[j + 1]!)) {
        j++;
        words += ` ${lines[j]!.trim().replace(new RegExp(`^${code}[ -](\\d\\.\\d{1,3}\\.\\d{1,3} )?`), '')}`;
        if (/^\s*\d{3} /.test(lines[j]!)) break;
      }
      // A reply wrapped by the log that quotes it (Postfix bounces indent the rest of the reply on the next lines).
      for (let n = 0; n < 10 && j + 1 < lines.length && /^\s{2,}\S/.test(lines[j + 1]!) && !STACK_OR_PROPS.test(lines[j + 1]!) && !REPLY_START.test(lines[j + 1]!); n++) {
        j++;
        words += ` ${lines[j]!.trim()}`;
      }
      i = j;
      if (code >= 200 && code < 400) continue;
      // Past the item limit a reply whose codes were seen already only adds to the count: a long log costs one
      // classification per kind of reply, not one per line.
      const pair = `${code} ${m[3]}`;
      if (items.length >= LIMITS.maxExplainItems && (pairsSeen.has(pair) || pairsSeen.size >= 2 * LIMITS.maxExplainItems)) {
        over++;
        continue;
      }
      pairsSeen.add(pair);
      const c = classifyExplained({ code, enhanced: m[3] || undefined, text: words }, false);
      push({ kind: 'reply', code: c?.code ?? 'explain.unrecognized', confidence: c?.confidence ?? 'possible', text: oneLine(words), replyCode: code, status: m[3] || undefined, entry: c?.entry?.id });
      continue;
    }
    // An enhanced code without its reply code, as .NET quotes it ("The server response was: 5.7.0 Authentication Required").
    const e = ENHANCED_ONLY_REPLY.exec(line);
    const ec = e ? classifyExplained({ enhanced: e[1], text: `${e[1]} ${e[2]}` }, false) : undefined;
    if (e && ec) {
      push({ kind: 'reply', code: ec.code, confidence: ec.confidence, text: oneLine(`${e[1]} ${e[2]}`), status: e[1], entry: ec.entry?.id });
      continue;
    }
    const ce = CLIENT_ERRORS.find((e) => e.re.test(line));
    if (ce) {
      // "Greeting never received" on a port other than 465 is a silent server, not a TLS mode mismatch.
      let code = ce.finding;
      if (ce.id === 'nodemailer-greeting' && /\b(?:port|:)\s*(25|587|2525)\b/.test(line) && !/\b465\b/.test(line)) code = 'smtp.greeting-timeout';
      push({ kind: 'client-error', code, confidence: ce.confidence, text: oneLine(line), entry: ce.id });
    }
  }
  if (over) cut.push(`${over} more recognised lines beyond the first ${LIMITS.maxExplainItems} were not kept`);
  return items;
}

const AUTO_REPLY_WORDS = /out of (the )?office|away (on vacation|until|from (the )?office)|i am (currently )?away|will be (traveling|travelling|out|away)|on (annual |parental )?leave|abwesend|automatic reply|auto-?reply/i;

/** Text with no reply line and no known client error: what its words (and any status code in them) say. */
function explainWords(text: string): ExplainItem[] {
  const words = text.slice(0, 4000);
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(words)?.[1];
  const code = /(?:^|[^\d.])([245]\d\d)(?:[^\d.]|$)/.exec(words)?.[1];
  const c = classifyExplained({ code: code ? Number(code) : undefined, enhanced, text: words }, false);
  if (c && (c.basis === 'text' || enhanced)) return [{ kind: 'reply', code: c.code, confidence: c.confidence === 'certain' ? 'likely' : c.confidence, text: oneLine(words), status: enhanced, entry: c.entry?.id }];
  if (AUTO_REPLY_WORDS.test(words)) return [{ kind: 'auto-reply', code: 'delivery.auto-reply', confidence: 'possible', text: oneLine(words) }];
  return [];
}

/** Outlook numbers as people retype them: "0×800ccc0e" (a multiplication sign), "0x800CCCOD" (letter O for zero). */
function normalizeErrorNumbers(line: string): string {
  return line.replace(/\b0[x×]800ccc([0-9a-fo]{2})\b/gi, (_m, h: string) => `0x800CCC${h.replace(/o/gi, '0').toUpperCase()}`);
}

/** Client errors that only name the failing step, not why: a reply or a specific error in the same text says more. */
const GENERIC_CLIENT_ERRORS = new Set(['eauth', 'php-connect-failed', 'java-convert-to-tls', 'tls-handshake', 'py-disconnected', 'econnreset']);

const CERT_CHAIN_CODES = new Set(['tls.certificate-untrusted', 'security-software.interception-suspected']);
const CONNECT_CODES = new Set(['port.refused', 'port.filtered', 'port.unreachable']);
const TLS_MODE_SYMPTOMS = new Set(['tls.handshake-failed', 'connect.closed-on-connect', 'smtp.session-dropped', 'smtp.greeting-timeout', 'tls.mode-mismatch.starttls-on-implicit-port']);

/** A client error read with the rest of the text: the server it names, the TLS mode and port it used, the issuer
 * it quotes. Replies from a server are left alone: the server's words already say where the fault is. */
function refineByContext(items: ExplainItem[], text: string): void {
  const provider = providerHostIn(text);
  const loopback = /\b(?:127\.0\.0\.1|::1|localhost)\b/i.test(text);
  const product = interceptorIn(text);
  for (const it of items) {
    if (it.kind !== 'client-error' && it.kind !== 'outlook-error') continue;
    if (it.code === 'resolve.nxdomain' || it.code === 'resolve.timeout') {
      if (malformedHostName(text) !== undefined) it.code = 'resolve.nxdomain';
      else if (provider) it.code = 'resolve.local-failure-suspected';
    } else if (CONNECT_CODES.has(it.code) && provider && !loopback) {
      it.code = 'connect.local-block-suspected';
    } else if (it.code === 'smtp.session-dropped' && failedWhileConnecting(text)) {
      it.code = 'connect.closed-on-connect';
    }
    if (product && (CERT_CHAIN_CODES.has(it.code) || it.code === 'tls.certificate-self-signed' || it.code === 'tls.hostname-mismatch')) {
      it.code = 'security-software.tls-interception';
      it.confidence = 'certain';
      it.vars = { product: product.product, issuer: product.issuerPatterns[0], disable: [product.disableMailScanning ?? []].flat()[0] ?? 'its mail scanning settings', host: provider?.host ?? 'the mail server' };
    } else if (it.code === 'tls.certificate-untrusted' && providerDomainIn(text)) {
      it.code = 'security-software.interception-suspected';
      it.confidence = 'likely';
    }
    // A dropped session after SSL on a plaintext port is the mode mismatch itself: two facts agree, so it is likely.
    if (TLS_MODE_SYMPTOMS.has(it.code) && implicitTlsOnPlainPort(text)) { it.code = 'tls.mode-mismatch.implicit-on-starttls-port'; it.confidence = 'likely'; it.entry = 'context: SSL on a plaintext port'; }
  }
}

/** The names a hostname-mismatch error lists ("… is not in the cert's altnames: DNS:botden.cf, DNS:www.botden.cf"). */
function certNamesIn(text: string, code: string): Record<string, string> {
  if (code !== 'tls.hostname-mismatch') return {};
  const m = /not in the cert's (?:altnames|list):?\s*([^\n"']{1,500})/i.exec(text) ?? /certificate is valid for ([^\n,]{1,200}(?:, [^\n,]{1,200}){0,10}), not /i.exec(text);
  const names = m?.[1]?.match(/(?:DNS:)?\*?\.?[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi)?.map((n) => n.replace(/^DNS:/i, '')) ?? [];
  const host = /Host: ([a-z0-9.-]+?)\.? is not in/i.exec(text)?.[1];
  if (!names.length) return host ? { host } : {};
  return { certNames: names.join(', '), suggestedHost: names.find((n) => !n.startsWith('*')) ?? names[0]!, ...(host ? { host } : {}) };
}

/** Fix texts that point at a section only a live check prints. */
const LIVE_ONLY_POINTER = /\s*\(see "What works"[^)]*\)|[;,]\s*"What works"[^.;]*|\s*(?:see )?"What works"[^.;]*[.;]?/gi;

function hostIn(text: string): string | undefined {
  return /\b(?:smtp|mail|mx|smtp-mail|submission)\.[a-z0-9-]+(?:\.[a-z0-9-]+)+/i.exec(text)?.[0];
}

/** Text (pasted, a log, a bounce file's content) → items. Throws UserError for input that is not text. */
export function explainText(text: string): ExplainResult {
  if (text.length > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `input larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB: give the bounce or the log lines around the error`);
  if (!text.trim()) throw new UserError('usage', 'nothing to explain: the input is empty');
  // CRLF (Windows) and bare CR (old Mac) line ends read like LF.
  text = text.replace(/\r\n?/g, '\n');
  if (looksLikeMessage(text)) return explainMessage(text);
  text = unwrapReplies(redactSecrets(text));
  const cut: string[] = [];
  const items = explainLines(text, cut);
  if (!items.length) items.push(...explainWords(text));
  refineByContext(items, text);
  // A wrapper's guess ("SMTP connect() failed", "could not convert socket to TLS") adds nothing when the same text
  // also gives the specific cause.
  // A library's generic class name ("SMTPAuthenticationError", "Could not authenticate") yields to the server's reply.
  const generic = (i: ExplainItem) => i.kind === 'client-error' && (i.confidence === 'possible' || GENERIC_CLIENT_ERRORS.has(i.entry ?? ''));
  if (items.some((i) => !generic(i) && i.confidence !== 'possible')) items.splice(0, items.length, ...items.filter((i) => !generic(i)));
  const host = hostIn(text);
  const portM = /\bport\W{0,3}(\d{2,5})\b/i.exec(text) ?? (host ? new RegExp(`${host.replace(/\./g, '\\.')}:(\\d{2,5})\\b`).exec(text) : null);
  const port = portM ? Number(portM[1]) : undefined;
  const sender = firstAddress(text, 'narrow');
  for (const it of items) {
    it.next = nextCommand(it.code, { host, sender, port: port && port < 65536 ? port : undefined });
    it.vars = { ...(host ? { host } : {}), ...(port && port < 65536 ? { port: String(port) } : {}), ...certNamesIn(text, it.code), ...it.vars };
  }
  return { input: 'text', sender, items, ...(cut.length ? { cut } : {}) };
}

/** Refuses binary input (NUL bytes, mostly non-text) with one line. */
export function assertText(buf: Buffer, what: string): string {
  if (buf.length > MAX_EXPLAIN_BYTES) throw new UserError('file-too-large', `${what}: larger than ${MAX_EXPLAIN_BYTES / 1024 / 1024} MB; give the bounce message or the log lines around the error`);
  const head = buf.subarray(0, 65536);
  let bad = 0;
  let nul = 0;
  for (const b of head) {
    if (b === 0) nul++;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 27 && b !== 12)) bad++;
  }
  // A stray NUL happens in real bounces; many NULs or control bytes are a binary file.
  if (nul > Math.max(2, head.length * 0.001) || bad > head.length * 0.1) throw new UserError('unsupported-format', `${what}: binary data, not an error message, log or bounce (.eml)`);
  // latin1 keeps every byte; the MIME reader decodes charsets from it. Plain UTF-8 text is read as UTF-8.
  const utf8 = buf.toString('utf8');
  return utf8.includes('\uFFFD') ? buf.toString('latin1') : utf8;
}

export function findingsOf(result: ExplainResult): Finding[] {
  if (result.received) return judgeReceivedHeaders(result.received, result.sender);
  // Grouped in one pass (the list is appended to, never rebuilt per item: that was quadratic on a long log).
  const byCode = new Map<string, ExplainItem[]>();
  for (const it of result.items) {
    const list = byCode.get(it.code);
    if (list) list.push(it);
    else byCode.set(it.code, [it]);
  }
  const cutNote = result.cut?.length ? [{ text: `input limits: ${result.cut.join('; ')}` }] : [];
  if (!byCode.size) return [makeFinding('explain.unrecognized', { evidence: [{ text: 'no SMTP reply, status code, bounce or known client error found' }, ...cutNote], confidence: 'certain' })];
  const rank = { certain: 0, likely: 1, possible: 2 } as const;
  // A guess from codes or a wrapper ("could not convert socket to TLS") goes after the causes the text names surely.
  const onlyPossible = (its: ExplainItem[]) => (its.every((i) => i.confidence === 'possible') ? 1 : 0);
  return [...byCode].map((e) => [e, onlyPossible(e[1])] as const).sort((a, b) => a[1] - b[1]).map(([[code, its]]) => {
    const nexts = [...new Set(its.map((i) => i.next).filter((x): x is string => !!x))];
    const best = its.reduce((b, i) => (rank[i.confidence] < rank[b] ? i.confidence : b), its[0]!.confidence);
    const shown = its.slice(0, 20);
    return makeFinding(code, {
      evidence: [
        ...shown.map((i) => ({
          text: i.text,
          where: [i.recipient && `recipient ${i.recipient}`, i.remoteMta && `remote MTA ${i.remoteMta}`, i.status && `status ${i.status}`].filter(Boolean).join(', ') || undefined,
        })),
        ...(its.length > shown.length ? [{ text: `… and ${its.length - shown.length} more like these (not shown)` }] : []),
        ...cutNote,
      ],
      confidence: best,
      vars: its.find((i) => i.vars)?.vars,
      fixFirst: nexts.length ? [`Next: run \`${nexts[0]}\`${nexts.length > 1 ? ` (and ${nexts.slice(1, 3).map((n) => `\`${n}\``).join(', ')})` : ''}.`] : undefined,
    });
  }).map((f) => ({ ...f, fix: f.fix.map((x) => x.replace(LIVE_ONLY_POINTER, '')) }));
}

/** The library entry point: explains `text` and returns a Report with command "explain". `from` says where the text
 * came from (the report's target names it; the text itself is only in the findings' evidence). */
export function explainToReport(text: string, from: { source: ExplainTargetSummary['source']; file?: string } = { source: 'text' }): Report {
  const t0 = performance.now();
  const startedAt = new Date();
  const result = explainText(text);
  const facts: Facts = { connects: [], speaks: [], extra: { explain: result } };
  const subject: ExplainTargetSummary = { kind: 'explain', source: from.source, file: from.file, chars: text.length };
  return buildReport({ command: 'explain', subject, facts, findings: findingsOf(result), transcripts: [], startedAt, durationMs: Math.round(performance.now() - t0), dnsQueries: 0 });
}
