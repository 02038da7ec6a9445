import { toLocalDateTime } from '../playbooks/index.js';

export interface IsoWeek {
  year: number;
  week: number;
}

/** The ISO 8601 week (Monday first; week 1 holds the first Thursday) that `date` falls in, in `timeZone`. */
export function isoWeek(date: Date, timeZone: string): IsoWeek {
  const l = toLocalDateTime(date, timeZone);
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day));
  const dayOfWeek = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayOfWeek);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
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
