// Finds email addresses in free text in linear time. A regex like /[\w.]+@[\w-]+(\.[\w-]+)+/ retries its whole
// local-part run at every starting position, so a long run of dots (or "5.5.5.") without an "@" is quadratic: 2 MB
// never finished. Here each "@" is expanded left and right over at most LIMITS.maxTokenChars characters, and
// neither side can cross another "@", so every character is looked at a bounded number of times.
import { LIMITS } from '../net/limits.js';

export interface FoundAddress {
  /** As written (not lower-cased). */
  address: string;
  index: number;
}

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** RFC 5322 atext plus dots: what a local part may hold in a bounce. */
const LOCAL_BROAD_EXTRA = new Set([...".!#$%&'*+/=?^`{|}~-"].map((c) => c.charCodeAt(0)));
/** The conservative local part used to pick a sender out of a log line ("from=alice@…" is not "from=alice"). */
const LOCAL_NARROW_EXTRA = new Set([...'.+-'].map((c) => c.charCodeAt(0)));
const DOT = 46;
const HYPHEN = 45;

export type LocalPart = 'broad' | 'narrow';

/** The address around the "@" at `at`, if there is one: local part, "@", at least two dot-separated labels. */
function addressAt(text: string, at: number, extra: Set<number>): FoundAddress | undefined {
  let start = at;
  const floor = Math.max(0, at - LIMITS.maxTokenChars);
  for (let c = text.charCodeAt(start - 1); start > floor && (isWord(c) || extra.has(c)); c = text.charCodeAt(--start - 1));
  if (start === at) return undefined;
  // [\w-]+(\.[\w-]+)+ as a prefix: labels until an empty one ("..", a trailing dot) or another character.
  const ceil = Math.min(text.length, at + 1 + LIMITS.maxTokenChars);
  let end = at + 1;
  let labels = 0;
  let labelLen = 0;
  let lastGood = -1;
  for (; end < ceil; end++) {
    const c = text.charCodeAt(end);
    if (isWord(c) || c === HYPHEN) {
      labelLen++;
      continue;
    }
    if (c !== DOT || labelLen === 0) break;
    labels++;
    lastGood = end;
    labelLen = 0;
  }
  if (labelLen > 0) {
    labels++;
    lastGood = end;
  }
  if (labels < 2) return undefined;
  return { address: text.slice(start, lastGood), index: start };
}

/** Addresses in order of appearance, found lazily (a caller that stops early pays only for what it read). */
export function* addressesIn(text: string, local: LocalPart = 'broad'): Generator<FoundAddress> {
  const cls = local === 'broad' ? LOCAL_BROAD_EXTRA : LOCAL_NARROW_EXTRA;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    const a = addressAt(text, at, cls);
    if (a) yield a;
  }
}

/** At most `max` addresses, in order of appearance. */
export function findAddresses(text: string, max = Infinity, local: LocalPart = 'broad'): FoundAddress[] {
  const out: FoundAddress[] = [];
  for (const a of addressesIn(text, local)) {
    if (out.length >= max) break;
    out.push(a);
  }
  return out;
}

export function firstAddress(text: string, local: LocalPart = 'broad'): string | undefined {
  return findAddresses(text, 1, local)[0]?.address;
}
