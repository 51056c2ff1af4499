// Builds a Finding from its catalog entry plus the evidence of one run.
import { capText, LIMITS } from '../net/limits.js';
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
  /** The catalog's fix steps replaced by ones built from what this run saw (the catalog's stay generic for explain). */
  fix?: string[];
}

/** Words for a value the run did not measure (explain reads a text, not a server): a finding never shows "{port}". */
const UNKNOWN_VALUE: Record<string, string> = {
  port: 'the port', ports: 'the mail ports', host: 'the server', address: 'the server', domain: 'the domain',
  security: 'the configured encryption', validTo: 'its expiry date', certNames: 'other host names', suggestedHost: 'the name the certificate is issued for',
  offered: 'other mechanisms', allowed: 'not among them', reference: 'an independent reference server', issuer: 'an untrusted issuer',
  product: 'Security software', disable: 'turn off its mail scanning', how: 'refused or dropped', provider: 'the provider',
};

function unknownValue(key: string): string {
  return UNKNOWN_VALUE[key] ?? `the ${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

function fill(text: string, vars: Record<string, string | number | undefined>): string {
  return text
    // "keep port {port}" without a port: "keep the port", not "keep port the port".
    .replace(/\b(outgoing )?(port|host|domain|selector|address) \{(\w+)\}/g, (m, adj: string | undefined, noun: string, k: string) => (vars[k] !== undefined ? m : `the ${adj ?? ''}${noun}`))
    .replace(/\{(\w+)\}/g, (_m, k: string) => (vars[k] !== undefined ? String(vars[k]) : unknownValue(k)));
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
    // Evidence quotes the outside world (a server's 1 MB error message): cut, saying how much.
    evidence: opts.evidence.map((e) => (e.text.length > LIMITS.maxEvidenceChars ? { ...e, text: capText(e.text) } : e)),
    explanation: fill(def.explanation, vars),
    fix: [...(opts.fixFirst ?? []), ...(opts.fix ?? def.fix.map((f) => fill(f, vars)))],
    confidence: opts.confidence ?? 'certain',
  };
}
