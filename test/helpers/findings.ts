// Assertions on reports that also record which finding codes tests produced: scripts/check-finding-coverage.mjs
// fails the suite when a catalog code was never produced by any test. Every check, domain or explain report a test
// reads through codesOf()/rootCodeOf() is also saved as JSON and replayed (--replay): the replay must give the live
// verdict and findings, so any finding made outside the judge (rules/judge.ts) fails the test that produced it. The
// replay validates the document against schema/report.schema.json first.
import { appendFileSync, mkdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { replayReport } from '../../src/replay.js';
import type { Report } from '../../src/report/types.js';

const dir = new URL('../../.lab/codes-seen/', import.meta.url);

export function recordCodes(findings: Finding[]): void {
  if (!findings.length) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(new URL(`${process.pid}.txt`, dir), findings.map((f) => `${f.code}\n`).join(''));
}

/** What a replay must reproduce: the verdict, the root cause and every finding as the user reads it. */
export function judgement(r: Report) {
  return {
    verdict: r.verdict,
    rootCause: r.rootCause?.code,
    findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, confidence: f.confidence, title: f.title, evidence: f.evidence, fix: f.fix })),
    recommended: r.recommended,
  };
}

/** Saves the report as `--json` would and replays it: same judgement, or the test that made the report fails. */
export function expectReplayEqualsLive(report: Report): void {
  const again = judgement(replayReport(JSON.parse(JSON.stringify(report))));
  const live = judgement(report);
  // The live report was scrubbed of the run's secrets (a test password can be a plain word, e.g. "wrong"); the replay
  // has none to scrub, so "[secret]" in the live report stands for whatever the replay says there.
  const liveJson = JSON.stringify(live);
  if (liveJson.includes('[secret]')) {
    const pattern = new RegExp(`^${liveJson.split('[secret]').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.{1,200}?')}$`);
    if (pattern.test(JSON.stringify(again))) return;
  }
  expect(again, 'replay of the saved report differs from the live run').toEqual(live);
}

/** Records every finding of the report, checks its replay, then returns the codes for assertions. */
export function codesOf(report: Report): string[] {
  recordCodes(report.findings);
  expectReplayEqualsLive(report);
  return report.findings.map((f) => f.code);
}

export function rootCodeOf(report: Report): string | undefined {
  recordCodes(report.findings);
  expectReplayEqualsLive(report);
  return report.rootCause?.code;
}
