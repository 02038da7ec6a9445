/**
 * The one door to the Temporal API (ADR 0011): every wall-clock computation of vigie — regulatory
 * deadlines, review due dates, ISO weeks, local dates — goes through `Temporal` from here.
 * `temporal-polyfill` hands over to the runtime's own Temporal when there is one, so nothing else
 * changes when Node ships it.
 *
 * Vocabulary: an *instant* is a `Date` (a point on the UTC time line); a *wall time* is what a clock
 * on the wall of the organisation reads, which may map to zero instants (the hour skipped when
 * daylight-saving time starts) or to two (the hour repeated when it ends).
 */
import { Temporal } from 'temporal-polyfill';

export { Temporal };

function assertValidDate(date: Date, what: string): void {
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what}: invalid date`);
}

/** `date` as read on the wall clock of `timeZone` (RangeError for an unknown zone or an invalid date). */
export function zonedDateTime(date: Date, timeZone: string): Temporal.ZonedDateTime {
  assertValidDate(date, 'zonedDateTime');
  return Temporal.Instant.fromEpochMilliseconds(date.getTime()).toZonedDateTimeISO(timeZone);
}

/** The instant of a zoned date-time, as a `Date` (to the millisecond). */
export function instantToDate(value: Temporal.ZonedDateTime | Temporal.Instant): Date {
  return new Date(value.epochMilliseconds);
}

/**
 * True when `timeZone` is an IANA zone (or alias) that this runtime knows. Fixed offsets such as
 * `+01:00`, which Temporal also takes, are refused: an organisation's zone follows its law.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}
