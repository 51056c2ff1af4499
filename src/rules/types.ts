// A rule: a pure function from the facts of one run to findings. No I/O, no clock.
import type { Facts } from '../facts/index.js';
import type { Finding } from '../findings/types.js';
import type { Target } from '../input/target.js';

export interface Rule {
  name: string;
  run(facts: Facts, target: Target): Finding[];
}

/** Keeps the rule's own type: a rule that reads facts only (domain, reputation) stays usable without a target. */
export function defineRule<R extends Rule>(rule: R): R {
  return rule;
}
