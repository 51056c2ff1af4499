// Mail libraries wrap the server's reply in their own words: "Expected response code 250 but got code "553", with
// message "553 …"", Python's (535, b'5.7.8 …'), JavaScript-escaped "…\n535 5.7.8 …", JSON strings, .NET's "The server
// response was: 5.7.0 …". These undo the wrapping so the reply reads as the server sent it, and the reply classifier
// sees the server's code first, not the code the library expected.

/** The code the library expected (a success), which comes before the code it got: dropped, or it would read as the reply. */
const EXPECTED_CODE = /\bexpect(?:ed|ing)\b[^0-9\n]{0,30}"?[23]\d\d(?:\s*[/,]\s*[23]\d\d)*"?(?:\s*,)?/gi;

/** A JavaScript or JSON string's escaped line break before a reply line or a string continuation. */
const ESCAPED_BREAK = /(?<!\\)\\r?\\n(?=\s*(?:[245]\d\d[ -]|['"]\s*\+|[245]\.\d{1,3}\.\d{1,3}\b))/g;

/** Python's bytes repr of a reply: smtplib.SMTPDataError: (554, b'5.2.0 …') or (535, b'5.7.8 …'). */
const PY_TUPLE = /\(\s*([245]\d\d)\s*,\s*b?(['"])([\s\S]{0,4000}?)\2\s*\)/g;

export function unwrapReplies(text: string): string {
  return text
    // "…Learn more at\n' +\n    '535 5.7.8 …": the halves of a concatenated string literal are one text.
    .replace(/\\n['"]\s*\+\s*\n\s*['"]/g, '\n')
    .replace(ESCAPED_BREAK, '\n')
    // A trailing escaped CRLF before the closing quote (gen_smtp: <<"550 5.4.5 … - gsmtp\r\n">>).
    .replace(/(?<!\\)\\r\\n(?=["'])/g, '')
    .replace(PY_TUPLE, (_m, code: string, _q: string, body: string) => `${code} ${body.replace(/(?<!\\)\\n/g, ' ')}`)
    .replace(EXPECTED_CODE, '');
}

/** An enhanced status code without its basic code, as .NET and some libraries quote it ("The server response was:
 * 5.7.0 Authentication Required"). */
export const ENHANCED_ONLY_REPLY = /(?:response (?:was|is)|server (?:said|replied|responded)|reply was|got)\W{0,3}([245]\.\d{1,3}\.\d{1,3})\s+(.*)$/i;
