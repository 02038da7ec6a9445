import type { ReviewPeriod } from './playbook.js';
import { Temporal } from './temporal.js';

/** Calendar dates written `AAAA-MM-JJ`, without time zones (Temporal.PlainDate). */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function plainDate(text: string): Temporal.PlainDate | undefined {
  if (!DATE.test(text)) return undefined;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}

/** True for an existing calendar day written AAAA-MM-JJ (2026-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  return plainDate(text) !== undefined;
}

function parse(text: string): Temporal.PlainDate {
  const date = plainDate(text);
  if (date === undefined) throw new RangeError(`calendar date expected (AAAA-MM-JJ): ${text}`);
  return date;
}

/** `date` plus `days` days (negative: before). */
export function addDays(date: string, days: number): string {
  return parse(date).add({ days }).toString();
}

/** `date` plus `months` calendar months, the day clamped to the end of a shorter month (31 → 28/29/30). */
export function addMonths(date: string, months: number): string {
  return parse(date).add({ months }).toString();
}

/** The date a review cadence after `date`: `12mo` after 2026-01-31 is 2027-01-31; `1mo` after it, 2026-02-28. */
export function addReviewPeriod(date: string, period: ReviewPeriod): string {
  switch (period.unit) {
    case 'd':
      return addDays(date, period.amount);
    case 'w':
      return addDays(date, 7 * period.amount);
    case 'mo':
      return addMonths(date, period.amount);
    case 'y':
      return addMonths(date, 12 * period.amount);
  }
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return parse(from).until(parse(to), { largestUnit: 'day' }).days;
}
