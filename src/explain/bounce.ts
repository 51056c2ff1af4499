// Reads a bounce message: RFC 3464 delivery status notifications (per recipient: action, status, diagnostic code,
// remote MTA), RFC 5965 feedback reports, RFC 3834 auto-replies, and the many non-standard bounces (qmail,
// Exim, old Sendmail, webmail providers) whose only structure is "recipient address, then the server's words".
import { LIMITS } from '../net/limits.js';
import { addressesIn, findAddresses, firstAddress } from './addresses.js';
import { header, leaves, parseMime, splitHeaderBody, type MimePart } from './mime.js';

export interface BounceRecipient {
  recipient?: string;
  action?: string;
  /** RFC 3463 status from the DSN (or found in the text). */
  status?: string;
  /** Diagnostic-Code without its type prefix ("smtp; "). */
  diagnostic?: string;
  diagnosticType?: string;
  replyCode?: number;
  remoteMta?: string;
  /** The human-readable words about this recipient (from the DSN's diagnostic or the bounce text). */
  text: string;
}

export interface ParsedBounce {
  kind: 'dsn' | 'bounce' | 'feedback' | 'auto-reply' | 'unknown';
  recipients: BounceRecipient[];
  /** The original sender (the bounce's To:), if any: the address to check next. */
  sender?: string;
  subject?: string;
  /** Whether the message declared a delivery-status report that was missing or cut. */
  truncated: boolean;
  feedbackType?: string;
  /** From (mailer-daemon, postmaster …) or Subject (undeliverable, failure …) say it is a bounce. */
  bounceLike?: boolean;
  /** The message had more MIME parts than LIMITS.maxMimeParts; the rest were not read. */
  partsCut?: boolean;
}

const ORIGINAL_MARKERS = [
  /^-+ ?(Below this line is a copy of the message|This is a copy of the message|Original message|The header of the original message|Unsent Message below|Returned message|Original Message Header|original message follows|Message text follows|Headers? of the (original|returned) message)/im,
  /^(-+ )?(The original message (headers|follows|is attached)|Original message follows|Your message reads|A copy of the original message|The (returned|original) message (follows|is attached|headers|below))/im,
  /^Content-Type: (message\/rfc822|text\/rfc822-headers)/im,
  /^Received: from .*\n.*by .*\n/im,
];

function cutOriginal(text: string): string {
  let end = text.length;
  for (const re of ORIGINAL_MARKERS) {
    const m = re.exec(text);
    if (m && m.index > 0 && m.index < end) end = m.index;
  }
  return text.slice(0, end);
}

/** HTML to text in one pass: script and style bodies dropped (an unclosed one ends the text), tags removed. A tag
 * never spans a "<", so a run of "<" without ">" costs one look each (/<[^>]+>/ was quadratic on it). */
function stripHtml(s: string): string {
  const parts: string[] = [];
  const lower = s.toLowerCase();
  let i = 0;
  for (;;) {
    const m = /<(script|style)\b/gi;
    m.lastIndex = i;
    const open = m.exec(s);
    if (!open) {
      parts.push(s.slice(i));
      break;
    }
    parts.push(s.slice(i, open.index), ' ');
    const close = lower.indexOf(`</${open[1]!.toLowerCase()}>`, open.index);
    if (close < 0) break;
    i = close + open[1]!.length + 3;
  }
  return parts.join('').replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>/gi, '\n').replace(/<[^<>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function addrOf(v: string | undefined): string | undefined {
  return v ? firstAddress(v)?.toLowerCase() : undefined;
}

/** Splits a delivery-status body into field groups (per-message first, then one per recipient). */
function dsnGroups(body: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  for (const block of body.replace(/\r/g, '').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of block.split('\n')) {
      if (/^[ \t]/.test(line) && last) fields.set(last, `${fields.get(last)} ${line.trim()}`);
      else {
        const m = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
        if (m) {
          last = m[1]!.toLowerCase();
          if (!fields.has(last)) fields.set(last, m[2]!.trim());
        }
      }
    }
    if (fields.size) groups.push(fields);
  }
  return groups;
}

export function splitDiagnostic(v: string | undefined): { type?: string; text?: string; replyCode?: number; enhanced?: string } {
  if (!v) return {};
  const m = /^\s*([\w-]+)\s*;\s*([\s\S]*)$/.exec(v);
  const type = m?.[1]?.toLowerCase();
  const text = (m ? m[2]! : v).replace(/\s+/g, ' ').trim();
  const code = /^([245]\d\d)(?:[ -]|$)/.exec(text) ?? /\b([245]\d\d)[ -](?:[245]\.\d{1,3}\.\d{1,3}\b)/.exec(text);
  const enh = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
  return { type, text, replyCode: code ? Number(code[1]) : undefined, enhanced: enh?.[1] };
}

function fromDsn(part: MimePart, humanText: string): BounceRecipient[] {
  const out: BounceRecipient[] = [];
  for (const g of dsnGroups(part.text)) {
    const rcpt = g.get('final-recipient') ?? g.get('original-recipient');
    if (!rcpt && !g.get('action') && !g.get('status')) continue;
    const d = splitDiagnostic(g.get('diagnostic-code'));
    const recipient = addrOf(rcpt) ?? rcpt?.replace(/^[\w-]+;\s*/, '');
    out.push({
      recipient,
      action: g.get('action')?.toLowerCase().split(/[\s(]/)[0],
      status: /([245]\.\d{1,3}\.\d{1,3})/.exec(g.get('status') ?? '')?.[1],
      diagnostic: d.text,
      diagnosticType: d.type,
      replyCode: d.replyCode,
      remoteMta: g.get('remote-mta')?.replace(/^[\w-]+;\s*/, ''),
      text: d.text && d.text.length > 3 ? d.text : segmentFor(humanText, recipient) ?? humanText,
    });
  }
  return out;
}

/** The words about one recipient in a free-text bounce: from its address to the next recipient's (or 1200 chars). */
function segmentFor(text: string, recipient: string | undefined): string | undefined {
  if (!recipient) return undefined;
  const i = text.toLowerCase().indexOf(recipient.toLowerCase());
  if (i < 0) return undefined;
  return text.slice(i, i + 1200);
}

/** Recipients of a non-standard bounce: addresses that the text quotes as failed, not the bounce's own From/To. */
function freeTextRecipients(text: string, exclude: Set<string>): BounceRecipient[] {
  const found: { addr: string; index: number }[] = [];
  const seen = new Set<string>();
  // "The following address(es) failed:" (Exim), "had permanent fatal errors" (Sendmail): the list starts there.
  const marker = /following (address(es)?|recipients?)|address(es)? (had|failed)|permanent fatal errors|delivery to the following|could not be delivered to:/i.exec(text);
  const from = marker && findAddresses(text.slice(marker.index), 1).length ? marker.index : 0;
  // One past the kept recipients: its position ends the last one's words.
  for (const m of addressesIn(text.slice(from))) {
    const addr = m.address.toLowerCase();
    if (exclude.has(addr) || /^(mailer-daemon|postmaster|noreply|no-reply)@/.test(addr) || seen.has(addr)) continue;
    seen.add(addr);
    found.push({ addr, index: from + m.index });
    if (found.length > LIMITS.maxBounceRecipients) break;
  }
  // Text before the first address often says why (Exim: "…could not be delivered to one or more of its recipients").
  return found.slice(0, LIMITS.maxBounceRecipients).map((f, k) => {
    const next = found[k + 1]?.index ?? text.length;
    const seg = text.slice(f.index, Math.min(next, f.index + 1500));
    const words = seg.replace(/\s+/g, ' ').trim();
    return { recipient: f.addr, text: words.length > f.addr.length + 8 ? words : text.replace(/\s+/g, ' ').trim() };
  });
}

const AUTO_REPLY_SUBJECT = /out of (the )?office|auto(matic)?[- ]?(reply|response|antwort)|vacation|abwesen|absence|away from|r[ée]ponse automatique|on leave|自動/i;

export function parseBounce(raw: string): ParsedBounce {
  const msg = parseMime(raw.replace(/^From [^\n]*\n/, ''));
  return { ...readBounce(msg), ...(msg.partsCut ? { partsCut: true } : {}) };
}

function readBounce(msg: MimePart): ParsedBounce {
  const subject = header(msg, 'subject');
  const sender = addrOf(header(msg, 'to'));
  const from = addrOf(header(msg, 'from'));
  const all = leaves(msg);
  const feedback = all.find((p) => p.contentType === 'message/feedback-report') ?? (msg.params['report-type']?.toLowerCase() === 'feedback-report' ? msg : undefined);
  if (feedback) {
    const ft = /^Feedback-Type:\s*(\S+)/im.exec(feedback.text)?.[1];
    const rcpts = [...(feedback.text.match(/^(Original-Rcpt-To|Removal-Recipient):\s*(.*)$/gim) ?? [])].map((l) => addrOf(l)).filter((x): x is string => !!x);
    return { kind: 'feedback', recipients: (rcpts.length ? rcpts : [undefined]).map((r) => ({ recipient: r, text: `feedback report${ft ? ` (${ft})` : ''}` })), sender, subject, truncated: false, feedbackType: ft };
  }
  // Amazon SES notifications by email: a JSON document (notificationType Bounce / Complaint / Delivery).
  const ses = sesNotification(all.map((p) => p.text).join('\n'));
  if (ses) return { ...ses, sender, subject };
  if (/complaint about message from|abuse report|spam complaint|feedback report/i.test(subject ?? '')) {
    return { kind: 'feedback', recipients: [{ recipient: undefined, text: subject ?? 'feedback report' }], sender, subject, truncated: false };
  }
  const dsnPart = all.find((p) => /^(message|text)\/(global-)?delivery-status$/.test(p.contentType));
  const human = all
    .filter((p) => p.contentType.startsWith('text/') && p !== dsnPart && !/rfc822-headers/.test(p.contentType))
    .map((p) => (p.contentType === 'text/html' ? stripHtml(p.text) : p.text));
  // A single-part bounce: the body is the text; multipart: the preamble can hold the words too.
  // A multipart whose boundary never appears (cut, or a broken MTA) leaves everything in the preamble.
  const brokenMultipart = msg.contentType.startsWith('multipart/') && !msg.parts.length;
  const humanText = cutOriginal([msg.parts.length || brokenMultipart ? msg.text : '', ...human].join('\n')).slice(0, 20000);
  const declaredDsn = msg.params['report-type']?.toLowerCase() === 'delivery-status';
  // DSN fields inline in the text (no message/delivery-status part): read them where they are.
  const inlineDsn = !dsnPart && /^(Final|Original)-Recipient:/im.test(humanText) ? { ...msg, text: humanText.slice(humanText.search(/^(Reporting-MTA|Final-Recipient|Original-Recipient):/im)) } : undefined;
  if (dsnPart || inlineDsn) {
    const recipients = fromDsn(dsnPart ?? inlineDsn!, humanText);
    if (recipients.length) return { kind: 'dsn', recipients, sender, subject, truncated: false };
  }
  const autoSubmitted = header(msg, 'auto-submitted') ?? '';
  const looksBounce = /mailer-daemon|postmaster|mail delivery|mail administrator|mdaemon|double-bounce/i.test(`${header(msg, 'from') ?? ''}`) ||
    /undeliver|returned mail|delivery (status )?(notification|failure|failed|has failed)|failure notice|could not be delivered|non[- ]?delivery|rejected|bounce|unzustellbar|nicht zugestellt|warning: could not send|mail system error|delivery problem|mail failure|not delivered|error|failed/i.test(subject ?? '');
  if (!looksBounce && !declaredDsn && (/auto-replied/i.test(autoSubmitted) || AUTO_REPLY_SUBJECT.test(subject ?? '') || header(msg, 'x-autoreply') !== undefined || /^auto/i.test(header(msg, 'precedence') ?? '__'))) {
    return { kind: 'auto-reply', recipients: [{ recipient: from, text: subject ?? 'automatic reply' }], sender, subject, truncated: false };
  }
  const exclude = new Set([sender, from].filter((x): x is string => !!x));
  const recipients = freeTextRecipients(humanText, exclude);
  if (!recipients.length && humanText.trim()) recipients.push({ text: humanText.replace(/\s+/g, ' ').trim().slice(0, 2000) });
  return { kind: recipients.length ? 'bounce' : 'unknown', recipients, sender, subject, truncated: declaredDsn && !dsnPart, bounceLike: looksBounce || declaredDsn };
}

export { splitHeaderBody };

function sesNotification(text: string): Omit<ParsedBounce, 'sender' | 'subject'> | undefined {
  const i = text.indexOf('{"notificationType"');
  const j = i < 0 ? text.indexOf('{"eventType"') : i;
  if (j < 0) return undefined;
  let doc: { notificationType?: string; eventType?: string; bounce?: { bouncedRecipients?: { emailAddress?: string; status?: string; diagnosticCode?: string; action?: string }[] }; complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string }; delivery?: { recipients?: string[]; smtpResponse?: string } };
  try {
    doc = JSON.parse(text.slice(j, text.lastIndexOf('}') + 1).replace(/=\r?\n/g, ''));
  } catch {
    return undefined;
  }
  const type = (doc.notificationType ?? doc.eventType ?? '').toLowerCase();
  if (type === 'complaint') return { kind: 'feedback', recipients: (doc.complaint?.complainedRecipients ?? [{}]).map((r) => ({ recipient: r.emailAddress, text: `complaint${doc.complaint?.complaintFeedbackType ? ` (${doc.complaint.complaintFeedbackType})` : ''}` })), truncated: false };
  if (type === 'delivery') return { kind: 'dsn', recipients: (doc.delivery?.recipients ?? ['']).map((r) => ({ recipient: r || undefined, action: 'delivered', text: doc.delivery?.smtpResponse ?? 'delivered' })), truncated: false };
  if (type === 'bounce') {
    return { kind: 'dsn', truncated: false, recipients: (doc.bounce?.bouncedRecipients ?? []).map((r) => {
      const d = splitDiagnostic(r.diagnosticCode);
      return { recipient: r.emailAddress, action: r.action, status: r.status, diagnostic: d.text, diagnosticType: d.type, replyCode: d.replyCode, text: d.text ?? '' };
    }) };
  }
  return undefined;
}
