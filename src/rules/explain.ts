// explain's rule: what was read from a pasted text, a log or a bounce (facts/explain.ts) → findings, one per finding
// code, each with the words it rests on and the sendcheck command to run next. A received message's headers are
// judged by the round trip's verdict rules. Live `sendcheck explain` and --replay of its report both come here
// through the judge (rules/judge.ts).
import type { Facts } from '../facts/index.js';
import type { ExplainItem, ExplainResult } from '../facts/explain.js';
import { findingDef } from '../findings/catalog.js';
import { makeFinding } from '../findings/make.js';
import type { Evidence, Finding } from '../findings/types.js';
import { judgeReceivedHeaders } from './roundtrip.js';

/** What the text names that the command to run next can use. */
interface NextContext {
  sender?: string;
  recipient?: string;
  host?: string;
  port?: number;
}

const NO_NEXT_COMMAND = new Set(['delivery.auto-reply', 'delivery.delivered', 'explain.unrecognized']);

const isDomainCause = (code: string) => code.startsWith('dns.') || code.startsWith('reputation.')
  || ['envelope.message-rejected-spam', 'envelope.ip-blocked', 'envelope.policy-rejected', 'delivery.feedback-report'].includes(code);

/** The sendcheck command that tests the cause a finding code names, with what the text gave. */
export function nextCommand(code: string, ctx: NextContext): string | undefined {
  if (NO_NEXT_COMMAND.has(code)) return undefined;
  const hop = findingDef(code).hop;
  // Without an address in the text, a visible placeholder the user must fill ("<your address>"), never an address
  // that looks real and would run against example.com.
  const who = ctx.sender ?? '<your address>';
  if (isDomainCause(code)) return `sendcheck domain ${ctx.sender?.split('@')[1] ?? '<your domain>'}`;
  if (hop === 'delivery' || code === 'envelope.recipient-rejected')
    return ctx.recipient ? `sendcheck check ${who} --from ${who} --to ${ctx.recipient}` : `sendcheck check ${who}`;
  if (hop === 'envelope') return `sendcheck check ${who} --from ${who}${ctx.recipient ? ` --to ${ctx.recipient}` : ''}`;
  // Server-side path (resolve → connect → greeting → TLS → AUTH): check the server the text names, on its port.
  const server = ctx.host ? `sendcheck check --host ${ctx.host}${ctx.port ? ` --port ${ctx.port}` : ''}` : `sendcheck check ${who}`;
  if (hop === 'auth') return ctx.host ? `${server} --user ${who} --password-stdin` : `${server} --password-stdin`;
  return server;
}

/** Items by finding code, in one pass (the lists are appended to, never rebuilt per item: that was quadratic on a
 * long log). */
function groupByCode(items: readonly ExplainItem[]): Map<string, ExplainItem[]> {
  const byCode = new Map<string, ExplainItem[]>();
  for (const it of items) {
    const list = byCode.get(it.code);
    if (list) list.push(it);
    else byCode.set(it.code, [it]);
  }
  return byCode;
}

const RANK = { certain: 0, likely: 1, possible: 2 } as const;
const MAX_SHOWN = 20;

function evidenceOf(its: readonly ExplainItem[], cutNote: Evidence[]): Evidence[] {
  const shown = its.slice(0, MAX_SHOWN);
  return [
    ...shown.map((i) => ({
      text: i.text,
      where: [i.recipient && `recipient ${i.recipient}`, i.remoteMta && `remote MTA ${i.remoteMta}`, i.status && `status ${i.status}`].filter(Boolean).join(', ') || undefined,
    })),
    ...(its.length > shown.length ? [{ text: `… and ${its.length - shown.length} more like these (not shown)` }] : []),
    ...cutNote,
  ];
}

/** Failures about the recipient's side (its mailbox is full, it does not exist): the address a pasted text names
 * with them is the recipient's, not the sender's ("Your message to … couldn't be delivered", "<…>: Recipient address
 * rejected"). */
const RECIPIENT_SIDE = new Set(['envelope.mailbox-full', 'envelope.recipient-rejected']);

/** What the command to run next can use. From pasted text, the address it names is the recipient's, and the sender
 * is the user's own address, which the text does not give: for a recipient-side failure, and for a relay refusal
 * whose reply names the address (Postfix: "<recipient>: Relay access denied", "<recipient>: Recipient address
 * rejected"). */
function nextContext(code: string, recipient: string | undefined, its: readonly ExplainItem[], result: ExplainResult): NextContext {
  const base = { host: result.host, port: result.port };
  const named = result.sender;
  if (result.input === 'text' && !recipient && named && (RECIPIENT_SIDE.has(code) || (code === 'envelope.relay-denied' && its.some((i) => i.text.includes(named))))) return { ...base, recipient: named };
  return { ...base, sender: result.sender, recipient };
}

/** "Next: run `…`" for one finding: a command per recipient the items name (the command depends on nothing else). */
function nextStep(code: string, its: readonly ExplainItem[], result: ExplainResult): string[] | undefined {
  const recipients = new Set(its.map((i) => i.recipient));
  const commands = [...recipients].map((recipient) => nextCommand(code, nextContext(code, recipient, its, result)));
  const nexts = [...new Set(commands.filter((x): x is string => !!x))];
  if (!nexts.length) return undefined;
  return [`Next: run \`${nexts[0]}\`${nexts.length > 1 ? ` (and ${nexts.slice(1, 3).map((n) => `\`${n}\``).join(', ')})` : ''}.`];
}

/** Fix texts that point at a section only a live check prints. */
const LIVE_ONLY_POINTER = /\s*\(see "What works"[^)]*\)|[;,]\s*"What works"[^.;]*|\s*(?:see )?"What works"[^.;]*[.;]?/gi;

function findingFor(code: string, its: readonly ExplainItem[], result: ExplainResult, cutNote: Evidence[]): Finding {
  const best = its.reduce((b, i) => (RANK[i.confidence] < RANK[b] ? i.confidence : b), its[0]!.confidence);
  const f = makeFinding(code, { evidence: evidenceOf(its, cutNote), confidence: best, vars: its.find((i) => i.vars)?.vars, fixFirst: nextStep(code, its, result) });
  return { ...f, fix: f.fix.map((x) => x.replace(LIVE_ONLY_POINTER, '')) };
}

/** A guess from codes or a wrapper ("could not convert socket to TLS") goes after the causes the text names surely. */
const onlyPossible = (its: readonly ExplainItem[]) => (its.every((i) => i.confidence === 'possible') ? 1 : 0);

/** The findings of one explain reading: a received message's verdicts, or one finding per code the items read as. */
export function explainFindings(result: ExplainResult): Finding[] {
  if (result.received) return judgeReceivedHeaders(result.received, result.sender);
  const groups = groupByCode(result.items);
  const cutNote = result.cut?.length ? [{ text: `input limits: ${result.cut.join('; ')}` }] : [];
  if (!groups.size) return [makeFinding('explain.unrecognized', { evidence: [{ text: 'no SMTP reply, status code, bounce or known client error found' }, ...cutNote], confidence: 'certain' })];
  return [...groups].map((g) => [g, onlyPossible(g[1])] as const).sort((a, b) => a[1] - b[1])
    .map(([[code, its]]) => findingFor(code, its, result, cutNote));
}

/** `sendcheck explain`: reads facts.extra.explain only (a report of another command has none). */
export const explainRule = {
  name: 'explain',
  run: (facts: Facts): Finding[] => (facts.extra.explain ? explainFindings(facts.extra.explain) : []),
};
