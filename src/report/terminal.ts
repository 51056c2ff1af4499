// Terminal renderer: the path hop by hop, the root cause with evidence and fix, what works. Pure: Report → text.
import type { Finding } from '../findings/types.js';
import { describeSecurity } from '../input/target.js';
import { foundBy } from './provenance.js';
import { roundtripSummary } from './roundtrip-summary.js';
import { authWords, capabilityWords, certificateLines, serverInfo } from './server-info.js';
import { humanDates } from './when.js';
import { serverTarget, type Report } from './types.js';
import { VERDICT_TEXT } from './verdict.js';
import { visible as v } from './visible.js';

export interface TerminalOptions {
  color?: boolean;
  verbose?: boolean;
}

const ICON = { ok: '✓', failed: '✗', warning: '!', skipped: '·', 'not-tested': '-' } as const;
const SEV_ICON = { blocker: '✗', warning: '!', info: 'i' } as const;

function paint(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap('31'), green: wrap('32'), yellow: wrap('33'), dim: wrap('2'), bold: wrap('1'), cyan: wrap('36') };
}
type Paint = ReturnType<typeof paint>;

// Every value from the report goes through v() (src/report/visible.ts) before it is painted: a server's ESC or
// C1 control shows as \x1b / \x9b, and the only escape sequences written are the colours painted here.
// The code closes the title line, dim: a person reads the title, a help desk searches the code.
function finding(f: Finding, c: Paint, startedAt: string, verbose?: boolean, indent = '  '): string[] {
  const out = [`${indent}${c.bold(v(f.title))}  ${c.dim(verbose ? `[${v(f.code)}, ${f.category}, ${f.confidence}]` : `[${v(f.code)}]`)}`];
  if (f.evidence.length) {
    out.push(`${indent}Evidence:`);
    for (const e of f.evidence) out.push(`${indent}  - ${v(humanDates(e.text, startedAt))}${e.where ? c.dim(` @ ${v(e.where)}`) : ''}${e.ms !== undefined ? c.dim(` (${v(String(e.ms))} ms)`) : ''}`);
  }
  out.push(`${indent}Why: ${v(humanDates(f.explanation, startedAt))}`);
  if (f.fix.length) {
    out.push(`${indent}Fix:`);
    f.fix.forEach((s, i) => out.push(`${indent}  ${i + 1}. ${v(humanDates(s, startedAt))}`));
  }
  return out;
}

/** "a, b, c" broken into lines of at most `width` characters, between items. */
function wrapList(items: string[], width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 2 + item.length <= width) lines[last] += `, ${item}`;
    else {
      if (last >= 0) lines[last] += ',';
      lines.push(item);
    }
  }
  return lines;
}

/** The certificate, TLS and capabilities of the server that reached TLS (src/report/server-info.ts), a few lines. */
function serverSection(report: Report, c: Paint, verbose?: boolean): string[] {
  const info = serverInfo(report.facts, serverTarget(report)?.port);
  if (!info) return [];
  const rows: [string, string][] = [];
  const cert = certificateLines(info.tls, report.startedAt);
  if (cert) {
    rows.push(['certificate', `${v(cert.subject)}${cert.names !== cert.subject ? c.dim(` (names: ${v(cert.names)})`) : ''}`]);
    rows.push(['', `issued by ${v(cert.issuer)}, ${v(cert.validity)}`]);
    rows.push(['', `chain: ${v(cert.chain)}`]);
    rows.push(['', c.dim(`SHA-256 ${v(cert.fingerprint)}`)]);
  }
  rows.push(['TLS', v([info.tls.protocol, info.tls.cipher].filter(Boolean).join(', ') || 'negotiated')]);
  const ehlo = info.ehloAfter ?? info.ehloBefore;
  if (ehlo) {
    const caps = capabilityWords(ehlo);
    wrapList(caps.length ? caps : ['no extensions beyond the basics'], 96).forEach((line, i) => rows.push([i ? '' : 'offers', v(line)]));
    rows.push(['AUTH', v(authWords(info))]);
    if (verbose) rows.push(['EHLO', c.dim(v(ehlo.keywords.join(' ')))]);
  }
  const w = Math.max(...rows.map(([l]) => l.length));
  return [c.bold(`Server ${v(info.endpoint)}`), ...rows.map(([l, t]) => `  ${c.dim(l.padEnd(w))}  ${t}`), ''];
}

/** What was checked, and where the settings came from when they were not typed in. */
function headerSection(report: Report, c: Paint): string[] {
  const t = serverTarget(report);
  if (!t) return [];
  const out = [c.bold(`sendcheck ${v(report.tool.version)}: ${v(t.host)}:${v(String(t.port))} with ${describeSecurity(t.security)}${t.user ? ` as ${v(t.user)}` : ''}`)];
  const sources = foundBy(report.facts.extra, t);
  if (sources) out.push(`  ${c.dim('found by')} ${v(sources[0]!)}${sources.length > 1 ? c.dim(` (also ${v(sources.slice(1).join('; '))})`) : ''}`);
  return [...out, ''];
}

/** The path hop by hop, one line each, in path order. */
function hopsSection(report: Report, c: Paint): string[] {
  if (!report.hops.length) return [];
  const w = Math.max(...report.hops.map((h) => v(h.hop).length));
  const out = report.hops.map((h) => {
    const icon = ICON[h.status];
    const col = h.status === 'ok' ? c.green : h.status === 'failed' ? c.red : h.status === 'warning' ? c.yellow : c.dim;
    return `  ${col(icon)} ${v(h.hop).padEnd(w)}  ${v(h.summary)}${h.ms !== undefined ? c.dim(`  ${v(String(h.ms))} ms`) : ''}`;
  });
  return [...out, ''];
}

/** The root cause first and in full, then everything else the judge found. */
function findingsSection(report: Report, c: Paint, verbose?: boolean): string[] {
  const out: string[] = [];
  const rc = report.rootCause;
  if (rc) out.push(c.red(c.bold('ROOT CAUSE')), ...finding(rc, c, report.startedAt, verbose), '');
  const rest = report.findings.filter((f) => f !== rc && f.code !== rc?.code);
  if (!rest.length) return out;
  out.push(c.bold(rc ? 'Also found' : 'Findings'));
  for (const f of rest) {
    const col = f.severity === 'blocker' ? c.red : f.severity === 'warning' ? c.yellow : c.dim;
    // What was confirmed to work needs one line; problems get their evidence and fix.
    if (f.severity === 'info' && !verbose) {
      out.push(`${col(SEV_ICON[f.severity])} ${v(f.title)}${f.evidence[0] ? c.dim(`: ${v(humanDates(f.evidence[0].text, report.startedAt))}`) : ''}  ${c.dim(`[${v(f.code)}]`)}`);
      continue;
    }
    out.push(`${col(SEV_ICON[f.severity])} ${f.severity}`);
    out.push(...finding(f, c, report.startedAt, verbose));
  }
  return [...out, ''];
}

/** The round trip's few labelled lines (src/report/roundtrip-summary.ts), when one ran. */
function roundtripSection(report: Report, c: Paint): string[] {
  const rt = roundtripSummary(report.facts);
  if (!rt) return [];
  const w = Math.max(...rt.lines.map((l) => v(l.label).length));
  return [c.bold(v(rt.title)), ...rt.lines.map((l) => `  ${c.dim(v(l.label).padEnd(w))}  ${v(l.text)}`), ''];
}

/** The configurations seen working in this run, and the one to use. */
function worksSection(report: Report, c: Paint): string[] {
  if (!report.works.length) return [];
  const out = [c.bold('What works (seen in this run)')];
  for (const w of report.works) {
    out.push(`  ${c.green('✓')} ${v(w.host)} port ${v(String(w.port))} ${describeSecurity(w.security)}${w.tlsProtocol ? `, ${v(w.tlsProtocol)}` : ''}${w.authMechanisms.length ? `, AUTH ${v(w.authMechanisms.join(' '))}` : ', no AUTH offered'}${w.certificateOk ? '' : ', certificate problem'}`);
  }
  if (report.recommended) {
    const r = report.recommended;
    out.push(`  Recommended: host ${v(r.host)}, port ${r.port}, encryption ${describeSecurity(r.security)}${r.authMechanisms.length ? `, authentication on (${v(r.authMechanisms.join('/'))})` : ''}`);
  }
  return [...out, ''];
}

/** Every transcript line with its time and direction (--verbose only; secrets were redacted where written). */
function transcriptsSection(report: Report, c: Paint): string[] {
  if (!report.transcripts.length) return [];
  const out = [c.bold('Transcripts (secrets redacted)')];
  for (const tr of report.transcripts) {
    out.push(c.cyan(`=== ${v(tr.label)}`));
    for (const l of tr.lines) {
      const arrow = l.dir === 'sent' ? ' -> ' : l.dir === 'received' ? '<-  ' : ' ~~ ';
      out.push(`${c.dim(v(String(l.t)).padStart(6))} ${arrow}${v(l.text)}${l.ms !== undefined ? ` in ${l.ms} ms` : ''}`);
    }
  }
  return [...out, ''];
}

/** The verdict in one line, with what the run cost. */
function verdictLine(report: Report, c: Paint): string {
  const line = VERDICT_TEXT[report.verdict].line;
  const verdict = report.verdict === 'blocked' ? c.red(line) : report.verdict === 'ok' ? c.green(line) : c.yellow(line);
  return `${verdict}  ${c.dim(v(`(${report.durationMs} ms, ${report.stats.connections} connections, ${report.stats.dnsQueries} DNS queries)`))}`;
}

export function renderTerminal(report: Report, opts: TerminalOptions = {}): string {
  const c = paint(!!opts.color);
  const out = [
    ...headerSection(report, c),
    ...hopsSection(report, c),
    ...findingsSection(report, c, opts.verbose),
    ...serverSection(report, c, opts.verbose),
    ...roundtripSection(report, c),
    ...worksSection(report, c),
    ...(opts.verbose ? transcriptsSection(report, c) : []),
    verdictLine(report, c),
  ];
  return `${out.join('\n')}\n`;
}
