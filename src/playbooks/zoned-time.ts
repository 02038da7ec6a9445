/**
 * Wall-clock arithmetic in an IANA time zone, on the Temporal API (`src/domain/temporal.ts`), with
 * the organisation's ways of writing it. Vocabulary: an *instant* is a `Date`; a *wall time*
 * (`LocalDateTime`) is what a clock on the organisation's wall reads, which may map to zero instants
 * (the hour skipped when daylight-saving time starts) or to two (the hour repeated when it ends).
 */
import { Temporal, instantToDate, isValidTimeZone, zonedDateTime } from '../domain/index.js';
import type { Lang } from '../i18n/index.js';

export { isValidTimeZone };

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

/** The wall time that `date` reads in `timeZone`. */
export function toLocalDateTime(date: Date, timeZone: string): LocalDateTime {
  const { year, month, day, hour, minute, second, millisecond } = zonedDateTime(date, timeZone);
  return { year, month, day, hour, minute, second, millisecond };
}

/** UTC offset of `timeZone` at `date`, in milliseconds (Paris in summer: +7 200 000). */
export function timeZoneOffsetMs(date: Date, timeZone: string): number {
  return zonedDateTime(date, timeZone).offsetNanoseconds / 1e6;
}

const plain = (local: LocalDateTime): Temporal.PlainDateTime =>
  Temporal.PlainDateTime.from(local, { overflow: 'reject' });

/**
 * Every instant at which `timeZone` reads `local`, in ascending order: one normally, two in the
 * repeated hour when daylight-saving time ends, none in the hour skipped when it starts.
 */
export function instantsForLocal(local: LocalDateTime, timeZone: string): Date[] {
  const wall = plain(local);
  const earlier = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  if (!earlier.toPlainDateTime().equals(wall)) return [];
  const later = wall.toZonedDateTime(timeZone, { disambiguation: 'later' });
  return earlier.equals(later) ? [instantToDate(earlier)] : [instantToDate(earlier), instantToDate(later)];
}

/**
 * The instant at which `timeZone` reads `local`, with Temporal's `'compatible'` disambiguation:
 * - ambiguous wall time (the repeated hour when DST ends): the **earlier** instant, i.e. the first
 *   time the clock shows it (still on summer time) — a deadline is never pushed later by a change;
 * - non-existent wall time (the hour skipped when DST starts): moved **forward by the length of the
 *   gap** (02:30 on the last Sunday of March in Paris becomes 03:30 summer time).
 */
export function fromLocalDateTime(local: LocalDateTime, timeZone: string): Date {
  return instantToDate(plain(local).toZonedDateTime(timeZone, { disambiguation: 'compatible' }));
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
  if (!Number.isInteger(months)) throw new RangeError(`addCalendarMonthsLocal: ${months} is not an integer`);
  return instantToDate(zonedDateTime(date, timeZone).add({ months }));
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

/**
 * `date` as the wall time of `timeZone`, to the minute, with the zone named:
 * - fr: « 25/10/2026 09:00 (heure de Paris) »
 * - en: "2026-10-25 09:00 (Europe/Paris)"
 * When that wall time is ambiguous (the hour repeated when DST ends) the UTC offset is added so the
 * two readings stay distinct: « 25/10/2026 02:30 UTC+02:00 (heure de Paris) ».
 */
export function formatLocal(date: Date, timeZone: string, lang: Lang): string {
  const z = zonedDateTime(date, timeZone);
  const time = `${pad(z.hour)}:${pad(z.minute)}`;
  const year = z.year < 0 ? `-${pad(z.year, 4)}` : pad(z.year, 4);
  const ambiguous = instantsForLocal(toLocalDateTime(date, timeZone), timeZone).length > 1;
  const offset = ambiguous ? ` UTC${z.offset.replace('-', '−')}` : '';
  return lang === 'fr'
    ? `${pad(z.day)}/${pad(z.month)}/${year} ${time}${offset} (${frenchZoneLabel(timeZone)})`
    : `${year}-${pad(z.month)}-${pad(z.day)} ${time}${offset} (${timeZone})`;
}
