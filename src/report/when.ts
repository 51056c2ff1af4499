// Dates as a person reads them: local time plus how far from the run ("expires in 12 days", "3 hours ago").
// Relative to the run's start (report.startedAt), not to the clock at rendering, so a replayed report reads the same.

/** "2027-02-10 14:05 CET": the machine's local time zone, minutes precision (or seconds with `seconds`). */
export function localTime(iso: string, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: opts.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${opts.seconds ? `:${parts.second}` : ''} ${parts.timeZoneName}`;
}

/** "in 12 days", "3 hours ago", "now": the larger unit that gives a whole number ≥ 1. */
export function relative(iso: string, nowIso: string): string {
  const ms = Date.parse(iso) - Date.parse(nowIso);
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  // Years only from two on: "in 400 days" reads better than "in 1 year" for a certificate.
  const units: [number, string][] = [...(abs >= 2 * 365 * 86_400_000 ? [[365 * 86_400_000, 'year'] as [number, string]] : []), [86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  const [size, name] = units.find(([u]) => abs >= u) ?? [0, ''];
  if (!size) return 'now';
  const n = Math.floor(abs / size);
  const span = `${n} ${name}${n === 1 ? '' : 's'}`;
  return ms > 0 ? `in ${span}` : `${span} ago`;
}

/** "2027-02-10 14:05 CET (in 71 days)". */
export function localWithRelative(iso: string, nowIso: string): string {
  return `${localTime(iso)} (${relative(iso, nowIso)})`;
}

const ISO = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)\b/g;

/** Every ISO timestamp inside a text (a finding's evidence) as local time plus relative. */
export function humanDates(text: string, nowIso: string): string {
  return text.replace(ISO, (iso) => localWithRelative(iso, nowIso));
}
