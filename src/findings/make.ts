// Builds a Finding from its catalog entry plus the evidence of one run.
import { findingDef } from './catalog.js';
import type { Confidence, Evidence, Finding, Severity } from './types.js';

export interface MakeFindingOptions {
  evidence: Evidence[];
  /** Values for {placeholders} in title, explanation and fix texts. */
  vars?: Record<string, string | number | undefined>;
  confidence?: Confidence;
  /** Override the catalog severity (e.g. a blocker that is only a warning in this context). */
  severity?: Severity;
  /** Extra fix steps put first (e.g. a concrete working configuration). */
  fixFirst?: string[];
}

function fill(text: string, vars: Record<string, string | number | undefined>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] !== undefined ? String(vars[k]) : m));
}

export function makeFinding(code: string, opts: MakeFindingOptions): Finding {
  const def = findingDef(code);
  const vars = opts.vars ?? {};
  return {
    code,
    category: def.category,
    severity: opts.severity ?? def.severity,
    hop: def.hop,
    title: fill(def.title, vars),
    evidence: opts.evidence,
    explanation: fill(def.explanation, vars),
    fix: [...(opts.fixFirst ?? []), ...def.fix.map((f) => fill(f, vars))],
    confidence: opts.confidence ?? 'certain',
  };
}
