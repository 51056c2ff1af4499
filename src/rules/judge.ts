// The judge: the one place findings are made from facts. Live runs (engine, domain audit, explain) and --replay call
// the same functions with the same rule lists, so a saved report re-judged gives the live verdict and findings.
import type { Facts } from '../facts/index.js';
import { makeFinding } from '../findings/make.js';
import type { Finding } from '../findings/types.js';
import type { Target } from '../input/target.js';
import { dnsRule } from './dns.js';
import { explainRule } from './explain.js';
import { RULES } from './index.js';
import { probeErrorRule } from './probe-errors.js';
import { reputationRule } from './reputation.js';

interface AnyRule<T> {
  name: string;
  run(facts: Facts, target: T): Finding[];
}

/** Runs each rule; a rule that throws is a bug, reported as internal.probe-error instead of losing the others. */
export function runRules<T>(rules: readonly AnyRule<T>[], facts: Facts, target: T): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule.run(facts, target));
    } catch (e) {
      out.push(makeFinding('internal.probe-error', { evidence: [{ text: `rule ${rule.name} failed: ${(e as Error).message}` }] }));
    }
  }
  return out;
}

/** `sendcheck check`: every rule over the facts of one run and its target. */
export function judgeCheck(facts: Facts, target: Target): Finding[] {
  return runRules(RULES, facts, target);
}

/** The rules of `sendcheck domain`: they read facts.extra.domain only (no SMTP target). */
const DOMAIN_RULES: readonly AnyRule<undefined>[] = [dnsRule, reputationRule, probeErrorRule];

export function judgeDomainReport(facts: Facts): Finding[] {
  return runRules(DOMAIN_RULES, facts, undefined);
}

/** The rule of `sendcheck explain`: it reads facts.extra.explain only (what was read from the text; no target). */
const EXPLAIN_RULES: readonly AnyRule<undefined>[] = [explainRule];

export function judgeExplainReport(facts: Facts): Finding[] {
  return runRules(EXPLAIN_RULES, facts, undefined);
}
