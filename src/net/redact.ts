// Keeping the run's secrets out of every output. A broken or hostile server can echo what we sent ("535 bad password
// 'hunter2'", our AUTH line back, the bytes re-encoded), and its words land in facts, evidence and transcripts.
//
// Two rules make this hold (docs/security.md):
// - Only text from outside is ever rewritten (server replies, transcripts of what a server said, evidence quoting a
//   server), never sendcheck's own words: replacing "password" in "create an app password" would tell the reader
//   the password. Outside text is scrubbed where it enters (src/net/smtp-connection.ts, the transcript recorder,
//   the IMAP and POP3 logins), before anything cuts it, so a cut cannot leave a prefix behind.
// - A secret shorter than SAFE_SECRET_LENGTH is never searched for (replacing "abc" wherever a server wrote it would
//   point at it, and destroy the text). Instead the text of every reply a server sent after receiving it is
//   withheld (the reply code and enhanced status stay), on that connection, in every output.
import type { Credentials } from '../input/target.js';

export const SCRUBBED = '[secret]';
/** Secrets at least this long are scrubbed wherever they appear; shorter ones make replies after them withheld. */
export const SAFE_SECRET_LENGTH = 8;
export const WITHHELD = '[text withheld: the secret is too short to redact safely]';

function base64Forms(bytes: Buffer): string[] {
  const padded = bytes.toString('base64');
  const url = bytes.toString('base64url');
  return [padded, padded.replace(/=+$/, ''), url, url + '='.repeat((4 - (url.length % 4)) % 4)];
}

/** The base64 characters that depend only on the secret's bytes, for each of the three alignments the secret can
 * have inside a longer encoded payload (a SASL PLAIN blob, a JSON document, anything a server base64-encodes). */
function alignedBase64Cores(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const skip of [0, 1, 2]) {
    const core = bytes.subarray(skip);
    const whole = core.subarray(0, core.length - (core.length % 3));
    if (whole.length) out.push(whole.toString('base64'), whole.toString('base64url'));
  }
  return out;
}

function urlForms(secret: string): string[] {
  const enc = encodeURIComponent(secret);
  return [enc, enc.replace(/%20/g, '+'), encodeURI(secret)];
}

/** Quoted-printable (RFC 2045 §6.7): printable ASCII except "=" as itself, every other byte as =XX; spaces either way. */
function quotedPrintableForms(bytes: Buffer): string[] {
  const qp = (space: boolean) => [...bytes].map((b) => ((b >= 33 && b <= 126 && b !== 61) || (space && b === 32) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return [qp(true), qp(false)];
}

/** Every form one secret's bytes can take in our output: as text in each decoding we apply (UTF-8; latin1, which is
 * how SMTP and POP3 replies are read; a server's double encoding), base64 (padded, unpadded, URL-safe, and inside
 * the SASL payloads we send), hex, URL-encoding and quoted-printable. Matching ignores case (hex, %xx, =XX). */
function formsOf(secret: string, payloads: string[]): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const latin1 = bytes.toString('latin1');
  const out = [secret, latin1, Buffer.from(latin1, 'utf8').toString('latin1')];
  for (const b of [bytes, ...payloads.map((p) => Buffer.from(p, 'utf8'))]) out.push(...base64Forms(b));
  out.push(...alignedBase64Cores(bytes), bytes.toString('hex'), ...urlForms(secret), ...quotedPrintableForms(bytes));
  return out;
}

/** The secrets of a run and their wire forms. Secrets shorter than SAFE_SECRET_LENGTH have no forms: see above. */
export function secretForms(c: Credentials | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  const pw = c.password?.reveal();
  if (pw && pw.length >= SAFE_SECRET_LENGTH) out.push(...formsOf(pw, [`\0${c.user}\0${pw}`, `${c.user}\0${c.user}\0${pw}`]));
  const tok = c.oauthToken?.reveal();
  if (tok && tok.length >= SAFE_SECRET_LENGTH) out.push(...formsOf(tok, [`user=${c.user}\x01auth=Bearer ${tok}\x01\x01`, `n,a=${c.user},\x01auth=Bearer ${tok}\x01\x01`]));
  // Longest first, so that a form containing another is replaced whole.
  return [...new Set(out.filter((f) => f.length >= SAFE_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

function tooShortToScrub(c: Credentials | undefined): boolean {
  const short = (s: string | undefined) => !!s && s.length < SAFE_SECRET_LENGTH;
  return short(c?.password?.reveal()) || short(c?.oauthToken?.reveal());
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A reply line with its words withheld: "535-5.7.8 …" → "535-5.7.8 [text withheld…]"; POP3 "-ERR [AUTH] …" and
 * IMAP "A1 NO [AUTHENTICATIONFAILED] …" keep their status and response code the same way. */
export function withholdLine(line: string): string {
  const m = /^((?:\d{3}[ -]?)?(?:[245]\.\d{1,3}\.\d{1,3}\s*)?(?:[+-](?:OK|ERR)\s*)?(?:[A-Za-z0-9.]+\s+(?:OK|NO|BAD)\s*)?(?:\[[^\]]*\]\s*)?)([\s\S]*)$/.exec(line)!;
  return m[2] ? `${m[1]}${WITHHELD}` : line;
}

/** The run's redaction: built once from the credentials, handed to every place outside text enters. */
export class Redactor {
  static readonly none = new Redactor(undefined);
  readonly forms: string[];
  /** A secret too short to scrub was given: replies after it are withheld instead. */
  readonly withholds: boolean;
  private readonly pattern?: RegExp;
  private readonly lowerForms: string[];

  constructor(credentials: Credentials | undefined) {
    this.forms = secretForms(credentials);
    this.withholds = tooShortToScrub(credentials);
    this.lowerForms = this.forms.map((f) => f.toLowerCase());
    if (this.forms.length) this.pattern = new RegExp(this.forms.map(escapeRegExp).join('|'), 'giu');
  }

  /** Outside text with every form of every secret replaced by [secret]. */
  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, SCRUBBED) : text;
  }

  /** Outside text that followed a secret on its connection: scrubbed, or its words withheld for a short secret. */
  afterSecret(text: string): string {
    return this.withholds ? text.split('\n').map(withholdLine).join('\n') : this.scrub(text);
  }

  /**
   * Scrubs, then cuts to at most `max` characters; what the cut leaves at its edge that could begin a secret form
   * (the first 17 characters of an 18-character password) is dropped too. Never the other way round: a cut first
   * would leave a prefix that no longer matches anything.
   */
  clip(text: string, max: number): { text: string; cut: boolean; length: number } {
    const clean = this.scrub(text);
    if (clean.length <= max) return { text: clean, cut: false, length: clean.length };
    return { text: this.dropSecretStart(clean.slice(0, max)), cut: true, length: clean.length };
  }

  /** Text that ends where something else cut it (a connection that closed mid-line, a library's log limit): what
   * its end could be the start of a secret form is dropped, and the rest scrubbed. */
  scrubCutEnd(text: string): string {
    return this.scrub(this.dropSecretStart(text));
  }

  /** clip() with an ellipsis where text was cut. */
  cut(text: string, max: number): string {
    const c = this.clip(text, max);
    return c.cut ? `${c.text}…` : c.text;
  }

  /** Removes the longest end of `head` that some secret form starts with. */
  private dropSecretStart(head: string): string {
    const lower = head.toLowerCase();
    for (let k = Math.min(head.length, (this.lowerForms[0]?.length ?? 1) - 1); k > 0; k--) {
      const tail = lower.slice(-k);
      if (this.lowerForms.some((f) => f.startsWith(tail))) return head.slice(0, -k);
    }
    return head;
  }
}

/** A reply line as a server sends it: SMTP "535-…", POP3 "-ERR …", IMAP "A1 NO …". */
const REPLY_LINE_START = /^(\d{3}[ -]|[+-](OK|ERR)\b|\S+ (OK|NO|BAD)\b)/;
/** Shortest start of a withheld reply that counts as a quote of it. */
const MIN_QUOTED = 16;

/** `text` with every quote of `from` replaced by `to`: the whole of it (a short `from` that is not a reply line only
 * when it is the whole of `text`), then, in a second pass (cutQuotes), a start of it cut where the quote ends. */
function replaceQuoted(text: string, from: string, to: string): string {
  if (text === from) return to;
  if ((from.length >= MIN_QUOTED || REPLY_LINE_START.test(from)) && text.includes(from)) return text.split(from).join(to);
  return text;
}

/** A start of `from` at least MIN_QUOTED long that ends `text` or an ellipsis (a rule cut it) is replaced by `to`. */
function replaceCutQuote(text: string, from: string, to: string): string {
  if (from.length <= MIN_QUOTED) return text;
  const head = from.slice(0, MIN_QUOTED);
  let out = text;
  for (let at = out.indexOf(head); at >= 0; at = out.indexOf(head, at + 1)) {
    let n = MIN_QUOTED;
    while (n < from.length && out[at + n] === from[n]) n++;
    if (at + n === out.length || out[at + n] === '…') {
      out = out.slice(0, at) + to + out.slice(at + n);
      at += to.length - 1;
    }
  }
  return out;
}

/** Keys of a report's facts whose values are sendcheck's own words or identifiers (never rewritten). */
const OUR_KEYS = new Set(['kind', 'step', 'code', 'class', 'security', 'mode', 'outcome', 'speaks', 'mechanism', 'notAttempted', 'dir', 'family', 'errno', 'label', 'protocol', 'role', 'source']);

/**
 * The last line of defence, on a finished report: every string of its facts except identifiers (OUR_KEYS) and every
 * line a server sent in a transcript is scrubbed again, and for a short secret the replies a server sent after it
 * (marked by the connection that read them) lose their words wherever they are quoted. Findings' titles,
 * explanations and fixes are catalog text and never touched. Returns how many strings changed.
 */
export function redactReport(report: { facts: unknown; findings: { evidence: { text: string }[] }[]; rootCause?: { evidence: { text: string }[] }; transcripts: { lines: { dir: string; text: string }[] }[] }, redactor: Redactor): number {
  let changed = 0;
  // Reply lines (they start with a reply code, so a quote of one is unmistakable) are replaced wherever they are
  // quoted; a reply's bare text only where it is the whole string or long enough not to be one of our words.
  const quoted = new Map<string, string>();
  const seen = new Set<object>();
  const collect = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (AFTER_SECRET.has(v)) {
      const r = v as { text: string; lines: string[] };
      for (const l of r.lines) if (withholdLine(l) !== l) quoted.set(l, withholdLine(l));
      if (r.text && redactor.afterSecret(r.text) !== r.text) quoted.set(r.text, redactor.afterSecret(r.text));
    }
    for (const x of Object.values(v)) collect(x);
  };
  if (redactor.withholds) collect(report.facts);
  // Longest first: a whole reply before one of its lines.
  const replacements = [...quoted.entries()].sort((a, b) => b[0].length - a[0].length);
  const rewrite = (s: string): string => {
    let out = redactor.scrub(s);
    for (const [from, to] of replacements) out = replaceQuoted(out, from, to);
    if (out !== s) changed++;
    return out;
  };
  const walked = new Set<object>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || walked.has(v)) return;
    walked.add(v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === 'string') {
        if (!OUR_KEYS.has(k) && Object.getOwnPropertyDescriptor(o, k)?.writable) o[k] = rewrite(x);
      } else walk(x);
    }
  };
  walk(report.facts);
  for (const t of report.transcripts) for (const l of t.lines) if (l.dir === 'received') l.text = rewrite(l.text);
  // Evidence quotes a server inside our own words: only replies known to follow a short secret are replaced there
  // (scrubbing happened where the quoted text entered), whole or cut (a rule may quote the first 200 characters).
  if (replacements.length) {
    const evidence = new Set([...report.findings, ...(report.rootCause ? [report.rootCause] : [])].flatMap((f) => f.evidence));
    for (const e of evidence) {
      let out = e.text;
      for (const [from, to] of replacements) out = replaceQuoted(out, from, to);
      for (const [from, to] of replacements) out = replaceCutQuote(out, from, to);
      if (out !== e.text) {
        e.text = out;
        changed++;
      }
    }
  }
  return changed;
}

/**
 * A reply as the server sent it, before scrubbing, for the rules that classify replies by their words
 * (src/rules/reply-classifier.ts): with the password "password", "534 5.7.9 Application-specific password required"
 * must still be recognised. Held beside the reply, never in it: no renderer or JSON document can reach it.
 */
const RAW_FOR_RULES = new WeakMap<object, object>();
export function keepRawForRules<T extends object>(scrubbed: T, raw: T): T {
  RAW_FOR_RULES.set(scrubbed, raw);
  return scrubbed;
}
export function rawForRules<T extends object>(reply: T): T {
  return (RAW_FOR_RULES.get(reply) as T | undefined) ?? reply;
}

/** Replies read after a secret was sent on their connection (see SmtpConnection); only identity is kept. */
const AFTER_SECRET = new WeakSet<object>();
export function markAfterSecret<T extends object>(reply: T): T {
  AFTER_SECRET.add(reply);
  return reply;
}
