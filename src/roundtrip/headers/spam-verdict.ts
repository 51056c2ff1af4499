// The spam filters' verdicts as written into the received copy: SpamAssassin (and amavis, and Exim, which run it),
// Rspamd, Microsoft 365 / Exchange Online Protection, Gmail, and the generic X-Spam / X-Spam-Verdict flags.
// Each filter's headers merge into one verdict. Where a header appears more than once (a relay's filter and the
// receiver's), the topmost one is read: it was added last, nearest to the mailbox.
// Sources for the meanings: SpamAssassin's X-Spam-Status template ("Yes, score=… required=… tests=… autolearn=…
// version=…"); Rspamd's milter_headers module (src/plugins/lua/milter_headers.lua: "default: True" only when the
// action is reject, spam = any action but "no action" and "greylist"); Microsoft's "Anti-spam message headers"
// (microsoft-365-docs, anti-spam-message-headers.md: SFV, CAT, SCL; SCL 5-6 spam, 7-9 high confidence spam).
import type { SpamVerdict } from '../../facts/roundtrip.js';
import { squeeze, type HeaderField } from './header-block.js';

interface Seen {
  field: HeaderField;
  index: number;
}

const SA_KEYS = ['x-spam-status', 'x-spam-flag', 'x-spam-score', 'x-spam-level', 'x-spam-checker-version'];
const RSPAMD_KEYS = ['x-spamd-result', 'x-rspamd-score', 'x-rspamd-action', 'x-spamd-bar', 'x-rspamd-server', 'x-rspamd-queue-id'];
const MS_KEYS = ['x-forefront-antispam-report', 'x-ms-exchange-organization-scl', 'x-microsoft-antispam', 'x-microsoft-antispam-mailbox-delivery'];
// Gmail / Google Workspace: "X-Gm-Spam: 0" and "X-Gm-Phishy: 0" (1 when classified), seen next to Google's
// X-CLOUD-SEC-AV-* headers in public list archives (e.g. lore.kernel.org, lists.nongnu.org).
const GMAIL_KEYS = ['x-gm-spam', 'x-gm-phishy'];
// Exim running SpamAssassin with the variables in headers, underscore spelling (lists.gnu.org / nongnu.org):
// X-Spam_score, X-Spam_score_int (×10), X-Spam_bar, X-Spam_report "(-2.1 / 5.0 requ) NAME=score, …", X-Spam_action.
const EXIM_SA_KEYS = ['x-spam_score', 'x-spam_score_int', 'x-spam_bar', 'x-spam_report', 'x-spam_action'];
// Documented SFV values: SPM/SKS/SKB mark spam, BLK a blocked sender; the rest skipped filtering or passed it.
const MS_SPAM_SFV = new Set(['SPM', 'SKS', 'SKB', 'BLK']);
const MS_CLEAN_SFV = new Set(['NSPM', 'SFE', 'SKA', 'SKI', 'SKN', 'SKQ']);
const MS_SPAM_CAT = new Set(['SPM', 'HSPM', 'BULK', 'PHSH', 'HPHSH', 'HPHISH', 'SPOOF']);
const MS_DETAIL_KEYS = ['SCL', 'SFV', 'CAT', 'SRV', 'IPV', 'DIR', 'BCL', 'DEST'];

/** The verdicts found in a header block, topmost filter first. Never throws. */
export function readSpamVerdicts(fields: readonly HeaderField[]): SpamVerdict[] {
  const first = new Map<string, Seen>();
  fields.forEach((field, index) => {
    if (!first.has(field.key)) first.set(field.key, { field, index });
  });
  const pick = (keys: readonly string[]) => keys.map((k) => first.get(k)).filter((s): s is Seen => !!s);

  const rspamd = pick(RSPAMD_KEYS);
  const saStyle = pick(SA_KEYS);
  const status = first.get('x-spam-status')?.field.value ?? '';
  // Rspamd can write SpamAssassin's header names too (X-Spam-Level, X-Spam-Score, X-Spam-Flag, "X-Spam-Status:
  // No, score=…"); without SpamAssassin's own marks (its checker header, tests=/required=/version=) they are Rspamd's.
  const saMarked = first.has('x-spam-checker-version') || /\b(?:tests|required|version|hits)=/i.test(status);
  const saBelongsToRspamd = rspamd.length > 0 && !saMarked;
  const xSpam = first.get('x-spam');

  const found: Array<{ at: number; verdict: SpamVerdict }> = [];
  const add = (seen: readonly Seen[], verdict: Omit<SpamVerdict, 'header'>) => {
    const ordered = [...seen].sort((a, b) => a.index - b.index);
    const header = ordered.map((s) => s.field.name).join(', ');
    const { filter, ...rest } = verdict;
    found.push({ at: ordered[0]!.index, verdict: { filter, header, ...rest } });
  };

  if (saStyle.length > 0 && !saBelongsToRspamd) add(saStyle, spamAssassin(first));
  if (rspamd.length > 0) {
    const seen = [...rspamd, ...(saBelongsToRspamd ? saStyle : []), ...(xSpam ? [xSpam] : [])];
    add(seen, rspamdVerdict(first, saBelongsToRspamd));
  }
  const ms = pick(MS_KEYS);
  if (ms.length > 0) add(ms, microsoft(first));
  const gm = pick(GMAIL_KEYS);
  if (gm.length > 0) add(gm, gmail(first));
  const exim = pick(EXIM_SA_KEYS);
  if (exim.length > 0) add(exim, eximSpamAssassin(first));
  if (xSpam && rspamd.length === 0) add([xSpam], generic(xSpam.field.value));
  const verdictHeader = first.get('x-spam-verdict');
  if (verdictHeader) add([verdictHeader], generic(verdictHeader.field.value));

  return found.sort((a, b) => a.at - b.at).map((f) => definedOnly(f.verdict));
}

function spamAssassin(first: ReadonlyMap<string, Seen>): Omit<SpamVerdict, 'header'> {
  const status = parseSpamStatus(first.get('x-spam-status')?.field.value);
  const flag = yesNo(first.get('x-spam-flag')?.field.value);
  const level = levelOf(first.get('x-spam-level')?.field.value);
  const score = status.score ?? numberOf(first.get('x-spam-score')?.field.value) ?? (level || undefined);
  const threshold = status.threshold;
  const checker = first.get('x-spam-checker-version')?.field.value;
  return {
    filter: 'spamassassin',
    isSpam: flag ?? status.flag ?? (score !== undefined && threshold !== undefined ? score >= threshold : undefined),
    score,
    threshold,
    tests: status.tests,
    testScores: status.testScores,
    detail: checker ? squeeze(checker) : undefined,
    attributes: attributesOf({ autolearn: status.autolearn, version: status.version, level: level?.toString() }),
  };
}

function rspamdVerdict(first: ReadonlyMap<string, Seen>, withSaStyle: boolean): Omit<SpamVerdict, 'header'> {
  const result = parseSpamdResult(first.get('x-spamd-result')?.field.value);
  const action = first.get('x-rspamd-action')?.field.value;
  const actionNorm = action ? squeeze(action).toLowerCase() : undefined;
  const sa = withSaStyle ? parseSpamStatus(first.get('x-spam-status')?.field.value) : undefined;
  const saFlag = withSaStyle ? yesNo(first.get('x-spam-flag')?.field.value) : undefined;
  const xSpam = yesNo(first.get('x-spam')?.field.value);
  let isSpam: boolean | undefined;
  if (actionNorm) isSpam = actionNorm !== 'no action' && actionNorm !== 'greylist';
  else isSpam = xSpam ?? saFlag ?? sa?.flag ?? (result.rejected ? true : undefined);
  const score = result.score
    ?? numberOf(first.get('x-rspamd-score')?.field.value)
    ?? (withSaStyle ? numberOf(first.get('x-spam-score')?.field.value) ?? sa?.score ?? (levelOf(first.get('x-spam-level')?.field.value) || undefined) : undefined);
  return {
    filter: 'rspamd',
    isSpam,
    score,
    threshold: result.threshold,
    tests: result.tests,
    testScores: result.testScores,
    detail: actionNorm ? `action: ${actionNorm}` : undefined,
    attributes: attributesOf({ action: actionNorm, default: result.verdictWord }),
  };
}

function microsoft(first: ReadonlyMap<string, Seen>): Omit<SpamVerdict, 'header'> {
  const report = colonPairs(first.get('x-forefront-antispam-report')?.field.value);
  const antispam = colonPairs(first.get('x-microsoft-antispam')?.field.value);
  // Outlook.com mailboxes: "dest:I" (Inbox) or "dest:J" (Junk Email) is where the message was filed.
  const delivery = colonPairs(first.get('x-microsoft-antispam-mailbox-delivery')?.field.value).filter(([k]) => k === 'DEST' || k === 'OFR');
  const attrs: Record<string, string> = {};
  for (const [k, v] of [...report, ...antispam, ...delivery]) {
    if (k !== 'SFS' && k !== 'RULEID' && !(k in attrs)) attrs[k] = v;
  }
  const sclText = attrs.SCL ?? first.get('x-ms-exchange-organization-scl')?.field.value.trim();
  if (sclText !== undefined && attrs.SCL === undefined) attrs.SCL = sclText;
  const scl = sclText !== undefined && /^-?\d+$/.test(sclText) ? Number(sclText) : undefined;
  const sfv = attrs.SFV?.toUpperCase();
  const cat = attrs.CAT?.toUpperCase();
  let isSpam: boolean | undefined;
  if ((scl !== undefined && scl >= 5) || (sfv && MS_SPAM_SFV.has(sfv)) || (cat && MS_SPAM_CAT.has(cat))) isSpam = true;
  else if ((sfv && MS_CLEAN_SFV.has(sfv)) || (scl !== undefined && scl < 5)) isSpam = false;
  else if (attrs.DEST?.toUpperCase() === 'J') isSpam = true;
  else if (attrs.DEST?.toUpperCase() === 'I') isSpam = false;
  const detail = MS_DETAIL_KEYS.filter((k) => attrs[k]).map((k) => `${k}:${attrs[k]}`).join(' ');
  return {
    filter: 'microsoft',
    isSpam,
    score: scl,
    threshold: scl !== undefined ? 5 : undefined,
    tests: [],
    detail: detail || undefined,
    attributes: Object.keys(attrs).length > 0 ? attrs : undefined,
  };
}

function gmail(first: ReadonlyMap<string, Seen>): Omit<SpamVerdict, 'header'> {
  const spam = first.get('x-gm-spam')?.field.value.trim();
  const phishy = first.get('x-gm-phishy')?.field.value.trim();
  const flags = [spam, phishy].filter((v): v is string => v !== undefined);
  return {
    filter: 'gmail',
    isSpam: flags.some((v) => v === '1') ? true : flags.every((v) => v === '0') ? false : undefined,
    tests: [...(spam === '1' ? ['SPAM'] : []), ...(phishy === '1' ? ['PHISHY'] : [])],
    detail: [spam !== undefined ? `X-Gm-Spam: ${spam}` : '', phishy !== undefined ? `X-Gm-Phishy: ${phishy}` : ''].filter(Boolean).join(', ') || undefined,
    attributes: attributesOf({ spam, phishy }),
  };
}

function eximSpamAssassin(first: ReadonlyMap<string, Seen>): Omit<SpamVerdict, 'header'> {
  const report = squeeze(first.get('x-spam_report')?.field.value ?? '');
  const head = /^\(\s*(-?\d+(?:\.\d+)?)\s*\/\s*(-?\d+(?:\.\d+)?)\s*requ?\)/i.exec(report);
  const scoreInt = numberOf(first.get('x-spam_score_int')?.field.value);
  const score = numberOf(first.get('x-spam_score')?.field.value) ?? (head ? Number(head[1]) : scoreInt !== undefined ? scoreInt / 10 : undefined);
  const threshold = head ? Number(head[2]) : undefined;
  const testScores: Record<string, number> = {};
  for (const m of report.slice(head?.[0].length ?? 0).matchAll(/\b([A-Z][A-Z0-9_]+)=(-?\d+(?:\.\d+)?)/g)) testScores[m[1]!] = Number(m[2]);
  const action = first.get('x-spam_action')?.field.value ? squeeze(first.get('x-spam_action')!.field.value).toLowerCase() : undefined;
  const autolearn = /\bautolearn=(\w+)/.exec(report)?.[1];
  return {
    filter: 'spamassassin',
    isSpam: score !== undefined && threshold !== undefined ? score >= threshold : action ? action !== 'no action' : undefined,
    score,
    threshold,
    tests: Object.keys(testScores),
    testScores: Object.keys(testScores).length ? testScores : undefined,
    detail: action ? `action: ${action}` : undefined,
    attributes: attributesOf({ action, autolearn }),
  };
}

function generic(value: string): Omit<SpamVerdict, 'header'> {
  return { filter: 'generic', isSpam: yesNo(value), tests: [], detail: squeeze(value) || undefined };
}

interface SpamStatus {
  flag?: boolean;
  score?: number;
  threshold?: number;
  tests: string[];
  testScores?: Record<string, number>;
  autolearn?: string;
  version?: string;
}

/** "Yes, score=7.3 required=5.0 tests=A,B autolearn=no version=3.4.6"; amavis writes "tests=[A=1.2, B=-0.1]". */
function parseSpamStatus(value: string | undefined): SpamStatus {
  if (value === undefined) return { tests: [] };
  const s = squeeze(value);
  const flag = /^(yes|no)\b/i.exec(s)?.[1];
  const out: SpamStatus = {
    flag: flag ? flag.toLowerCase() === 'yes' : undefined,
    score: numberOf(/\b(?:score|hits)=(\S+)/i.exec(s)?.[1]),
    threshold: numberOf(/\brequired=(\S+)/i.exec(s)?.[1]),
    tests: [],
    autolearn: /\bautolearn=([^\s,]+)/i.exec(s)?.[1],
    version: /\bversion=([^\s,]+)/i.exec(s)?.[1],
  };
  const at = s.search(/\btests=/i);
  if (at < 0) return out;
  const words = s.slice(at + 'tests='.length).split(' ');
  const taken: string[] = [];
  if (words[0]?.startsWith('[')) {
    for (const w of words) {
      taken.push(w);
      if (w.includes(']')) break;
    }
  } else {
    for (const w of words) {
      if (taken.length > 0 && /^[A-Za-z_]+=/.test(w)) break;
      taken.push(w);
    }
  }
  const scores: Array<[string, number]> = [];
  for (const entry of taken.join('').replace(/[[\]]/g, '').split(',')) {
    const [name, score] = entry.split('=');
    if (!name || name.toLowerCase() === 'none') continue;
    out.tests.push(name);
    const n = numberOf(score);
    if (n !== undefined) scores.push([name, n]);
  }
  if (scores.length > 0) out.testScores = Object.fromEntries(scores);
  return out;
}

interface SpamdResult {
  rejected?: boolean;
  verdictWord?: string;
  score?: number;
  threshold?: number;
  tests: string[];
  testScores?: Record<string, number>;
}

/** "default: False [3.40 / 15.00]; SYMBOL(1.00)[options]; …" (older Rspamd: symbols on lines, no ';'). */
function parseSpamdResult(value: string | undefined): SpamdResult {
  if (value === undefined) return { tests: [] };
  const s = squeeze(value);
  const head = /^[\w-]+:\s*(True|False)\s*\[\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)\s*\]/i.exec(s);
  const out: SpamdResult = { tests: [] };
  let rest = s;
  if (head) {
    out.verdictWord = head[1];
    out.rejected = head[1]!.toLowerCase() === 'true';
    out.score = numberOf(head[2]);
    out.threshold = numberOf(head[3]);
    rest = s.slice(head[0].length);
  }
  // Symbol options ([…], possibly nested) can hold anything: only text outside brackets names symbols.
  let outside = '';
  let depth = 0;
  for (const ch of rest) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += ch;
  }
  const scores: Array<[string, number]> = [];
  for (const m of outside.matchAll(/(?:^|[;\s])([A-Za-z0-9_]+)\((-?\d+(?:\.\d+)?)\)/g)) {
    out.tests.push(m[1]!);
    scores.push([m[1]!, Number(m[2])]);
  }
  if (scores.length > 0) out.testScores = Object.fromEntries(scores);
  return out;
}

/** Microsoft's "KEY:VALUE;KEY:VALUE;" lists, keys uppercased, the first of a repeated key kept. */
function colonPairs(value: string | undefined): Array<[string, string]> {
  if (!value) return [];
  const out: Array<[string, string]> = [];
  for (const part of value.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon).trim().toUpperCase();
    if (/^[A-Z][A-Z0-9-]*$/.test(key) && !out.some(([k]) => k === key)) out.push([key, squeeze(part.slice(colon + 1))]);
  }
  return out;
}

function yesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = squeeze(value).toLowerCase();
  if (/^(?:no|false|ham|clean|not[ -]?spam|not detected|0)\b/.test(v)) return false;
  if (/^(?:yes|true|spam|junk|1)\b/.test(v)) return true;
  return undefined;
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** X-Spam-Level: one star per whole point of score (SpamAssassin, Rspamd); empty below 1, so 0 says "under 1". */
function levelOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const stars = value.trim();
  return /^\*+$/.test(stars) ? stars.length : stars === '' ? 0 : undefined;
}

function attributesOf(values: Record<string, string | undefined>): Record<string, string> | undefined {
  const entries = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function definedOnly(v: SpamVerdict): SpamVerdict {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as unknown as SpamVerdict;
}
