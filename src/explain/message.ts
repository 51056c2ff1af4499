// A message (.eml, or pasted headers and body) read for explain: a bounce's recipients each read as the reply the
// remote server gave (DSN fields first, then the bounce's own words and the SMTP step it names), a feedback report
// or an auto-reply, or a received message whose headers carry the receiver's verdicts.
import { UserError } from '../errors.js';
import type { ExplainItem, ExplainResult } from '../facts/explain.js';
import type { ReceivedHeaders } from '../facts/roundtrip.js';
import { LIMITS } from '../net/limits.js';
import {
  headerValues, hopDelays, parseArcAuthenticationResults, parseAuthenticationResults, parseHeaderBlock, parseReceivedChain,
  parseReceivedSpf, readSpamVerdicts,
} from '../roundtrip/headers/index.js';
import { classifyReply, type ReplyClassification, type ReplyLike } from '../rules/reply-classifier.js';
import { parseBounce, splitDiagnostic, type BounceRecipient, type ParsedBounce } from './bounce.js';
import { explainLines } from './lines.js';
import { oneLine } from './reading.js';

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

/** The reply a recipient's DSN fields (or, without them, its text) quote, as the bounce classifier reads it. */
function classifyRecipientReply(r: BounceRecipient): { c?: ReplyClassification; primary: ReplyLike } {
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
  return { c, primary };
}

function classifyRecipient(r: BounceRecipient): { c?: ReplyClassification; text: string } {
  if (r.action && /^(delivered|relayed|expanded|deliverable)$/.test(r.action)) return { c: { code: 'delivery.delivered', confidence: 'certain' }, text: r.diagnostic ?? `Action: ${r.action}` };
  const read = classifyRecipientReply(r);
  const primary = read.primary;
  let c = read.c;
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

/** One recipient of a bounce, feedback report or auto-reply as an item. */
function recipientItem(b: ParsedBounce, r: BounceRecipient, raw: string): ExplainItem {
  if (b.kind === 'feedback') return { kind: 'feedback', code: 'delivery.feedback-report', confidence: 'certain', text: oneLine(r.text), recipient: r.recipient };
  if (b.kind === 'auto-reply') return { kind: 'auto-reply', code: 'delivery.auto-reply', confidence: 'likely', text: oneLine(r.text), recipient: r.recipient };
  const classified = classifyRecipient(r);
  // Nothing about this recipient was recognised: the bounce's own report (its subject, the text before the
  // returned message) often names the reason once for all recipients ("Could not be delivered because of 550 5.1.1 User unknown").
  const { c, text } = classified.c ? classified : { c: classifyReportText(raw, b.subject), text: classified.text };
  return {
    kind: b.kind === 'dsn' ? 'dsn-recipient' : 'bounce-recipient',
    code: c?.code ?? 'explain.unrecognized', confidence: c?.confidence ?? 'possible', text: oneLine(text),
    recipient: r.recipient, action: r.action, status: r.status, replyCode: r.replyCode, remoteMta: r.remoteMta, entry: c?.entry?.id,
  };
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

/** A message (CRLF already read as LF) → what it says. Throws UserError for a DSN cut before its status part. */
export function readMessage(raw: string): ExplainResult {
  const b = parseBounce(raw);
  if (b.truncated && !b.recipients.length) {
    throw new UserError('unsupported-format', 'the delivery status notification is truncated: its message/delivery-status part is missing');
  }
  const items = b.recipients.map((r) => recipientItem(b, r, raw));
  // Not a bounce: a message that arrived (often in spam) whose headers carry the receiver's verdicts ("show
  // original"). When nothing in it reads as a bounce, those headers are the subject, not its text.
  const nothingRecognised = items.every((i) => i.code === 'explain.unrecognized');
  const received = (b.kind === 'unknown' || b.kind === 'bounce') && !b.bounceLike && nothingRecognised ? receivedHeadersOf(raw) : undefined;
  if (received) return { input: 'message', messageKind: 'received', sender: b.sender, items: [], received };
  // A message without recipients or words may still carry client errors (a forwarded log).
  if (!items.length) items.push(...explainLines(raw));
  const cut = b.partsCut ? [`only the first ${LIMITS.maxMimeParts} MIME parts were read`] : undefined;
  return { input: 'message', messageKind: b.kind, sender: b.sender, items, ...(cut ? { cut } : {}) };
}
