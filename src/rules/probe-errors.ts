// Probes that crashed (a bug in sendcheck; the probe graph, probes/graph.ts, records each throw, core probe or not):
// each becomes internal.probe-error, so a crash is judged like any other fact and a replayed report shows it again.
import { makeFinding } from '../findings/make.js';
import { defineRule } from './types.js';

export const probeErrorRule = defineRule({
  name: 'probe-errors',
  run(facts) {
    return (facts.probeErrors ?? []).map((e) => makeFinding('internal.probe-error', { evidence: [{ text: `${e.probe} failed: ${e.message}` }] }));
  },
});
