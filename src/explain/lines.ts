// Free text read line by line (a pasted reply, an app's log, a forwarded log in a message): one item per Outlook
// error number, SMTP reply (with the lines a multi-line or wrapped reply continues on), enhanced code quoted alone,
// or known client error. Bounded: at most LIMITS.maxExplainLines lines and maxExplainItems items, said in `cut`.
import type { ExplainItem } from '../facts/explain.js';
import { LIMITS } from '../net/limits.js';
import { CLIENT_ERRORS, OUTLOOK_ERRORS } from './client-errors.js';
import { classifyExplained, oneLine } from './reading.js';
import { ENHANCED_ONLY_REPLY } from './unwrap.js';

const STACK_OR_PROPS = /^\s+(at |File "|code:|errno:|syscall:|command:|response(Code)?:|address:|port:|\}|\{|\^|~)/;
const REPLY_START = /^\s*[245]\d\d[ -]/;
/** A reply in a line: [1] the code, [2] "-" (more lines follow), " ", or "" (the line ends at the code: its words
 * were wrapped onto the next line), [3] the enhanced code or "", [4] the rest. */
const REPLY_IN_LINE = /(?:^|[\s:;'"(\[<>=#-])([245]\d\d)([ -]|$)((?:[245]\.\d{1,3}\.\d{1,3})?)(.*)$/;
const OUTLOOK_NUMBER = /\b0x(800[cC]{3}[0-9a-fA-F]{2}|8004210[0-9a-fA-F])\b/;

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

/** The items read so far: each (code, words) once, at most LIMITS.maxExplainItems; what is left over is counted. */
class ItemCollector {
  readonly items: ExplainItem[] = [];
  /** Recognised lines past the item limit. */
  over = 0;
  /** The line of the last item, so that the stack printed under an error is not read as more errors. */
  lastItemLine = -100;
  private readonly seen = new Set<string>();
  private readonly pairsSeen = new Set<string>();

  /** Replaces the last item when it is a client library's error: the reply its error object quotes says more. */
  supersedeClientError(it: ExplainItem, line: number): void {
    const last = this.items[this.items.length - 1];
    if (last?.kind !== 'client-error') return;
    this.items.pop();
    this.seen.delete(`${last.code}|${last.text}`);
    this.push(it, line);
  }

  push(it: ExplainItem, line: number): void {
    this.lastItemLine = line;
    const key = `${it.code}|${it.text}`;
    if (this.seen.has(key)) return;
    if (this.items.length >= LIMITS.maxExplainItems) {
      this.over++;
      return;
    }
    this.seen.add(key);
    this.items.push(it);
  }

  /** Past the item limit a reply whose codes were seen already only adds to the count: a long log costs one
   * classification per kind of reply, not one per line. True when the reply is only counted. */
  countOnly(code: number, enhanced: string): boolean {
    const pair = `${code} ${enhanced}`;
    if (this.items.length >= LIMITS.maxExplainItems && (this.pairsSeen.has(pair) || this.pairsSeen.size >= 2 * LIMITS.maxExplainItems)) {
      this.over++;
      return true;
    }
    this.pairsSeen.add(pair);
    return false;
  }
}

/** Outlook numbers as people retype them: "0×800ccc0e" (a multiplication sign), "0x800CCCOD" (letter O for zero). */
function normalizeErrorNumbers(line: string): string {
  return line.replace(/\b0[x×]800ccc([0-9a-fo]{2})\b/gi, (_m, h: string) => `0x800CCC${h.replace(/o/gi, '0').toUpperCase()}`);
}

/** An Outlook error number the table knows; true when the line was read as one. */
function readOutlookError(line: string, at: number, out: ItemCollector): boolean {
  const outlook = OUTLOOK_NUMBER.exec(normalizeErrorNumbers(line));
  if (!outlook) return false;
  const key = `0x${outlook[1]!.toUpperCase()}`;
  const e = OUTLOOK_ERRORS[key];
  if (!e) return false;
  // Outlook quotes the server's reply after the number when it has one ("Server Response: 550 …").
  const quoted = REPLY_IN_LINE.exec(line.slice(outlook.index + 10));
  const c = quoted?.[3] || /response/i.test(line) ? classifyExplained({ code: quoted ? Number(quoted[1]) : undefined, enhanced: quoted?.[3] || undefined, text: line }, false) : undefined;
  out.push({ kind: 'outlook-error', code: c?.code ?? e.finding, confidence: c ? c.confidence : 'likely', text: oneLine(`${key} (${e.name}): ${line}`), entry: e.name }, at);
  return true;
}

/** The reply a line quotes, when the line reads as one (an enhanced code, the reply at the start of the line, or
 * words like "said:" or "response:" before it). A line with a whole dialogue gives its failure. */
function replyIn(line: string): RegExpExecArray | undefined {
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
  if (!m) return undefined;
  // A wrapper that names the failed step before the reply it quotes ("Invalid login - 454 …", "AUTH failed: 535 …")
  // introduces a reply as "said" does: the reply's code then decides, not the wrapper's words.
  const strong = m[3] || REPLY_START.test(line) || /(said|response|reply|replied|error|status|smtp|login|failed)\W*\s*$/i.test(line.slice(0, off + m.index + 1));
  return strong ? m : undefined;
}

/** A reply's words with the lines it continues on; `last` is the index of the last line it used. */
function replyWords(lines: readonly string[], first: number, m: RegExpExecArray): { words: string; last: number } {
  const code = m[1]!;
  // Words after the code, or the whole line when the codes come last ("Sender address rejected: … (553 5.7.1)").
  let words = /[a-z]{3,}/i.test(m[4]!) ? `${code}${m[2]}${m[3] ? `${m[3]} ` : ''}${m[4]}` : lines[first]!.trim();
  // Multi-line replies: "535-5.7.8 Username…" / "535 5.7.8 https://…".
  let j = first;
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
  // A reply wrapped without indent (a dialog, a forum paste, a terminal cut it mid-sentence).
  for (let n = 0, bare = !/[a-z]{3,}/i.test(m[4]!); n < MAX_WRAPPED_LINES && j + 1 < lines.length && continuesUnindented(words, lines[j + 1]!, bare); n++, bare = false) {
    j++;
    words += ` ${lines[j]!.trim()}`;
  }
  return { words, last: j };
}

const MAX_WRAPPED_LINES = 4;
/** Where a reply's words stop: the end of a sentence, a closing bracket or quote, a "…" ellipsis. */
const SENTENCE_END = /[.!?;)\]"'>]\s*$/;
/** A line that starts something new, not the rest of a reply: a timestamp or date, a log or program prefix
 * ("postfix/smtp[12]:", "msmtp:", "DEBUG SMTP:") or an exception's class name. */
const NEW_LINE_START = /^(?:[A-Z][a-z]{2} [ \d]\d\b|[\w./-]+(?:\[\d+\])?:(?:\s|$)|[A-Z]+ [A-Z]+:|[\w.]+(?:Exception|Error)\b)/;

/** The next line is the rest of a reply that was wrapped without indent: it does not start anything new, and it
 * goes on mid-sentence (it starts in lower case and the reply so far does not end a sentence) or gives the words
 * of a reply that so far had only its codes ("said: 552 5.2.0" / "This message has been rejected …"). */
function continuesUnindented(words: string, next: string, bare: boolean): boolean {
  if (next.length > 1000 || !/^[a-z]/i.test(next) || NEW_LINE_START.test(next)) return false;
  return bare || (/^[a-z]/.test(next) && !SENTENCE_END.test(words));
}

/** A failure reply (4xx/5xx; 2xx and 3xx are read past); returns the index of the last line it used. */
function readReply(lines: readonly string[], at: number, m: RegExpExecArray, out: ItemCollector): number {
  const { words, last } = replyWords(lines, at, m);
  const code = Number(m[1]);
  if ((code >= 200 && code < 400) || out.countOnly(code, m[3]!)) return last;
  const c = classifyExplained({ code, enhanced: m[3] || undefined, text: words }, false);
  out.push({ kind: 'reply', code: c?.code ?? 'explain.unrecognized', confidence: c?.confidence ?? 'possible', text: oneLine(words), replyCode: code, status: m[3] || undefined, entry: c?.entry?.id }, at);
  return last;
}

/** An enhanced code without its reply code, as .NET quotes it ("The server response was: 5.7.0 Authentication Required"). */
function readEnhancedOnly(line: string, at: number, out: ItemCollector): boolean {
  const e = ENHANCED_ONLY_REPLY.exec(line);
  const ec = e ? classifyExplained({ enhanced: e[1], text: `${e[1]} ${e[2]}` }, false) : undefined;
  if (!e || !ec) return false;
  out.push({ kind: 'reply', code: ec.code, confidence: ec.confidence, text: oneLine(`${e[1]} ${e[2]}`), status: e[1], entry: ec.entry?.id }, at);
  return true;
}

/** A client library's or app's own error ("Greeting never received", "ECONNREFUSED"). */
function readClientError(line: string, at: number, out: ItemCollector): void {
  const ce = CLIENT_ERRORS.find((e) => e.re.test(line));
  if (!ce) return;
  // "Greeting never received" on a port other than 465 is a silent server, not a TLS mode mismatch.
  let code = ce.finding;
  if (ce.id === 'nodemailer-greeting' && /\b(?:port|:)\s*(25|587|2525)\b/.test(line) && !/\b465\b/.test(line)) code = 'smtp.greeting-timeout';
  out.push({ kind: 'client-error', code, confidence: ce.confidence, text: oneLine(line), entry: ce.id }, at);
}

/** The server's reply a client library's error object carries in a property under its message (nodemailer:
 * "Invalid login" with "response: '534-5.7.14 <https://accounts.google.com/…> Please log in via your web browser…'").
 * The library's message only says which step failed; the reply says why, so it takes the wrapper's place. */
const RESPONSE_PROP = /^\s+response:\s*['"`]([245]\d\d[ -][^\n]{0,2000})$/;

function readResponseProp(line: string, at: number, out: ItemCollector): void {
  const value = RESPONSE_PROP.exec(line)?.[1]?.replace(/\\[nr]/g, ' ').replace(/['"`],?\s*$/, '');
  const m = value ? REPLY_IN_LINE.exec(value) : null;
  if (!m) return;
  const code = Number(m[1]);
  const c = classifyExplained({ code, enhanced: m[3] || undefined, text: value! }, false);
  if (!c || code < 400 || out.items[out.items.length - 1]?.code === c.code) return;
  out.supersedeClientError({ kind: 'reply', code: c.code, confidence: c.confidence, text: oneLine(value!), replyCode: code, status: m[3] || undefined, entry: c.entry?.id }, at);
}

/** One line, or a reply and the lines it continues on: the index of the last line read. */
function readLine(lines: readonly string[], at: number, out: ItemCollector): number {
  const line = lines[at]!;
  if (readOutlookError(line, at, out)) return at;
  const reply = replyIn(line);
  if (reply) return readReply(lines, at, reply, out);
  if (!readEnhancedOnly(line, at, out)) readClientError(line, at, out);
  return at;
}

/** Free text: one item per recognised line or multi-line reply. What the limits left unread is added to `cut`. */
export function explainLines(text: string, cut: string[] = []): ExplainItem[] {
  const lines = firstLines(text, LIMITS.maxExplainLines);
  if (lines.rest) cut.push(`only the first ${LIMITS.maxExplainLines} lines were read`);
  const out = new ItemCollector();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 4000) continue;
    // The stack and properties printed under an error (Node: "    at …", "  code: 'ETIMEDOUT'") belong to it.
    if (i - out.lastItemLine <= 12 && STACK_OR_PROPS.test(line)) {
      readResponseProp(line, i, out);
      continue;
    }
    i = readLine(lines, i, out);
  }
  if (out.over) cut.push(`${out.over} more recognised lines beyond the first ${LIMITS.maxExplainItems} were not kept`);
  return out.items;
}
