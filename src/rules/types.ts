// A rule: a pure function from the facts of one run to findings. No I/O, no clock.
import type { Facts } from '../facts/types.js';
import type { Finding } from '../findings/types.js';
import type { Target } from '../input/target.js';

export interface Rule {
  name: string;
  run(facts: Facts, target: Target): Finding[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
