// A third set of real error texts from public threads (test/fixtures/explain/public-threads-3-clients/, provenance in
// its README), all from the CLIENT side: mail libraries (nodemailer, smtplib/Django, PHPMailer/Symfony/SwiftMailer,
// JavaMail, .NET/MailKit, Go, Ruby), Mutt/NeoMutt and mail clients' dialogs (Outlook, Thunderbird, iOS Mail). None
// is in the earlier corpora. Each text's first finding must be the root cause a support engineer would name; texts
// still read wrong carry an `open` note saying why and must stay wrong until fixed (then the note goes).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { isFindingCode } from '../../src/findings/catalog.js';
import { recordCodes } from '../helpers/findings.js';

interface PublicText { id: string; area: string; accept: string[]; source: string; confirmed: string; text: string; open?: string }

const CORPUS: PublicText[] = readFileSync(new URL('../fixtures/explain/public-threads-3-clients/corpus.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as PublicText);
const EARLIER = ['public-threads-2', 'real-texts', 'public-threads-3-servers'].flatMap((d) => readFileSync(new URL(`../fixtures/explain/${d}/corpus.jsonl`, import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as { source: string; text: string }));

const firstCode = (text: string): string => {
  const report = explainToReport(text);
  recordCodes(report.findings);
  return report.findings[0]?.code ?? 'nothing';
};

describe('public threads, third set (client and library texts)', () => {
  it('has at least 50 labelled texts, each with a source and known finding codes, none from the other sets', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((r) => r.id)).size).toBe(CORPUS.length);
    const earlierSources = new Set(EARLIER.map((r) => r.source));
    const earlierTexts = new Set(EARLIER.map((r) => r.text.trim()));
    for (const r of CORPUS) {
      expect(r.source, r.id).toMatch(/^https?:\/\//);
      expect(r.text.trim(), r.id).not.toBe('');
      expect(earlierSources.has(r.source), `${r.id}: source already in another set`).toBe(false);
      expect(earlierTexts.has(r.text.trim()), `${r.id}: text already in another set`).toBe(false);
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
});
