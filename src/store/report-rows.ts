import { UsageError } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { isoInput } from './iso-input.js';
import type { ReportRecord } from './report-repository.js';

/** The `reports` table's row and its checks, the same for every backend. */

export interface ReportRow {
  at: string;
  format: string;
  posture_index: number | null;
}

/** The values of a report to record, checked (a bad one is the caller's mistake: exit 2). */
export function reportValues(r: ReportRecord): { at: string; format: string; postureIndex: number | null } {
  const at = isoInput(r.at, 'at');
  if (r.format.trim() === '') throw new UsageError(msg('texts2.store.report.empty-format'));
  if (r.postureIndex !== undefined && !Number.isFinite(r.postureIndex)) {
    throw new UsageError(msg('texts2.store.report.bad-index', { index: String(r.postureIndex) }));
  }
  return { at, format: r.format, postureIndex: r.postureIndex ?? null };
}

export function reportOf(row: ReportRow): ReportRecord {
  return {
    at: row.at,
    format: row.format,
    ...(row.posture_index === null ? {} : { postureIndex: row.posture_index }),
  };
}
