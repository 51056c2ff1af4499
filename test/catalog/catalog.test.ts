// The finding catalog, its documentation and the data tables agree with each other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_DEFS, isFindingCode } from '../../src/findings/catalog.js';
import { renderFindingsDoc } from '../../src/findings/doc.js';
import { CATEGORIES, HOPS } from '../../src/findings/types.js';
import { makeFinding } from '../../src/findings/make.js';
import { rootCauseOf } from '../../src/report/build.js';

describe('finding catalog', () => {
  it('docs/findings.md is generated from the current catalog (run npm run docs:findings)', () => {
    const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderFindingsDoc(FINDING_DEFS));
  });

  it('every entry is well-formed', () => {
    const codes = new Set<string>();
    for (const d of FINDING_DEFS) {
      expect(d.code, d.code).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
      expect(codes.has(d.code), `${d.code} twice`).toBe(false);
      codes.add(d.code);
      expect(CATEGORIES).toContain(d.category);
      expect(HOPS).toContain(d.hop);
      expect(d.title.length, d.code).toBeGreaterThan(10);
      expect(d.explanation.length, d.code).toBeGreaterThan(20);
      expect(d.trigger.length, d.code).toBeGreaterThan(10);
      if (d.severity === 'blocker') expect(d.fix.length, `${d.code} is a blocker without a fix`).toBeGreaterThan(0);
    }
  });

  it('refines names existing codes at the same hop', () => {
    for (const d of FINDING_DEFS) for (const c of d.refines ?? []) {
      expect(isFindingCode(c), `${d.code} refines unknown ${c}`).toBe(true);
      expect(FINDING_DEFS.find((x) => x.code === c)?.hop, `${d.code} refines ${c} at another hop`).toBe(d.hop);
    }
  });

  it('the root cause is the most specific blocker at the first failing hop', () => {
    const f = (code: string) => makeFinding(code, { evidence: [] });
    expect(rootCauseOf([f('port.filtered'), f('port.blocked-locally'), f('auth.credentials-rejected')])?.code).toBe('port.blocked-locally');
    expect(rootCauseOf([f('auth.credentials-rejected'), f('port.filtered')])?.code).toBe('port.filtered');
    expect(rootCauseOf([f('auth.accepted')])).toBeUndefined();
  });

  it('every finding named by data/provider-errors.json exists', () => {
    const table = JSON.parse(readFileSync(new URL('../../data/provider-errors.json', import.meta.url), 'utf8')) as { entries: { id: string; finding: string; source: string }[] };
    for (const e of table.entries) {
      expect(isFindingCode(e.finding), `${e.id} → ${e.finding}`).toBe(true);
      expect(e.source, e.id).toBeTruthy();
    }
  });
});
