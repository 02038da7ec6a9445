import { createTask, parse } from 'node-cron';

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(date: Date, timeZone: string): { hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  return { hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second']) };
}

type Wall = ReturnType<typeof wallClock>;
const isRepeat = (a: Wall, b: Wall): boolean =>
  a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/** How far ahead `nextRun` looks (an expression like `0 0 29 2 *` fires once in four years). */
const HORIZON_MS = 5 * 366 * 86_400_000;

/**
 * The first instant strictly after `after` at which `expression` fires on the wall clock of
 * `timeZone` (whole seconds), or undefined when none within five years. Pure: no timer, no "now".
 * Hours, minutes and seconds are walked here; the day fields (day of month, month, day of week,
 * `L`, `#`) are decided by node-cron's own matcher, so the answer agrees with what node-cron fires.
 * A wall time skipped by daylight-saving time never fires; a repeated one fires at its first instant.
 */
export function nextRun(expression: string, after: Date, timeZone: string): Date | undefined {
  const fields = parse(expression);
  const seconds = new Set(fields.second);
  const minutes = new Set(fields.minute);
  const hours = new Set(fields.hour);
  const task = createTask(expression, () => undefined, { timezone: timeZone });
  try {
    let t = Math.floor(after.getTime() / 1000) * 1000 + 1000;
    const end = t + HORIZON_MS;
    while (t < end) {
      const w = wallClock(new Date(t), timeZone);
      if (!hours.has(w.hour)) {
        t += ((60 - w.minute) * 60 - w.second) * 1000; // next wall-clock hour
      } else if (!minutes.has(w.minute)) {
        t += (60 - w.second) * 1000; // next minute
      } else if (!seconds.has(w.second)) {
        t += 1000;
      } else if (isRepeat(w, wallClock(new Date(t - 3_600_000), timeZone))) {
        t += ((60 - w.minute) * 60 - w.second) * 1000; // second pass of the hour repeated at DST end
      } else if (task.match(new Date(t))) {
        return new Date(t);
      } else {
        t += ((60 - w.minute) * 60 - w.second) * 1000; // the day does not match: next hour
      }
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}
