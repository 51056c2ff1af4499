// The labelled sets of real texts (test/fixtures/explain/<set>/corpus.jsonl, provenance in each set's README): one
// reader, and the checks every set makes — each text has a source and known codes, each names an accepted root cause
// first, a text marked `open` (read wrong, with why) stays wrong until fixed, and a recipient-side failure never gives
// the sender a blocker about their own setup.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { isFindingCode } from '../../src/findings/catalog.js';
import { recordCodes } from './findings.js';

export interface LabelledText {
  id: string;
  area: string;
  /** The finding codes a support engineer would accept as the root cause. */
  accept: string[];
  source: string;
  /** What the thread or page confirmed. */
  confirmed: string;
  text: string;
  /** Only on a text still read wrong: why, and where the fix belongs. */
  open?: string;
  /** Who must act (the server set labels it). */
  who?: string;
}

export function readLabelledSet(set: string): LabelledText[] {
  return readFileSync(new URL(`../fixtures/explain/${set}/corpus.jsonl`, import.meta.url), 'utf8')
    .trim().split('\n').map((l) => JSON.parse(l) as LabelledText);
}

/** The first finding explain names for a text (recorded for the catalog's coverage). */
export function firstCode(text: string): string {
  const report = explainToReport(text);
  recordCodes(report.findings);
  return report.findings[0]?.code ?? 'nothing';
}

/** The tests every set makes; `checkEach` adds a set's own checks of one text's labels. */
export function labelledSetTests(corpus: readonly LabelledText[], o: { minTexts: number; checkEach?: (r: LabelledText) => void }): void {
  it(`has at least ${o.minTexts} labelled texts, each with a source and known finding codes`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(o.minTexts);
    expect(new Set(corpus.map((r) => r.id)).size).toBe(corpus.length);
    for (const r of corpus) {
      expect(r.source, r.id).toMatch(/^https?:\/\//);
      expect(r.text.trim(), r.id).not.toBe('');
      for (const c of r.accept) expect(isFindingCode(c), `${r.id}: ${c}`).toBe(true);
      o.checkEach?.(r);
    }
  });

  it.each(corpus.filter((r) => !r.open).map((r) => [r.id, r] as const))('%s names its root cause first', (_id, r) => {
    expect(r.accept, `${r.source}\n${r.text}`).toContain(firstCode(r.text));
  });

  it('texts marked open are still read wrong (remove the note when one is fixed)', () => {
    const fixed = corpus.filter((r) => r.open && r.accept.includes(firstCode(r.text))).map((r) => r.id);
    expect(fixed).toEqual([]);
  });
}

const RECIPIENT_CODES = new Set(['envelope.mailbox-full', 'envelope.recipient-rejected']);

/** Texts whose only accepted causes are the recipient's (a full mailbox, an unknown user): never a sender blocker. */
export function recipientSideTests(texts: readonly LabelledText[]): void {
  const recipientSide = texts.filter((r) => !r.open && r.accept.every((c) => RECIPIENT_CODES.has(c)));
  it.each(recipientSide.map((r) => [r.id, r] as const))('%s blames the recipient, not the sender setup', (_id, r) => {
    const report = explainToReport(r.text);
    expect(report.verdict).not.toBe('blocked');
    for (const f of report.findings) expect(f.severity, `${f.code}`).not.toBe('blocker');
  });
}
