// What explain (and every command) prints is filled in: every catalog finding, made without the run's values,
// rendered by each command's terminal, JSON and HTML renderer, leaves no "{placeholder}"; explain never points at a
// "What works" section it does not print, and its "Next: run …" never holds an address that looks real.
import { describe, expect, it } from 'vitest';
import { explainToReport, findingsOf, type ExplainItem } from '../../src/explain/explain.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { FINDING_DEFS } from '../../src/findings/catalog.js';
import { makeFinding } from '../../src/findings/make.js';
import { buildReport } from '../../src/report/build.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { Report, ReportTarget } from '../../src/report/types.js';
import { recordCodes } from '../helpers/findings.js';

const PLACEHOLDER = /\{[a-z][A-Za-z]*\}/;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** The three renderings, as the text a reader sees (JSON string values; HTML without its style and script). */
function rendered(report: Report): Record<string, string> {
  return {
    terminal: renderTerminal(report, { color: false }),
    json: strings(JSON.parse(renderJson(report))).join('\n'),
    html: renderHtml(report).replace(/<(style|script)[\s\S]*?<\/\1>/g, ''),
  };
}

// Every report names what it is about (the contract): a server, a domain or the explained text.
const TARGETS: Record<Report['command'], { target?: Target; subject?: ReportTarget }> = {
  check: { target: buildTarget({ host: 'smtp.example.test' }) as Target },
  domain: { subject: { kind: 'domain', domain: 'example.test', ips: [], selectors: [], resolvers: [], timeoutMs: 5000 } },
  explain: { subject: { kind: 'explain', source: 'text', chars: 8 } },
};

const reportOf = (command: Report['command'], findings: ReturnType<typeof makeFinding>[]) =>
  buildReport({ command, ...TARGETS[command], facts: { connects: [], speaks: [], extra: {} }, findings, transcripts: [], startedAt: new Date(0), durationMs: 1, dnsQueries: 0 });

describe('rendered findings are filled in', () => {
  it('every catalog finding, made without values, renders with no {placeholder} in any command', () => {
    const left: string[] = [];
    for (const def of FINDING_DEFS) {
      const f = makeFinding(def.code, { evidence: [{ text: 'evidence' }] });
      for (const command of ['check', 'domain', 'explain'] as const) {
        for (const [renderer, text] of Object.entries(rendered(reportOf(command, [f])))) {
          const m = PLACEHOLDER.exec(text);
          if (m) left.push(`${def.code} via ${command}/${renderer}: ${m[0]}`);
        }
      }
    }
    expect(left).toEqual([]);
  });

  it('explain renders every catalog finding without a "What works" pointer, a placeholder or a made-up address', () => {
    const problems: string[] = [];
    for (const def of FINDING_DEFS) {
      const item: ExplainItem = { kind: 'client-error', code: def.code, confidence: 'likely', text: 'evidence', next: undefined };
      const findings = findingsOf({ input: 'text', items: [item] });
      recordCodes(findings);
      for (const [renderer, text] of Object.entries(rendered(reportOf('explain', findings)))) {
        if (/What works/.test(text)) problems.push(`${def.code} via ${renderer}: "What works"`);
        if (PLACEHOLDER.test(text)) problems.push(`${def.code} via ${renderer}: ${PLACEHOLDER.exec(text)![0]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('"Next: run" names the server or address from the text, else a visible placeholder, never an example address', () => {
    const withHost = explainToReport('smtp.example.org:587 said: 535 5.7.8 Error: authentication failed');
    expect(withHost.findings[0]!.fix[0]).toMatch(/^Next: run `sendcheck check --host smtp\.example\.org --port 587 --user <your address> --password-stdin`/);
    const bare = explainToReport('550 5.7.26 Unauthenticated email is not accepted due to domain\'s DMARC policy');
    expect(bare.findings[0]!.fix[0]).toBe('Next: run `sendcheck domain <your domain>`.');
    for (const r of [withHost, bare]) expect(renderTerminal(r, { color: false })).not.toMatch(/your-domain\.example|you@example\.com/);
  });

  it('"Next: run" for a recipient-side failure or a relay refusal naming the address takes it as the recipient, not the sender', () => {
    const full = explainToReport('550 5.2.2 The email account that you tried to reach is over quota: friend@recipient.example');
    expect(full.findings[0]!.code).toBe('envelope.mailbox-full');
    expect(full.findings[0]!.fix[0]).toBe('Next: run `sendcheck check <your address> --from <your address> --to friend@recipient.example`.');
    const unknown = explainToReport('Your message to nobody@recipient.example couldn\'t be delivered.\n\nnobody wasn\'t found at recipient.example.\nOffice 365');
    expect(unknown.findings[0]!.fix[0]).toBe('Next: run `sendcheck check <your address> --from <your address> --to nobody@recipient.example`.');
    const relay = explainToReport('<< 554 5.7.1 <friend@recipient.example>: Relay access denied');
    expect(relay.findings[0]!.fix[0]).toBe('Next: run `sendcheck check <your address> --from <your address> --to friend@recipient.example`.');
  });
});
