// Real texts that people pasted in public threads (test/fixtures/explain/real-texts/corpus.jsonl, provenance in its
// README): each labelled with the cause its thread confirmed, decided before sendcheck ran on it. The first finding
// of `explain`'s report (what the user reads first) must be one the label accepts. Prints the accuracy per cause
// area and the misses; fails below the floors, which only go up.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { isFindingCode } from '../../src/findings/catalog.js';
import { recordCodes } from '../helpers/findings.js';

interface RealText { id: string; area: string; accept: string[]; source: string; confirmed: string; text: string }

const CORPUS: RealText[] = readFileSync(new URL('../fixtures/explain/real-texts/corpus.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as RealText);

/** Overall top-1 accuracy in percent, and per area: raise as the reading improves. */
const FLOOR_OVERALL = 94;
const FLOOR_PER_AREA: Record<string, number> = { authentication: 95, 'client-config': 95, 'spam-filters': 95, 'server-settings': 90, network: 85, 'security-software': 70 };

describe('real texts from public threads', () => {
  it('has at least 200 labelled texts, each with a source and known finding codes', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    for (const r of CORPUS) {
      expect(r.source, r.id).toMatch(/^https?:\/\//);
      expect(r.text.trim(), r.id).not.toBe('');
      for (const c of r.accept) expect(isFindingCode(c), `${r.id}: ${c}`).toBe(true);
    }
  });

  it('names an accepted cause first, per area at or above the floor', () => {
    const per = new Map<string, { ok: number; n: number }>();
    const misses: string[] = [];
    let ok = 0;
    for (const r of CORPUS) {
      const report = explainToReport(r.text);
      recordCodes(report.findings);
      const got = report.findings[0]?.code ?? 'nothing';
      const p = per.get(r.area) ?? { ok: 0, n: 0 };
      per.set(r.area, p);
      p.n++;
      if (r.accept.includes(got)) { p.ok++; ok++; } else misses.push(`${r.id}\t${r.area}\twant ${r.accept.join('|')}\tgot ${got}\t${r.text.replace(/\s+/g, ' ').slice(0, 140)}`);
    }
    const pct = (a: number, n: number) => (100 * a) / n;
    const lines = ['area               top-1/total     %'];
    for (const [area, p] of [...per].sort((a, b) => b[1].n - a[1].n)) lines.push(`${area.padEnd(18)} ${String(p.ok).padStart(4)}/${String(p.n).padEnd(5)} ${pct(p.ok, p.n).toFixed(1).padStart(5)}`);
    const overall = pct(ok, CORPUS.length);
    lines.push(`overall            ${String(ok).padStart(4)}/${String(CORPUS.length).padEnd(5)} ${overall.toFixed(1).padStart(5)} (floor ${FLOOR_OVERALL}%)`);
    console.log(lines.join('\n'));
    mkdirSync(new URL('../../.lab/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../../.lab/real-texts-misses.tsv', import.meta.url), misses.join('\n'));
    expect(overall).toBeGreaterThanOrEqual(FLOOR_OVERALL);
    for (const [area, floor] of Object.entries(FLOOR_PER_AREA)) expect(pct(per.get(area)!.ok, per.get(area)!.n), area).toBeGreaterThanOrEqual(floor);
  });
});
