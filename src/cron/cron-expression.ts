/**
 * Cron expressions of `schedule.*` in vigie.yml, read by croner — the same code that fires the
 * daemon's jobs (`cron-timer.ts`), so what `vigie inventory validate` accepts, what `vigie daemon
 * status` announces and when a job runs cannot disagree (ADR 0012).
 */
import { Cron, type CronOptions } from 'croner';

/**
 * How vigie reads an expression, for validation, next runs and firing alike:
 * - 5 fields, or 6 with the seconds first (no year field);
 * - day of month and day of week must both match when both are given (node-cron's reading, kept);
 * - daylight-saving time: a job whose second, minute and hour fields hold no `*` and no step
 *   (`0 2 * * *`, `30 2,14 * * *`) runs once per day and wall time: in the hour skipped in spring it
 *   runs at the first minute after the change, in the hour repeated in autumn only the first time.
 *   A job with `*` or a step there (`0 * * * *`) follows elapsed time: it runs in both repeated hours
 *   and has nothing to run in the skipped one.
 */
export const CRON_OPTIONS = {
  mode: '5-or-6-parts',
  domAndDow: true,
  fixedTimeRule: 'no-wildcard',
} as const satisfies CronOptions;

/** A moment from which any expression that can fire at all fires within the search range. */
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

/**
 * Why `expression` cannot be scheduled, in the words of vigie.yml's other messages (French), with
 * croner's own reason (`Invalid value for hour: 25`) or that it never fires (`0 0 30 2 *`);
 * undefined when it is a schedule. Pure: no clock, no timer.
 */
export function cronExpressionProblem(expression: string): string | undefined {
  let why: string;
  try {
    const cron = new Cron(expression, { ...CRON_OPTIONS, timezone: 'UTC' });
    if (cron.nextRun(REFERENCE) !== null) return undefined;
    why = 'elle ne se déclenche jamais';
  } catch (error) {
    why = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
  }
  return `expression cron invalide « ${expression} » (${why}) ; 5 champs, 6 avec les secondes, ex. "0 2 * * *"`;
}

/**
 * The first instant strictly after `after` (whole seconds) at which `expression` fires on the wall
 * clock of `timeZone`, as the daemon's timer will fire it; undefined when it never fires again.
 * Pure: no timer, no "now".
 */
export function nextCronRun(expression: string, after: Date, timeZone: string): Date | undefined {
  return new Cron(expression, { ...CRON_OPTIONS, timezone: timeZone }).nextRun(after) ?? undefined;
}
