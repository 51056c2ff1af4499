// Dates as a person reads them: local time plus how far from the run ("expires in 12 days", "3 hours ago").
// Relative to the run's start (report.startedAt), not to the clock at rendering, so a replayed report reads the same.

/** "2027-02-10 14:05 CET": the machine's local time zone, minutes precision (or seconds with `seconds`). */
// One formatter per time zone: building an Intl.DateTimeFormat costs milliseconds, formatting with one microseconds.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  let f = formatters.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formatters.set(timeZone ?? '', f);
  }
  return f;
}

// Servers, containers and CI run in UTC: there, the digits come from Date alone. Intl's first formatter loads the
// time-zone data (~20 ms of a ~200 ms check), worth it only where a zone name like "CET" needs it.
const processInUtc = /\(Coordinated Universal Time\)$/.test(new Date(0).toString()) && /\(Coordinated Universal Time\)$/.test(new Date(15_768_000_000).toString());
const two = (n: number) => String(n).padStart(2, '0');

export function localTime(iso: string, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (opts.timeZone === 'UTC' || (!opts.timeZone && processInUtc)) {
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${opts.seconds ? `:${two(d.getUTCSeconds())}` : ''} UTC`;
  }
  const parts = Object.fromEntries(
    formatter(opts.timeZone)
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
