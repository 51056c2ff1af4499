// The verdict of a run, in three levels a user can act on: can mail leave at all (blocked), does it leave but may
// receivers junk or refuse some of it (at-risk), or does it work (ok, possibly with warnings). Renderers and the CLI's
// exit code read it from here so the words and the numbers never disagree.
import type { Finding, Hop } from '../findings/types.js';

export type Verdict = 'ok' | 'warnings' | 'at-risk' | 'blocked' | 'unrecognized';

/**
 * Hops whose blockers are predictions about other people's receivers (the sender's domain DNS, blocklists), made
 * from DNS, not from a refusal this run saw: the mail leaves, and some receivers may junk or refuse it. A blocker on
 * any other hop means the mail does not leave (resolve … envelope) or was refused (delivery).
 */
const RECEIVER_PREDICTION_HOPS: readonly Hop[] = ['domain', 'reputation'];

export function isSendingBlocker(f: Finding, command: string): boolean {
  if (f.severity !== 'blocker') return false;
  // `explain` reads what already happened to a message: a receiver's DMARC or blocklist refusal there is a refusal.
  return command === 'explain' || !RECEIVER_PREDICTION_HOPS.includes(f.hop);
}

export function verdictOf(command: string, findings: Finding[]): Verdict {
  // `explain` on a text it could not read says so; "nothing blocks sending" would claim what it never saw.
  if (command === 'explain' && findings.length && findings.every((f) => f.code === 'explain.unrecognized')) return 'unrecognized';
  if (findings.some((f) => isSendingBlocker(f, command))) return 'blocked';
  if (findings.some((f) => f.severity === 'blocker')) return 'at-risk';
  return findings.some((f) => f.severity === 'warning') ? 'warnings' : 'ok';
}

/** The verdict in words, for the terminal's last line and the HTML page's heading. */
export const VERDICT_TEXT: Record<Verdict, { short: string; line: string }> = {
  blocked: { short: 'BLOCKED', line: 'BLOCKED: sending fails' },
  'at-risk': { short: 'AT-RISK', line: 'AT RISK: mail leaves, but receivers may junk or refuse some of it' },
  warnings: { short: 'WARN', line: 'WORKS, with warnings' },
  ok: { short: 'OK', line: 'OK: nothing blocks sending' },
  unrecognized: { short: 'UNRECOGNISED', line: 'NOTHING RECOGNISED: no SMTP reply, status code, bounce or known client error in this text' },
};

/** The CLI's exit code for a verdict (README "Exit codes"): 0 ok or warnings, 1 blocked, 4 at risk, 5 (explain) nothing recognised. */
export function exitCodeOfVerdict(v: Verdict): 0 | 1 | 4 | 5 {
  return v === 'blocked' ? 1 : v === 'at-risk' ? 4 : v === 'unrecognized' ? 5 : 0;
}

/** The worst of several verdicts (domain --file, check --from-config): blocked, then at-risk, warnings, ok. */
export function worstVerdict(vs: Verdict[]): Verdict {
  const order: Verdict[] = ['blocked', 'at-risk', 'unrecognized', 'warnings', 'ok'];
  return order.find((v) => vs.includes(v)) ?? 'ok';
}
