/**
 * Wall-clock arithmetic in an IANA time zone without a date library: offsets come from
 * `Intl.DateTimeFormat` (Node ships full ICU), everything else is plain UTC arithmetic.
 *
 * Vocabulary: an *instant* is a `Date` (a point on the UTC time line); a *wall time* is what a clock
 * on the wall of the organisation reads (`LocalDateTime`), which may map to zero instants (the hour
 * skipped when daylight-saving time starts) or to two (the hour repeated when it ends).
 */
import type { Lang } from '../i18n/index.js';

/** A wall-clock reading: month is 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError on an unknown time zone, which is what callers should see.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertValidDate(date: Date, what: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what}: invalid date`);
}

/** True when `timeZone` is an IANA zone (or alias) that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time that `date` reads in `timeZone`. */
export function toLocalDateTime(date: Date, timeZone: string): LocalDateTime {
  assertValidDate(date, 'toLocalDateTime');
  const fields: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(date)) fields[part.type] = part.value;
  const num = (key: string): number => Number(fields[key] ?? 'NaN');
  const yearOfEra = num('year');
  const year = fields['era'] === 'BC' ? 1 - yearOfEra : yearOfEra;
  return {
    year,
    month: num('month'),
    day: num('day'),
    hour: num('hour'),
    minute: num('minute'),
    second: num('second'),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** The UTC instant whose UTC fields equal `local` (years 0–99 are not shifted to 19xx). */
function utcOfFields(local: LocalDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(local.year, local.month - 1, local.day);
  d.setUTCHours(local.hour, local.minute, local.second, local.millisecond);
  return d.getTime();
}

/** UTC offset of `timeZone` at `date`, in milliseconds (Paris in summer: +7 200 000). */
export function timeZoneOffsetMs(date: Date, timeZone: string): number {
  return utcOfFields(toLocalDateTime(date, timeZone)) - date.getTime();
}

function sameWallTime(a: LocalDateTime, b: LocalDateTime): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}

/**
 * Every instant at which `timeZone` reads `local`, in ascending order: one normally, two in the
 * repeated hour when daylight-saving time ends, none in the hour skipped when it starts.
 * (Offsets are sampled a day either side, so two transitions less than a day apart are not seen.)
 */
export function instantsForLocal(local: LocalDateTime, timeZone: string): Date[] {
  const asUtc = utcOfFields(local);
  const offsets = new Set(
    [asUtc - DAY_MS, asUtc, asUtc + DAY_MS].map((t) => timeZoneOffsetMs(new Date(t), timeZone)),
  );
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = asUtc - offset;
    if (sameWallTime(toLocalDateTime(new Date(candidate), timeZone), local)) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b).map((t) => new Date(t));
}

/**
 * The instant at which `timeZone` reads `local`, resolved like Temporal's `'compatible'`
 * disambiguation:
 * - ambiguous wall time (the repeated hour when DST ends): the **earlier** instant, i.e. the first
 *   time the clock shows it (still on summer time) — a deadline is never pushed later by a change;
 * - non-existent wall time (the hour skipped when DST starts): moved **forward by the length of the
 *   gap** (02:30 on the last Sunday of March in Paris becomes 03:30 summer time), i.e. the instant
 *   the wall time would denote with the offset in force just before the change.
 */
export function fromLocalDateTime(local: LocalDateTime, timeZone: string): Date {
  const [first] = instantsForLocal(local, timeZone);
  if (first) return first;
  const asUtc = utcOfFields(local);
  const offsetBefore = timeZoneOffsetMs(new Date(asUtc - DAY_MS), timeZone);
  return new Date(asUtc - offsetBefore);
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0); // day 0 of the next month = last day of this one
  return d.getUTCDate();
}

/**
 * `date` plus `months` calendar months in `timeZone`, keeping the local wall-clock time (so a
 * deadline at 15:00 in October falls at 15:00 in November, although the UTC offset changed).
 * - The day of month is **clamped** to the end of a shorter month: 31 January + 1 month is 28 February
 *   (29 in a leap year) at the same wall time; 31 March + 1 month is 30 April.
 * - If the resulting wall time does not exist or is ambiguous, it is resolved as in
 *   `fromLocalDateTime` (skipped hour: moved forward by the gap; repeated hour: the earlier instant).
 * `months` must be an integer; negative values go back in time.
 */
export function addCalendarMonthsLocal(date: Date, months: number, timeZone: string): Date {
  assertValidDate(date, 'addCalendarMonthsLocal');
  if (!Number.isInteger(months)) throw new RangeError(`addCalendarMonthsLocal: ${months} is not an integer`);
  const local = toLocalDateTime(date, timeZone);
  const monthIndex = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(local.day, daysInMonth(year, month));
  return fromLocalDateTime({ ...local, year, month, day }, timeZone);
}

/** French names for zone cities whose IANA spelling is English or unaccented. */
const FRENCH_CITY: Readonly<Record<string, string>> = {
  Noumea: 'Nouméa',
  Reunion: 'La Réunion',
  Marquesas: 'Marquises',
  St_Barthelemy: 'Saint-Barthélemy',
  Miquelon: 'Saint-Pierre-et-Miquelon',
  Brussels: 'Bruxelles',
  London: 'Londres',
  Lisbon: 'Lisbonne',
  Vienna: 'Vienne',
  Warsaw: 'Varsovie',
  Athens: 'Athènes',
  Moscow: 'Moscou',
};

function frenchZoneLabel(timeZone: string): string {
  const slash = timeZone.lastIndexOf('/');
  if (slash < 0 || timeZone.startsWith('Etc/')) return timeZone;
  const raw = timeZone.slice(slash + 1);
  const city = FRENCH_CITY[raw] ?? raw.replace(/_/g, ' ');
  return /^[AEIOUYÉÈÊÂÎÔÛaeiouyéèêâîôû]/.test(city) ? `heure d’${city}` : `heure de ${city}`;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '−' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE_MS);
  return `UTC${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * `date` as the wall time of `timeZone`, to the minute, with the zone named:
 * - fr: « 25/10/2026 09:00 (heure de Paris) »
 * - en: "2026-10-25 09:00 (Europe/Paris)"
 * When that wall time is ambiguous (the hour repeated when DST ends) the UTC offset is added so the
 * two readings stay distinct: « 25/10/2026 02:30 UTC+02:00 (heure de Paris) ».
 */
export function formatLocal(date: Date, timeZone: string, lang: Lang): string {
  const local = toLocalDateTime(date, timeZone);
  const time = `${pad(local.hour)}:${pad(local.minute)}`;
  const year = local.year < 0 ? `-${pad(local.year, 4)}` : pad(local.year, 4);
  const ambiguous = instantsForLocal(local, timeZone).length > 1;
  const offset = ambiguous ? ` ${formatOffset(timeZoneOffsetMs(date, timeZone))}` : '';
  return lang === 'fr'
    ? `${pad(local.day)}/${pad(local.month)}/${year} ${time}${offset} (${frenchZoneLabel(timeZone)})`
    : `${year}-${pad(local.month)}-${pad(local.day)} ${time}${offset} (${timeZone})`;
}
