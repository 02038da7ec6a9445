import type { ReviewPeriod } from './playbook.js';

/** Calendar dates written `AAAA-MM-JJ`, computed without time zones (UTC fields only). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for an existing calendar day written AAAA-MM-JJ (2026-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function toUtc(text: string): Date {
  if (!isCalendarDate(text)) throw new RangeError(`calendar date expected (AAAA-MM-JJ): ${text}`);
  return new Date(`${text}T00:00:00.000Z`);
}

const format = (date: Date): string => date.toISOString().slice(0, 10);

/** `date` plus `days` days (negative: before). */
export function addDays(date: string, days: number): string {
  return format(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** `date` plus `months` calendar months, the day clamped to the end of a shorter month (31 → 28/29/30). */
export function addMonths(date: string, months: number): string {
  const d = toUtc(date);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  const out = new Date(0);
  out.setUTCFullYear(year, month, day);
  return format(out);
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
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / DAY_MS);
}
