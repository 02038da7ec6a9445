import type { FindingStatus } from '../domain/index.js';
import type { TrackedFinding } from './finding-repository.js';
import type { FindingPage } from './report-query-repository.js';
import { trackedOf, type TrackedRow } from './finding-rows.js';

/** Report reads as both backends settle them (no SQL here: each backend writes its own). */

/** The statuses a report lists as open (waived included). */
const OPEN_STATUSES: ReadonlySet<FindingStatus> = new Set(['new', 'open', 'regressed', 'waived']);

/** The most rows one page may ask for. */
export const MAX_PAGE_ROWS = 10_000;

/** A page size as asked, kept within 1 and {@link MAX_PAGE_ROWS}. */
export function pageRows(limit: number): number {
  return Math.min(MAX_PAGE_ROWS, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1)));
}

/**
 * A page of open findings from at most `limit` rows read under `open = 1` (one more tells whether
 * another page follows), with their status at `now`: what `findings.list` keeps for the open statuses.
 */
export function openFindingPage(rows: readonly TrackedRow[], now: string, limit: number): FindingPage {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    findings: page.map((row) => trackedOf(row, now)).filter((f) => OPEN_STATUSES.has(f.status)),
    ...(rows.length > limit && last ? { next: last.fingerprint } : {}),
  };
}

/** The open findings among rows read under `open = 1`, with their status at `now`. */
export function openTracked(rows: readonly TrackedRow[], now: string): TrackedFinding[] {
  return rows.map((row) => trackedOf(row, now)).filter((f) => OPEN_STATUSES.has(f.status));
}
