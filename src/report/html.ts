// HTML renderer: a self-contained report page (no scripts, no external assets). Pure: Report → text.
import { describeSecurity } from '../input/target.js';
import { roundtripSummary } from './roundtrip-summary.js';
import { serverTarget, type Report } from './types.js';
import type { Verdict } from './verdict.js';
import { visible } from './visible.js';

/** HTML-escaped, with control and bidi characters shown as escapes (src/report/visible.ts): a page never carries a
 * raw control byte from a server. */
export function escapeHtml(s: string): string {
  return visible(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const HEADINGS: Record<Verdict, string> = {
  blocked: 'sending is blocked',
  'at-risk': 'mail leaves, but receivers may junk or refuse some of it',
  warnings: 'works, with warnings',
  ok: 'nothing blocks sending',
  unrecognized: 'nothing in this text was recognised',
};

export function renderHtml(report: Report): string {
  const e = escapeHtml;
  const t = serverTarget(report);
  const hops = report.hops
    .map((h) => `<tr class="${h.status}"><td>${{ ok: '✓', failed: '✗', warning: '!', skipped: '·', 'not-tested': '–' }[h.status]}</td><td>${e(h.hop)}</td><td>${e(h.summary)}</td><td>${e(String(h.ms ?? ''))}</td></tr>`)
    .join('');
  const findings = report.findings
    .map(
      (f) => `<section class="finding ${f.severity}"><h3>${e(f.title)} <code>${e(f.code)}</code></h3>
<ul>${f.evidence.map((ev) => `<li>${e(ev.text)}${ev.where ? ` <small>@ ${e(ev.where)}</small>` : ''}${ev.ms !== undefined ? ` <small>${e(String(ev.ms))} ms</small>` : ''}</li>`).join('')}</ul>
<p>${e(f.explanation)}</p>${f.fix.length ? `<ol>${f.fix.map((s) => `<li>${e(s)}</li>`).join('')}</ol>` : ''}</section>`,
    )
    .join('\n');
  const works = report.works.map((w) => `<li>${e(w.host)} port ${e(String(w.port))} ${e(describeSecurity(w.security))}${w.authMechanisms.length ? `, AUTH ${e(w.authMechanisms.join(' '))}` : ''}</li>`).join('');
  const rt = roundtripSummary(report.facts);
  const roundtrip = rt ? `<h2>${e(rt.title)}</h2><table>${rt.lines.map((l) => `<tr><td>${e(l.label)}</td><td>${e(l.text)}</td></tr>`).join('')}</table>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sendcheck report${t ? `: ${e(t.host)}` : ''}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
tr.failed td{color:#b00}tr.ok td:first-child{color:#080}tr.warning td{color:#a60}td{padding:.2rem .6rem}
.finding{border-left:4px solid #888;padding:.2rem 1rem;margin:1rem 0}.blocker{border-color:#b00}.warning{border-color:#d90}.info{border-color:#08c}
code{font-size:.8em;color:#555}</style></head><body>
<h1>sendcheck: ${HEADINGS[report.verdict]}</h1>
${t ? `<p>${e(t.host)}:${e(String(t.port))}, ${e(describeSecurity(t.security))}${t.user ? `, user ${e(t.user)}` : ''}</p>` : ''}
${hops ? `<table>${hops}</table>` : ''}
${report.rootCause ? `<h2>Root cause</h2>` : ''}
${findings}
${roundtrip}
${works ? `<h2>What works</h2><ul>${works}</ul>` : ''}
<p><small>sendcheck ${e(report.tool.version)}, report schema ${e(report.schemaVersion)}, ${e(String(report.durationMs))} ms</small></p>
</body></html>
`;
}
