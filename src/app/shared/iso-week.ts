import { zonedDateTime } from '../../domain/index.js';

export interface IsoWeek {
  year: number;
  week: number;
}

/** The ISO 8601 week (Monday first; week 1 holds the first Thursday) that `date` falls in, in `timeZone`. */
export function isoWeek(date: Date, timeZone: string): IsoWeek {
  const day = zonedDateTime(date, timeZone);
  // The ISO calendar always numbers its weeks; `undefined` is for calendars that have none.
  return { year: day.yearOfWeek ?? day.year, week: day.weekOfYear ?? 0 };
}

/** `2026-W48`. */
export function isoWeekLabel(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

/** Parses `2026-W48`. */
export function parseIsoWeekLabel(label: string): IsoWeek | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  return m ? { year: Number(m[1]), week: Number(m[2]) } : undefined;
}
