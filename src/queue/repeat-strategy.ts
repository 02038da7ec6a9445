/** When a cron pattern fires next after `afterMs`, in `tz` (the daemon's own cron reading). */
export type NextRun = (pattern: string, afterMs: number, tz: string | undefined) => number | undefined;

/**
 * BullMQ's repeat strategy from vigie's cron reading, so that a scheduler fires when the daemon's
 * croner schedule says (day of month AND day of week, daylight-saving rules), not when cron-parser
 * would. Daemons and workers must all use it: a worker computes the next occurrence of the job it takes.
 */
export function repeatStrategyOf(nextRun: NextRun) {
  return (millis: number, opts: { pattern?: string; tz?: string }): number | undefined =>
    opts.pattern === undefined ? undefined : nextRun(opts.pattern, millis, opts.tz);
}
