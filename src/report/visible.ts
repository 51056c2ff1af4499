// The one sanitizer for text that reaches a screen or a file. Outside text (a server's reply, a DNS record, a file's
// contents) can carry control characters: ESC sequences that hide or recolour text on a terminal, C1 controls
// (U+009B is a one-character CSI, U+009D an OSC), bidi overrides that reorder what a reader sees. Every renderer
// shows them as visible escapes (terminal, transcript, HTML) or escapes them in the data (JSON), through here.

/** C0, DEL, C1, and the Unicode format characters that reorder or break lines (bidi embeddings, overrides and
 * isolates, LRM/RLM/ALM, line and paragraph separators). */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw: everything above except C0 (which it escapes itself). */
const JSON_RAW_CONTROL = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** `\x1b`, `\x9b`, `\u202e`: the character named, never acted on. */
export function visible(text: string): string {
  return text.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${hex(n, 2)}` : `\\u${hex(n, 4)}`;
  });
}

/** A JSON document with every control and format character as a \u escape (JSON.stringify escapes only C0). The
 * data is unchanged: a reader parsing it gets the same strings back. */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW_CONTROL, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}
