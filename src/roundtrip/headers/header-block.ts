// The header block of a received message (RFC 5322 §2.2 / §3.2.2): fields unfolded, in message order, read from
// whatever the IMAP server sent, and the lexical tokens (comments, quoted strings) of structured field bodies that
// the Received, Authentication-Results and spam-filter readers share.
// The server is not trusted: input past MAX_HEADER_BYTES and fields past MAX_HEADER_FIELDS are ignored, every loop
// is linear in the input, and nothing here throws for malformed text.
import { TextDecoder } from 'node:util';

/** Bytes (or, for a string, UTF-16 code units) read at most; the rest is ignored. */
export const MAX_HEADER_BYTES = 256 * 1024;
/** Fields kept at most; later ones are ignored. */
export const MAX_HEADER_FIELDS = 1000;

export interface HeaderField {
  /** The field name as written ("Authentication-Results", "x-forefront-antispam-report"). */
  name: string;
  /** The field name in lowercase, for lookups. */
  key: string;
  /**
   * The unfolded body: line breaks of folded lines removed, the folding whitespace kept (RFC 5322 §2.2.3), outer
   * whitespace trimmed. Encoded words (RFC 2047) are left as they are: none of the fields read here uses them.
   */
  value: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The fields of a header block, in order. Reading stops at the first empty line (the body is not looked at);
 * CRLF, bare LF and bare CR all end a line. A line that is neither a field ("Name: value") nor a continuation
 * (starting with space or tab), such as an mbox "From " line, is skipped with its continuations.
 */
export function parseHeaderBlock(raw: string | Uint8Array): HeaderField[] {
  const text = typeof raw === 'string' ? raw.slice(0, MAX_HEADER_BYTES) : utf8.decode(raw.subarray(0, MAX_HEADER_BYTES));
  const fields: HeaderField[] = [];
  let name: string | undefined;
  let parts: string[] = [];
  const flush = () => {
    if (name !== undefined && fields.length < MAX_HEADER_FIELDS) {
      fields.push({ name, key: name.toLowerCase(), value: parts.join('').trim() });
    }
    name = undefined;
    parts = [];
  };
  let pos = 0;
  while (pos < text.length && fields.length < MAX_HEADER_FIELDS) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end);
    pos = end + (text.startsWith('\r\n', end) ? 2 : 1);
    if (line === '') break;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (name !== undefined) parts.push(line);
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const candidate = colon > 0 ? line.slice(0, colon).replace(/[ \t]+$/, '') : '';
    if (isFieldName(candidate)) {
      name = candidate;
      parts = [line.slice(colon + 1)];
    }
  }
  flush();
  return fields;
}

/** The values of every field called `name` (any case), in message order. */
export function headerValues(fields: readonly HeaderField[], name: string): string[] {
  const key = name.toLowerCase();
  return fields.filter((f) => f.key === key).map((f) => f.value);
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return text.length;
}

/** RFC 5322 ftext: printable US-ASCII except colon (obsolete whitespace before the colon is trimmed already). */
function isFieldName(s: string): boolean {
  if (!s) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126 || c === 58) return false;
  }
  return true;
}

export interface ValueToken {
  /** word: a run of non-special, non-space characters; special: one of the caller's special characters. */
  kind: 'word' | 'quoted' | 'comment' | 'special';
  /** For quoted: the content with quoted-pairs resolved; for comment: the content inside the outer parentheses. */
  text: string;
  /** Offsets into the lexed string: [start, end). */
  start: number;
  end: number;
  /** Whether whitespace (or a comment) separates this token from the previous one. */
  spaceBefore: boolean;
}

/**
 * Splits a structured field body into words, quoted strings, comments (nested, RFC 5322 §3.2.2) and the given
 * single-character specials. An unterminated quoted string or comment runs to the end of the text.
 */
export function lexValue(value: string, specials: string): ValueToken[] {
  const tokens: ValueToken[] = [];
  let space = false;
  let i = 0;
  const push = (kind: ValueToken['kind'], text: string, start: number) => {
    tokens.push({ kind, text, start, end: i, spaceBefore: space });
    space = false;
  };
  while (i < value.length) {
    const ch = value[i]!;
    const start = i;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      space = true;
      i++;
    } else if (ch === '(') {
      let depth = 1;
      let text = '';
      i++;
      while (i < value.length && depth > 0) {
        const c = value[i]!;
        if (c === '\\' && i + 1 < value.length) {
          text += value[i + 1];
          i += 2;
          continue;
        }
        if (c === '(') depth++;
        else if (c === ')') depth--;
        if (depth > 0) text += c;
        i++;
      }
      push('comment', text, start);
      space = true;
    } else if (ch === '"') {
      let text = '';
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < value.length) i++;
        text += value[i];
        i++;
      }
      if (i < value.length) i++;
      push('quoted', text, start);
    } else if (specials.includes(ch)) {
      i++;
      push('special', ch, start);
    } else {
      while (i < value.length && !isWordEnd(value[i]!, specials)) i++;
      push('word', value.slice(start, i), start);
    }
  }
  return tokens;
}

function isWordEnd(c: string, specials: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '(' || c === '"' || specials.includes(c);
}

/** Whitespace runs as one space, ends trimmed: how comments and values are reported. */
export function squeeze(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
