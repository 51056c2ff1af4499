// A small, forgiving MIME reader for bounces: headers (unfolded, RFC 2047 words decoded), multipart bodies split
// by boundary (nested), and text parts decoded (base64, quoted-printable, charsets Node's TextDecoder knows).
// Bounces in the wild are often broken (unterminated boundaries, wrong encodings): nothing here throws for that.

import { TextDecoder } from 'node:util';
import { LIMITS } from '../net/limits.js';
export interface MimePart {
  headers: Map<string, string[]>;
  contentType: string;
  params: Record<string, string>;
  /** Decoded text of a leaf part (empty for multipart). */
  text: string;
  parts: MimePart[];
  /** Parts beyond LIMITS.maxMimeParts (counted over the whole message) were not read. */
  partsCut?: boolean;
}

export function header(p: MimePart, name: string): string | undefined {
  return p.headers.get(name.toLowerCase())?.[0];
}

export function splitHeaderBody(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

export function parseHeaders(head: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = head.split(/\r?\n/);
  let cur: string | undefined;
  const flush = () => {
    if (!cur) return;
    const i = cur.indexOf(':');
    if (i > 0) {
      const k = cur.slice(0, i).trim().toLowerCase();
      const v = decodeWords(cur.slice(i + 1).trim());
      // Appended in place: copying the list per field was quadratic in a header block repeating one name.
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    }
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line) && cur !== undefined) cur += ` ${line.trim()}`;
    else {
      flush();
      cur = line;
    }
  }
  flush();
  return out;
}

function decoder(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder((charset ?? 'utf-8').toLowerCase().replace(/^(x-|cp)?(sjis|shift-jis)$/, 'shift_jis'), { fatal: false });
  } catch {
    return new TextDecoder('latin1');
  }
}

/** RFC 2047 encoded words (=?charset?B|Q?...?=) in a header value. */
export function decodeWords(v: string): string {
  if (!v.includes('=?')) return v;
  return v.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=(\s+(?==\?))?/g, (_m, cs: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' '));
    return decoder(cs).decode(bytes);
  });
}

function qpBytes(s: string): Buffer {
  const out: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 61 && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      out.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 256) out.push(c);
    else out.push(...Buffer.from(src[i]!, 'utf8'));
  }
  return Buffer.from(out);
}

function parseContentType(v: string | undefined): { type: string; params: Record<string, string> } {
  if (!v) return { type: 'text/plain', params: {} };
  const [t, ...rest] = v.split(';');
  const params: Record<string, string> = {};
  const re = /([\w*-]+)\s*=\s*("([^"]*)"|[^;\s]+)/g;
  for (const m of rest.join(';').matchAll(re)) params[m[1]!.toLowerCase()] = m[3] ?? m[2]!;
  return { type: (t ?? 'text/plain').trim().toLowerCase(), params };
}

function decodeBody(body: string, cte: string | undefined, charset: string | undefined): string {
  const enc = (cte ?? '').trim().toLowerCase();
  if (enc === 'base64') return decoder(charset).decode(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (enc === 'quoted-printable') return decoder(charset).decode(qpBytes(body));
  if (charset && !/^(us-ascii|utf-?8)$/i.test(charset) && /[\x1b\x80-\xff]/.test(body)) return decoder(charset).decode(Buffer.from(body, 'latin1'));
  return body;
}

/** A multipart body split at its boundary lines in one pass of indexOf (no array of every line): the preamble and
 * each part's text, at most `budget.left` parts (a boundary "-" makes every "---" line a part: 2 million of them). */
function splitMultipart(body: string, boundary: string, budget: { left: number }): { preamble: string; chunks: string[]; cut: boolean } {
  const open = `--${boundary}`;
  const close = `--${boundary}--`;
  const chunks: string[] = [];
  let preamble: string | undefined;
  let partStart = -1;
  let cut = false;
  const endPart = (end: number) => {
    if (partStart >= 0) chunks.push(body.slice(partStart, Math.max(partStart, end - 1)).replace(/\r(?=\n)/g, ''));
    else preamble ??= body.slice(0, Math.max(0, end - 1));
  };
  for (let pos = 0; pos <= body.length;) {
    let nl = body.indexOf('\n', pos);
    if (nl < 0) nl = body.length;
    // Only a line that starts with "--" can be a boundary: cheap to rule out before trimming.
    if (body.startsWith('--', pos)) {
      const t = body.slice(pos, nl).trimEnd();
      if (t === close) {
        endPart(pos);
        partStart = -1;
        return { preamble: preamble ?? '', chunks, cut };
      }
      if (t === open) {
        endPart(pos);
        if (budget.left <= 0) {
          cut = true;
          partStart = -1;
          return { preamble: preamble ?? '', chunks, cut };
        }
        budget.left--;
        partStart = nl + 1;
      }
    }
    pos = nl + 1;
  }
  endPart(body.length + 1); // unterminated multipart: keep what arrived
  return { preamble: preamble ?? '', chunks, cut };
}

/** Parses a whole message (or a part). `raw` is the text as read (latin1 keeps the bytes for charset decoding). */
export function parseMime(raw: string, depth = 0, budget = { left: LIMITS.maxMimeParts }): MimePart {
  const { head, body } = splitHeaderBody(raw);
  const headers = parseHeaders(head);
  const ct = parseContentType(headers.get('content-type')?.[0]);
  const part: MimePart = { headers, contentType: ct.type, params: ct.params, text: '', parts: [] };
  const boundary = ct.params.boundary;
  if (ct.type.startsWith('multipart/') && boundary && depth < LIMITS.maxMimeDepth) {
    const split = splitMultipart(body, boundary, budget);
    part.parts = split.chunks.map((c) => parseMime(c, depth + 1, budget));
    part.text = split.preamble.replace(/\r(?=\n)/g, '');
    if (split.cut || part.parts.some((p) => p.partsCut)) part.partsCut = true;
    return part;
  }
  if (ct.type === 'message/rfc822' || ct.type === 'text/rfc822-headers') {
    part.text = body;
    return part;
  }
  part.text = decodeBody(body, headers.get('content-transfer-encoding')?.[0], ct.params.charset);
  return part;
}

/** Every leaf part, depth first, without descending into attached original messages. */
export function leaves(p: MimePart): MimePart[] {
  if (!p.parts.length) return [p];
  return p.parts.flatMap(leaves);
}

/** Whether a text looks like an email message (a header block first), not a log line or a pasted reply. */
export function looksLikeMessage(text: string): boolean {
  const head = text.slice(0, 8192).replace(/^From [^\n]*\n/, '');
  const { head: h } = splitHeaderBody(head);
  const lines = h.split(/\r?\n/).filter((l) => l && !/^[ \t]/.test(l));
  if (lines.length < 2) return false;
  const headerish = lines.filter((l) => /^[A-Za-z][\w-]*:/.test(l)).length;
  return headerish / lines.length > 0.8 && /^(from|to|subject|received|return-path|date|message-id|content-type|mime-version|x-[\w-]+|delivered-to):/im.test(h);
}
