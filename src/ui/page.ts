// The local web page: a form for the same inputs as `sendcheck check`, and the report rendered below it.
import { escapeHtml, renderHtml } from '../report/html.js';
import type { Report } from '../report/types.js';

export interface FormValues {
  host?: string;
  port?: string;
  security?: string;
  user?: string;
  from?: string;
  to?: string;
  timeout?: string;
  roundtrip?: string;
  imap?: string;
  wait?: string;
}

export function renderForm(values: FormValues = {}, error?: string): string {
  const v = (k: keyof FormValues) => escapeHtml(values[k] ?? '');
  const sel = (s: string) => (values.security === s ? ' selected' : '');
  return `<form method="post" action="/check" autocomplete="off">
<fieldset><legend>Outgoing server</legend>
<label>Host <input name="host" value="${v('host')}" placeholder="smtp.example.com" required></label>
<label>Port <input name="port" value="${v('port')}" placeholder="587" size="5"></label>
<label>Encryption <select name="security"><option value="starttls"${sel('starttls')}>STARTTLS</option><option value="implicit-tls"${sel('implicit-tls')}>SSL/TLS</option><option value="none"${sel('none')}>none</option></select></label>
</fieldset>
<fieldset><legend>Login (optional; one attempt, never stored)</legend>
<label>User <input name="user" value="${v('user')}" autocomplete="off"></label>
<label>Password <input name="password" type="password" autocomplete="new-password"></label>
</fieldset>
<fieldset><legend>Envelope (optional; no message is sent)</legend>
<label>From <input name="from" value="${v('from')}"></label>
<label>To <input name="to" value="${v('to')}"></label>
</fieldset>
<fieldset><legend>Round trip (optional; sends one test message to your own address, watches it arrive over IMAP, deletes it)</legend>
<label><input type="checkbox" name="roundtrip"${values.roundtrip ? ' checked' : ''}> Send myself a test message</label>
<label>IMAP server <input name="imap" value="${v('imap')}" placeholder="imap.example.com:993 (default: found)"></label>
<label>Wait (s) <input name="wait" value="${v('wait')}" placeholder="120" size="4"></label>
</fieldset>
<label>Timeout (s) <input name="timeout" value="${v('timeout')}" placeholder="5" size="3"></label>
<button type="submit">Check</button>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
</form>`;
}

/** The report's body, for the end of the page. */
export function reportSection(report: Report): string {
  return renderHtml(report).replace(/^[\s\S]*?<body>/, '').replace(/<\/body>[\s\S]*$/, '');
}

/** The page split where the report goes: a long run (the round trip waits up to minutes) streams progress lines
 * between the two halves, so the browser shows something while it waits (no script needed). */
export function pageHalves(form: string): [string, string] {
  const page = renderPage(form);
  const at = page.indexOf(REPORT_SLOT);
  return [page.slice(0, at), page.slice(at + REPORT_SLOT.length)];
}

const REPORT_SLOT = '<!--report-->';

export function renderPage(form: string, report?: Report): string {
  const body = report ? reportSection(report) : REPORT_SLOT;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sendcheck</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}fieldset{margin:.5rem 0}
label{display:inline-block;margin:.2rem .8rem .2rem 0}.error{color:#b00}.progress{color:#666;margin:.1rem 0;font-size:.9em}
tr.failed td{color:#b00}tr.ok td:first-child{color:#080}tr.warning td{color:#a60}td{padding:.2rem .6rem}
.finding{border-left:4px solid #888;padding:.2rem 1rem;margin:1rem 0}.blocker{border-color:#b00}.warning{border-color:#d90}.info{border-color:#08c}
code{font-size:.8em;color:#555}</style></head><body>
<h1>sendcheck</h1><p>I can receive email, so why can't I send it? This page runs on your machine and checks from here.</p>
${form}
${body}
</body></html>
`;
}
