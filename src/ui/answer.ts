// The answer the web page shows for one report, answer first: the verdict and the root cause in plain words, the
// fix in the names mail programs use ("Port", "Connection security: SSL/TLS"), a copyable card of the settings
// that worked, then the evidence, the round trip and the conversation folded below, and sendcheck's own flags only
// inside "For the command line". Pure: Report → HTML text; every outside value is escaped and its control
// characters made visible.
import type { SecurityMode } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import { escapeHtml } from '../report/html.js';
import { roundtripSummary } from '../report/roundtrip-summary.js';
import { serverTarget, type Report, type TargetSummary } from '../report/types.js';
import type { WorkingConfig } from '../report/types.js';
import { fill, STRINGS, type Strings } from './strings.js';

/** Escapes for HTML, with control and bidi characters shown as escapes (the one sanitizer, report/visible.ts). */
export const esc = escapeHtml;

/** A fix step that speaks in sendcheck's flags or commands belongs in "For the command line". */
export function isCliStep(step: string): boolean {
  return /(^|[\s(`])--[a-z]/.test(step) || /`?sendcheck (check|domain|explain|roundtrip)\b/.test(step);
}

export function authName(mechanisms: string[], s: Strings = STRINGS): string {
  const m = mechanisms.map((x) => x.toUpperCase());
  if (m.includes('PLAIN') || m.includes('LOGIN')) return s.answer.authNames.normal!;
  if (m.includes('CRAM-MD5')) return s.answer.authNames.encrypted!;
  if (m.includes('XOAUTH2') || m.includes('OAUTHBEARER')) return s.answer.authNames.oauth!;
  return s.answer.authNames.none!;
}

const securityName = (mode: SecurityMode, s: Strings) => s.answer.securityNames[mode] ?? mode;

/** The settings card's lines, in a mail program's words: label → value. */
export function settingsLines(w: WorkingConfig, t: TargetSummary | undefined, s: Strings = STRINGS): [string, string][] {
  const lines: [string, string][] = [
    [s.answer.serverName, w.host],
    [s.answer.port, String(w.port)],
    [s.answer.security, securityName(w.security, s)],
    [s.answer.auth, authName(w.authMechanisms, s)],
  ];
  if (t?.user) lines.push([s.answer.user, t.user]);
  return lines;
}

/** What differs between what was checked and what works, as settings to change. */
function changes(report: Report, s: Strings): [string, string][] {
  const t = serverTarget(report);
  const w = report.recommended;
  if (!t || !w || !report.rootCause) return [];
  const out: [string, string][] = [];
  if (w.host.toLowerCase() !== t.host.toLowerCase()) out.push([s.answer.serverName, w.host]);
  if (w.port !== t.port) out.push([s.answer.port, String(w.port)]);
  if (w.security !== t.security) out.push([s.answer.security, securityName(w.security, s)]);
  return out;
}

function dl(lines: [string, string][], id?: string): string {
  return `<dl${id ? ` id="${id}"` : ''} class="settings">${lines.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

function findingBlock(f: Finding, s: Strings): string {
  const ev = f.evidence.map((e) => `<li>${esc(e.text)}${e.where ? ` <small>${esc(s.answer.where)} ${esc(e.where)}</small>` : ''}${e.ms !== undefined ? ` <small>${e.ms} ms</small>` : ''}</li>`).join('');
  const steps = f.fix.filter((x) => !isCliStep(x));
  return `<article class="finding ${f.severity}"><h4><span class="sev">${esc(s.answer.severity[f.severity] ?? f.severity)}:</span> ${esc(f.title)}</h4>
<p>${esc(f.explanation)}</p>${steps.length ? `<ol>${steps.map((x) => `<li>${esc(x)}</li>`).join('')}</ol>` : ''}${ev ? `<ul class="evidence">${ev}</ul>` : ''}</article>`;
}

function shellWord(v: string): string {
  return /^[\w@.:/+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** What a report is about: the checked server, or the audited domain. */
export function subjectOf(report: Report): string | undefined {
  const t = report.target;
  return t.kind === 'server' ? t.host : t.kind === 'domain' ? t.domain : undefined;
}

/** The same check as a command: the password never appears (the command asks for it). */
export function cliCommand(report: Report): string | undefined {
  const t = serverTarget(report);
  const subject = subjectOf(report);
  if (report.command === 'domain' && subject) return `sendcheck domain ${shellWord(subject)}`;
  if (report.command !== 'check' || !t) return undefined;
  // The server as this run used it (found or given), so the command tests the same thing.
  const args = ['sendcheck', 'check'];
  if (t.origin === 'address' && t.user) args.push(shellWord(t.user));
  args.push('--host', shellWord(t.host), '--port', String(t.port), '--security', t.security);
  if (t.user && t.origin !== 'address') args.push('--user', shellWord(t.user));
  if (report.facts.roundtrip) args.push('--roundtrip');
  return args.join(' ');
}

function verdictText(report: Report, s: Strings): string {
  const table = report.command === 'domain' ? s.answer.verdictDomain : report.command === 'explain' ? s.answer.verdictExplain : s.answer.verdict;
  return table[report.verdict] ?? report.verdict;
}

function checkedLine(report: Report, s: Strings): string {
  const t = serverTarget(report);
  const subject = subjectOf(report);
  if (!subject) return '';
  const server = t && fill(s.answer.checkedServer, { host: t.host, port: t.port, security: securityName(t.security, s) });
  const what = report.command === 'check' && server ? (t.user ? fill(s.answer.checkedUser, { server, user: t.user }) : server) : subject;
  return `<p class="checked">${esc(fill(s.answer.checked, { what }))}</p>`;
}

export function renderAnswer(report: Report, s: Strings = STRINGS): string {
  const root = report.rootCause;
  const rootSteps = root ? root.fix.filter((x) => !isCliStep(x)) : [];
  const change = changes(report, s);
  const others = report.findings.filter((f) => f !== root && f.severity !== 'info');
  const infos = report.findings.filter((f) => f !== root && f.severity === 'info');
  const cause = root
    ? `<h3>${esc(s.answer.rootCause)}</h3><p class="cause-title">${esc(root.title)}</p><p>${esc(root.explanation)}</p>`
    : report.command === 'check' ? `<p class="cause-title">${esc(s.answer.noProblem)}</p>`
      : report.command === 'domain' ? `<p class="cause-title">${esc(s.answer.noProblemDomain)}</p>` : '';
  const fix = root && (change.length || rootSteps.length)
    ? `<h3>${esc(s.answer.fix)}</h3>${change.length ? `<p>${esc(s.answer.change)}:</p>${dl(change)}` : ''}${rootSteps.length ? `<ol class="steps">${rootSteps.map((x) => `<li>${esc(x)}</li>`).join('')}</ol>` : ''}`
    : '';
  const card = report.command === 'check'
    ? `<section class="card" aria-labelledby="settings-title"><h3 id="settings-title">${esc(s.answer.settings)}</h3>${report.recommended
      ? `<p class="note">${esc(root?.hop === 'auth' ? s.answer.settingsNoteLogin : s.answer.settingsNote)}</p>${dl(settingsLines(report.recommended, serverTarget(report), s), 'settings-card')}<button type="button" class="secondary" data-copy="settings-card">${esc(s.answer.copy)}</button><span class="copied" role="status"></span>`
      : `<p>${esc(s.answer.noWorking)}</p>`}</section>`
    : '';
  const rt = roundtripSummary(report.facts);
  const roundtrip = rt ? `<details><summary>${esc(s.answer.roundtrip)}</summary><h4>${esc(rt.title)}</h4>${dl(rt.lines.map((l) => [l.label, l.text]))}</details>` : '';
  const hops = report.hops.length
    ? `<table class="hops"><caption>${esc(s.answer.steps)}</caption><tbody>${report.hops.map((h) => `<tr class="${h.status}"><th scope="row">${esc(h.hop)}</th><td>${esc(s.path.states[h.status] ?? h.status)}</td><td>${esc(h.summary)}</td></tr>`).join('')}</tbody></table>`
    : '';
  const evidence = `<details><summary>${esc(s.answer.evidence)}</summary>${root ? findingBlock(root, s) : ''}${[...others, ...infos].map((f) => findingBlock(f, s)).join('')}${hops}</details>`;
  const transcript = report.transcripts.length
    ? `<details><summary>${esc(s.answer.transcript)}</summary>${report.transcripts.map((t) => `<h4>${esc(t.label)}</h4><pre>${t.lines.map((l) => esc(`${l.dir === 'sent' ? '→' : l.dir === 'received' ? '←' : '·'} ${l.text}`)).join('\n')}</pre>`).join('')}</details>`
    : '';
  const cmd = cliCommand(report);
  const cliSteps = report.findings.flatMap((f) => f.fix.filter(isCliStep));
  const cli = `<details><summary>${esc(s.answer.cli)}</summary>${cmd ? `<p>${esc(s.answer.cliCommand)}</p><pre>${esc(cmd)}</pre>` : ''}${cliSteps.length ? `<p>${esc(s.answer.cliSteps)}</p><ul>${[...new Set(cliSteps)].map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}<ul class="codes">${report.findings.map((f) => `<li><code>${esc(f.code)}</code> ${esc(f.title)}</li>`).join('')}</ul></details>`;
  const alsoFound = others.length ? `<p class="also">${esc(fill(s.answer.otherFindings, { count: others.length }))}: ${others.map((f) => esc(f.title)).join('; ')}</p>` : '';
  return `<section class="answer verdict-${esc(report.verdict)}" aria-labelledby="answer-title">
<h2 id="answer-title" tabindex="-1">${esc(verdictText(report, s))}</h2>
${checkedLine(report, s)}
<div class="cause">${cause}</div>
${fix ? `<div class="fix">${fix}</div>` : ''}
${card}
${alsoFound}
${roundtrip}
${evidence}
${transcript}
${cli}
<div class="downloads"><h3>${esc(s.answer.download)}</h3><button type="button" class="secondary" data-download="html">${esc(s.answer.downloadHtml)}</button> <button type="button" class="secondary" data-download="json">${esc(s.answer.downloadJson)}</button></div>
</section>`;
}
