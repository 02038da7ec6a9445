import { Cron } from 'croner';
import { CRON_OPTIONS } from './cron-expression.js';

export interface CronTimer {
  /** Disarms the timer; a run already started is not interrupted. */
  stop(): void;
}

/**
 * Calls `onTick` each time `expression` fires on the wall clock of `timeZone` (croner's timer, the
 * one `nextCronRun` describes). `onTick` must not throw: its errors are the caller's.
 */
export function startCronTimer(expression: string, timeZone: string, onTick: () => void): CronTimer {
  const cron = new Cron(expression, { ...CRON_OPTIONS, timezone: timeZone }, () => onTick());
  return { stop: () => cron.stop() };
}
