// "did you mean check?": the closest known word to a mistyped command or flag (edit distance, or a unique prefix).

/** Edit distance where swapping two neighbours ("chekc") is one edit, like a substitution (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `typed`, or undefined when none is close enough to be a typo of it. */
export function closest(typed: string, known: string[]): string | undefined {
  const t = typed.toLowerCase();
  if (!t) return undefined;
  const prefixed = known.filter((k) => k.startsWith(t));
  if (prefixed.length === 1 && t.length >= 3) return prefixed[0];
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(t, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(1, Math.floor(Math.min(t.length, best?.length ?? 0) / 3)) ? best : undefined;
}
