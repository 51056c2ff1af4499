// Terminal renderer: the path hop by hop, the root cause with evidence and fix, what works. Pure: Report → text.
import type { Finding } from '../findings/types.js';
import { describeSecurity } from '../input/target.js';
import { roundtripSummary } from './roundtrip-summary.js';
import type { Report } from './types.js';
import { VERDICT_TEXT } from './verdict.js';

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

function finding(f: Finding, c: ReturnType<typeof paint>, indent = '  '): string[] {
  const out = [`${indent}${c.bold(f.title)}  ${c.dim(`[${f.code}, ${f.category}, ${f.confidence}]`)}`];
  if (f.evidence.length) {
    out.push(`${indent}Evidence:`);
    for (const e of f.evidence) out.push(`${indent}  - ${e.text}${e.where ? c.dim(` @ ${e.where}`) : ''}${e.ms !== undefined ? c.dim(` (${e.ms} ms)`) : ''}`);
  }
  out.push(`${indent}Why: ${f.explanation}`);
  if (f.fix.length) {
    out.push(`${indent}Fix:`);
    f.fix.forEach((s, i) => out.push(`${indent}  ${i + 1}. ${s}`));
  }
  return out;
}

/** Strips terminal control sequences a hostile server could have put into a reply we echo. */
function safe(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '?');
}

export function renderTerminal(report: Report, opts: TerminalOptions = {}): string {
  const c = paint(!!opts.color);
  const out: string[] = [];
  const t = report.target;
  if (t) {
    out.push(c.bold(`sendcheck ${report.tool.version}: ${t.host}:${t.port} with ${describeSecurity(t.security)}${t.user ? ` as ${t.user}` : ''}`));
    out.push('');
  }
  if (report.hops.length) {
    const w = Math.max(...report.hops.map((h) => h.hop.length));
    for (const h of report.hops) {
      const icon = ICON[h.status];
      const col = h.status === 'ok' ? c.green : h.status === 'failed' ? c.red : h.status === 'warning' ? c.yellow : c.dim;
      out.push(`  ${col(icon)} ${h.hop.padEnd(w)}  ${h.summary}${h.ms !== undefined ? c.dim(`  ${h.ms} ms`) : ''}`);
    }
    out.push('');
  }
  const rc = report.rootCause;
  if (rc) {
    out.push(c.red(c.bold('ROOT CAUSE')));
    out.push(...finding(rc, c));
    out.push('');
  }
  const rest = report.findings.filter((f) => f !== rc && f.code !== rc?.code);
  if (rest.length) {
    out.push(c.bold(rc ? 'Also found' : 'Findings'));
    for (const f of rest) {
      const col = f.severity === 'blocker' ? c.red : f.severity === 'warning' ? c.yellow : c.dim;
      // What was confirmed to work needs one line; problems get their evidence and fix.
      if (f.severity === 'info' && !opts.verbose) {
        out.push(`${col(SEV_ICON[f.severity])} ${f.title}  ${c.dim(`[${f.code}]`)}${f.evidence[0] ? c.dim(`: ${f.evidence[0].text}`) : ''}`);
        continue;
      }
      out.push(`${col(SEV_ICON[f.severity])} ${f.severity}`);
      out.push(...finding(f, c));
    }
    out.push('');
  }
  const rt = roundtripSummary(report.facts);
  if (rt) {
    out.push(c.bold(rt.title));
    const w = Math.max(...rt.lines.map((l) => l.label.length));
    for (const l of rt.lines) out.push(`  ${c.dim(l.label.padEnd(w))}  ${l.text}`);
    out.push('');
  }
  if (report.works.length) {
    out.push(c.bold('What works (seen in this run)'));
    for (const w of report.works) {
      out.push(`  ${c.green('✓')} ${w.host} port ${w.port} ${describeSecurity(w.security)}${w.tlsProtocol ? `, ${w.tlsProtocol}` : ''}${w.authMechanisms.length ? `, AUTH ${w.authMechanisms.join(' ')}` : ', no AUTH offered'}${w.certificateOk ? '' : ', certificate problem'}`);
    }
    if (report.recommended) {
      const r = report.recommended;
      out.push(`  Recommended: host ${r.host}, port ${r.port}, encryption ${describeSecurity(r.security)}${r.authMechanisms.length ? `, authentication on (${r.authMechanisms.join('/')})` : ''}`);
    }
    out.push('');
  }
  if (opts.verbose && report.transcripts.length) {
    out.push(c.bold('Transcripts (secrets redacted)'));
    for (const tr of report.transcripts) {
      out.push(c.cyan(`=== ${tr.label}`));
      for (const l of tr.lines) {
        const arrow = l.dir === 'sent' ? ' -> ' : l.dir === 'received' ? '<-  ' : ' ~~ ';
        out.push(`${c.dim(String(l.t).padStart(6))} ${arrow}${safe(l.text)}`);
      }
    }
    out.push('');
  }
  const line = VERDICT_TEXT[report.verdict].line;
  const verdict = report.verdict === 'blocked' ? c.red(line) : report.verdict === 'ok' ? c.green(line) : c.yellow(line);
  out.push(`${verdict}  ${c.dim(`(${report.durationMs} ms, ${report.stats.connections} connections, ${report.stats.dnsQueries} DNS queries)`)}`);
  return safe(out.join('\n')).replace(/\?\[(\d+)m/g, opts.color ? '\x1b[$1m' : '') + '\n';
}
