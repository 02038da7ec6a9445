import { instantToDate, zonedDateTime } from '../../domain/index.js';
import { isoWeek, isoWeekLabel } from '../shared/iso-week.js';

/** A nightly scan older than this is run as soon as the daemon starts. */
export const SCAN_CATCH_UP_MS = 26 * 3_600_000;

/** ISO week of `date` on the organisation's wall clock: `2026-W48` (the digest's outbox key, as notify.ts builds it). */
export function isoWeekKey(date: Date, timeZone: string): string {
  return isoWeekLabel(isoWeek(date, timeZone));
}

/** Monday 00:00 of the week of `date`, on the organisation's wall clock. */
export function startOfIsoWeek(date: Date, timeZone: string): Date {
  const day = zonedDateTime(date, timeZone);
  return instantToDate(day.subtract({ days: day.dayOfWeek - 1 }).startOfDay());
}

export interface CatchUpInput {
  now: Date;
  /** When the last saved scan finished; undefined when there is none. */
  lastScanFinishedAt: Date | undefined;
  /** This week's scheduled digest time (the first tick at or after Monday 00:00). */
  digestTimeThisWeek: Date | undefined;
  /** The outbox holds this week's digest as sent. */
  digestSentThisWeek: boolean;
}

export interface CatchUpDecision {
  scan: boolean;
  digest: boolean;
}

/** What the daemon runs at start, before waiting for the first tick. Pure. */
export function catchUpDecision(input: CatchUpInput): CatchUpDecision {
  const now = input.now.getTime();
  return {
    scan:
      input.lastScanFinishedAt === undefined || now - input.lastScanFinishedAt.getTime() > SCAN_CATCH_UP_MS,
    digest:
      !input.digestSentThisWeek &&
      input.digestTimeThisWeek !== undefined &&
      input.digestTimeThisWeek.getTime() <= now,
  };
}
