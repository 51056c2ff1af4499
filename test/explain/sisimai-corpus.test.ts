// Conformance: explain every labelled message of the sisimai corpus (maildir/bsd, 629 real bounces) and count, per
// sisimai reason, how often our finding is one the documented map (src/explain/sisimai-map.ts) accepts. Prints
// the table; fails below the floor. Nothing is special-cased by file name: each file goes through explainText().
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertText, explainText, findingsOf, type ExplainResult } from '../../src/explain/explain.js';
import { SISIMAI_REASON_MAP } from '../../src/explain/sisimai-map.js';
import { corpusUrl } from '../helpers/corpora.js';
import { recordCodes } from '../helpers/findings.js';

const ROOT = corpusUrl('sisimai-bounces');
/** Overall agreement over the scored reasons of maildir/bsd, in percent: raise as the classifier improves. */
const FLOOR_PERCENT = 90;

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trim().split('\n').slice(1)) {
    const cells: string[] = [];
    let cur = '';
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (ch === ',' && !q) { cells.push(cur); cur = ''; }
      else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

describe.each([
  { DIR: 'maildir/bsd/', floor: FLOOR_PERCENT, what: 'the canonical set (LF)' },
  { DIR: 'maildir/dos/', floor: 87, what: 'CRLF copies and variants' },
  { DIR: 'maildir/mac/', floor: 87, what: 'CR-only copies and variants' },
])('sisimai corpus $DIR ($what)', ({ DIR, floor }) => {
  it('agreement per reason is at or above the floor', () => {
    const rows = csvRows(readFileSync(new URL('labels.csv', ROOT), 'utf8'));
    const results = new Map<string, ExplainResult | Error>();
    const per = new Map<string, { agree: number; total: number; got: Map<string, number> }>();
    const misses: string[] = [];
    for (const [file, idx, kind, reason] of rows as [string, string, string, string][]) {
      if (!file.startsWith(DIR) || kind === 'unlabelled') continue;
      let res = results.get(file);
      if (!res) {
        try {
          res = explainText(assertText(readFileSync(new URL(file, ROOT)), file));
          recordCodes(findingsOf(res));
        } catch (e) {
          res = e as Error;
        }
        results.set(file, res);
      }
      const items = res instanceof Error ? [] : res.items;
      const item = items[Number(idx) - 1] ?? items[items.length - 1];
      const map = SISIMAI_REASON_MAP[reason];
      expect(map, `reason ${reason} is in the map`).toBeDefined();
      const p = per.get(reason) ?? { agree: 0, total: 0, got: new Map() };
      per.set(reason, p);
      p.total++;
      const got = item?.code ?? (res instanceof Error ? `error: ${res.message}` : 'nothing');
      p.got.set(got, (p.got.get(got) ?? 0) + 1);
      if (item && map!.accept.includes(item.code)) p.agree++;
      else misses.push(`${reason}\t${got}\t${file}\t${item?.text.slice(0, 160) ?? ''}`);
    }
    let agree = 0;
    let total = 0;
    const lines = ['reason            agree/total    %   scored  most frequent other finding'];
    for (const [reason, p] of [...per].sort((a, b) => b[1].total - a[1].total)) {
      const scored = SISIMAI_REASON_MAP[reason]!.scored;
      if (scored) { agree += p.agree; total += p.total; }
      const other = [...p.got].filter(([c]) => !SISIMAI_REASON_MAP[reason]!.accept.includes(c)).sort((a, b) => b[1] - a[1])[0];
      lines.push(`${reason.padEnd(17)} ${String(p.agree).padStart(4)}/${String(p.total).padEnd(4)} ${String(Math.round((100 * p.agree) / p.total)).padStart(4)}%  ${scored ? 'yes' : 'no '}    ${other ? `${other[0]} ×${other[1]}` : ''}`);
    }
    const pct = (100 * agree) / total;
    lines.push(`overall ${DIR} (scored reasons): ${agree}/${total} = ${pct.toFixed(1)}% (floor ${floor}%)`);
    console.log(lines.join('\n'));
    mkdirSync(new URL('../../.lab/', import.meta.url), { recursive: true });
    writeFileSync(new URL(`../../.lab/sisimai-misses-${DIR.split('/')[1]}.tsv`, import.meta.url), misses.join('\n'));
    expect(pct).toBeGreaterThanOrEqual(floor);
  });
});

/** Agreement over the reply strings of smtp-reply-strings/ (text only, no message around it). */
const STRINGS = corpusUrl('smtp-reply-strings');
const STRING_FLOORS = { examples: 85, diagnostics: 88 };

function scoreStrings(rows: { text: string; reason: string; status?: string }[], label: string): number {
  let agree = 0;
  let total = 0;
  const per = new Map<string, [number, number]>();
  for (const r of rows) {
    const map = SISIMAI_REASON_MAP[r.reason];
    if (!map?.scored) continue;
    let code = 'nothing';
    try {
      const res = explainText(r.status && !r.text.includes(r.status) ? `${r.text} (status ${r.status})` : r.text);
      recordCodes(findingsOf(res));
      code = res.items[0]?.code ?? 'nothing';
    } catch (e) {
      code = `error: ${(e as Error).message}`;
    }
    const p = per.get(r.reason) ?? [0, 0];
    per.set(r.reason, p);
    p[1]++;
    total++;
    if (map.accept.includes(code)) { p[0]++; agree++; }
  }
  const pct = (100 * agree) / total;
  console.log(`${label}: ${agree}/${total} = ${pct.toFixed(1)}%  (${[...per].map(([k, [a, n]]) => `${k} ${a}/${n}`).join(', ')})`);
  return pct;
}

describe('smtp-reply-strings', () => {
  it('sisimai reason examples and bounce diagnostic codes, as pasted text', () => {
    const ex = csvRows(readFileSync(new URL('sisimai-reason-examples.csv', STRINGS), 'utf8')).map(([reason, text]) => ({ reason: reason!, text: text! }));
    const diag = csvRows(readFileSync(new URL('sisimai-bounce-diagnostic-codes.csv', STRINGS), 'utf8'))
      .map(([, , d, reason, status]) => ({ reason: reason!, text: d!.replace(/^[\w-]+;\s*/, ''), status }))
      .filter((r) => r.text.trim());
    expect(scoreStrings(ex, 'reason examples')).toBeGreaterThanOrEqual(STRING_FLOORS.examples);
    expect(scoreStrings(diag, 'bounce diagnostic codes')).toBeGreaterThanOrEqual(STRING_FLOORS.diagnostics);
  });
});

describe('sisimai maildir/not (messages that are not bounces)', () => {
  it('explain finds nothing that blocks sending in them', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('maildir/not/', ROOT);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const res = explainText(assertText(readFileSync(new URL(f, dir)), f));
      const findings = findingsOf(res);
      recordCodes(findings);
      expect(findings.filter((x) => x.severity === 'blocker').map((x) => x.code), f).toEqual([]);
    }
  });
});
