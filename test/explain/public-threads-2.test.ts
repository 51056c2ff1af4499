// A second set of real error texts from public threads and provider pages (test/fixtures/explain/public-threads-2/,
// provenance in its README), none of them in the first corpus: each text's first finding must be the root cause a
// support engineer would name. Texts still read wrong carry an `open` note saying why; they must stay wrong until
// fixed (then the note goes), so the list of open texts cannot silently grow or go stale. A recipient-side failure
// (full mailbox, unknown user) must never read as the sender's setup being broken.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { isFindingCode } from '../../src/findings/catalog.js';
import { recordCodes } from '../helpers/findings.js';

interface PublicText { id: string; area: string; accept: string[]; source: string; confirmed: string; text: string; open?: string }

const CORPUS: PublicText[] = readFileSync(new URL('../fixtures/explain/public-threads-2/corpus.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as PublicText);

const firstCode = (text: string): string => {
  const report = explainToReport(text);
  recordCodes(report.findings);
  return report.findings[0]?.code ?? 'nothing';
};

describe('public threads, second set', () => {
  it('has at least 60 labelled texts, each with a source and known finding codes', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((r) => r.id)).size).toBe(CORPUS.length);
    for (const r of CORPUS) {
      expect(r.source, r.id).toMatch(/^https?:\/\//);
      expect(r.text.trim(), r.id).not.toBe('');
      for (const c of r.accept) expect(isFindingCode(c), `${r.id}: ${c}`).toBe(true);
    }
  });

  it.each(CORPUS.filter((r) => !r.open).map((r) => [r.id, r] as const))('%s names its root cause first', (_id, r) => {
    expect(r.accept, `${r.source}\n${r.text}`).toContain(firstCode(r.text));
  });

  it('texts marked open are still read wrong (remove the note when one is fixed)', () => {
    const fixed = CORPUS.filter((r) => r.open && r.accept.includes(firstCode(r.text))).map((r) => r.id);
    expect(fixed).toEqual([]);
  });

  const recipientSide = CORPUS.filter((r) => !r.open && r.accept.every((c) => c === 'envelope.mailbox-full' || c === 'envelope.recipient-rejected'));
  it.each(recipientSide.map((r) => [r.id, r] as const))('%s blames the recipient, not the sender setup', (_id, r) => {
    const report = explainToReport(r.text);
    expect(report.verdict).not.toBe('blocked');
    for (const f of report.findings) expect(f.severity, `${f.code}`).not.toBe('blocker');
  });
});
