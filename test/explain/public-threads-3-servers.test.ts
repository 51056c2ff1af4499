// A third set of real texts from public threads and provider pages (test/fixtures/explain/public-threads-3-servers/,
// provenance in its README): the server's side only — provider replies, bounces, MTA log lines — none of them in
// the first two corpora. Each text's first finding must be the root cause a deliverability engineer would name;
// `who` says who must act. Texts still read wrong carry an `open` note and must stay wrong until fixed (then the
// note goes). A recipient-side failure must never give the sender a blocker about their own setup.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { isFindingCode } from '../../src/findings/catalog.js';
import { recordCodes } from '../helpers/findings.js';

type Actor = 'sender-settings' | 'sender-admin' | 'sender-provider' | 'recipient';
interface ServerText { id: string; area: string; accept: string[]; who: Actor; source: string; confirmed: string; text: string; open?: string }

const CORPUS: ServerText[] = readFileSync(new URL('../fixtures/explain/public-threads-3-servers/corpus.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as ServerText);

const ACTORS: readonly Actor[] = ['sender-settings', 'sender-admin', 'sender-provider', 'recipient'];
const RECIPIENT_CODES = new Set(['envelope.mailbox-full', 'envelope.recipient-rejected']);

const firstCode = (text: string): string => {
  const report = explainToReport(text);
  recordCodes(report.findings);
  return report.findings[0]?.code ?? 'nothing';
};

describe('public threads, third set (server replies and bounces)', () => {
  it('has at least 50 labelled texts, each with a source, an actor and known finding codes', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((r) => r.id)).size).toBe(CORPUS.length);
    for (const r of CORPUS) {
      expect(r.source, r.id).toMatch(/^https?:\/\//);
      expect(r.text.trim(), r.id).not.toBe('');
      expect(ACTORS, r.id).toContain(r.who);
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

  const recipientSide = CORPUS.filter((r) => !r.open && r.who === 'recipient' && r.accept.every((c) => RECIPIENT_CODES.has(c)));
  it.each(recipientSide.map((r) => [r.id, r] as const))('%s blames the recipient, not the sender setup', (_id, r) => {
    const report = explainToReport(r.text);
    expect(report.verdict).not.toBe('blocked');
    for (const f of report.findings) expect(f.severity, `${f.code}`).not.toBe('blocker');
  });
});
