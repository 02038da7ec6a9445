import {
  findingStatus,
  waiverInForce,
  type FindingEvent,
  type FindingEventKind,
  type FindingStatus,
  type Severity,
  type Waiver,
} from '../domain/index.js';
import type { TrackedFinding } from './finding-repository.js';
import { hashOf, recordOf, type EventRow, type FindingRow } from './rows.js';

/** Finding rows and filters as both backends read them (no SQL here: each backend writes its own). */

/** A finding with the columns of its active waiver, if any (LEFT JOIN). */
export type TrackedRow = FindingRow & {
  w_reason: string | null;
  w_until: string | null;
  w_waived_by: string | null;
  w_waived_at: string | null;
  w_evidence_hash: string | null;
};

export function trackedOf(row: TrackedRow, now: string): TrackedFinding {
  const record = recordOf(row);
  const waiver: Waiver | undefined =
    row.w_reason === null ||
    row.w_until === null ||
    row.w_waived_by === null ||
    row.w_waived_at === null ||
    row.w_evidence_hash === null
      ? undefined
      : {
          fingerprint: row.fingerprint,
          reason: row.w_reason,
          until: row.w_until,
          by: row.w_waived_by,
          waivedAt: row.w_waived_at,
          evidenceHash: row.w_evidence_hash,
          state: 'active',
        };
  const inForce = waiver !== undefined && waiverInForce(waiver, hashOf(row), now);
  return {
    ...record,
    status: findingStatus(record, inForce),
    ...(inForce ? { waiver } : {}),
  };
}

export function eventOf(row: EventRow): FindingEvent {
  return {
    at: row.at,
    kind: row.kind as FindingEventKind,
    ...(row.run_id === null ? {} : { runId: row.run_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

/** How a backend writes one condition over `f` (the findings): it adds its parameters to `params`. */
export interface FindingConditionSql {
  /** `column` is one of `values` (never empty). */
  oneOf(column: string, values: readonly unknown[], params: unknown[]): string;
  /** `column` equals `value`. */
  equals(column: string, value: unknown, params: unknown[]): string;
  /** The finding's host is `host`, without regard to case. */
  hostIs(host: string, params: unknown[]): string;
}

export interface FindingConditionFilter {
  severity?: readonly Severity[];
  assetIds?: readonly string[];
  host?: string;
  checkId?: string;
}

/**
 * Adds the conditions of `filter` to `where` and their parameters to `params`, in this order:
 * severity, assets, host, check. False when a list is empty: no finding matches.
 */
export function findingConditions(
  filter: FindingConditionFilter,
  sql: FindingConditionSql,
  where: string[],
  params: unknown[],
): boolean {
  const lists: [string, readonly unknown[] | undefined][] = [
    ['f.severity', filter.severity],
    ['f.asset_id', filter.assetIds],
  ];
  for (const [column, values] of lists) {
    if (values === undefined) continue;
    if (values.length === 0) return false;
    where.push(sql.oneOf(column, values, params));
  }
  if (filter.host !== undefined) where.push(sql.hostIs(filter.host, params));
  if (filter.checkId !== undefined) where.push(sql.equals('f.check_id', filter.checkId, params));
  return true;
}

/**
 * Adds the conditions a status filter allows in SQL (open or closed; under an active waiver) to
 * `where`; false when no status is asked for. The exact status (it depends on `now`) is settled by
 * the caller on the rows read.
 */
export function statusConditions(statuses: ReadonlySet<FindingStatus>, where: string[]): boolean {
  if (statuses.size === 0) return false;
  if (!statuses.has('resolved')) where.push('f.open = 1');
  else if (statuses.size === 1) where.push('f.open = 0');
  // Only a finding with an active waiver can be waived: the scan's question (which are waived
  // today?) reads those few rows, not every open finding of the estate.
  if (statuses.size === 1 && statuses.has('waived')) where.push('w.fingerprint IS NOT NULL');
  return true;
}
