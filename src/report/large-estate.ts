import type { PostureReport, ReportTotals } from '../domain/index.js';

/** Above this many endpoints, the HTML, Markdown and text reports summarise and a CSV has the detail. */
export const LARGE_ESTATE_ENDPOINTS = 500;
/** Rows kept in each long list of a summarised report (most serious first where the list is sorted). */
export const SUMMARY_ROWS = 100;

/** Where the full lists of a summarised report are (a CSV written beside it). */
export interface ReportDetail {
  file: string;
  /**
   * A report built page by page (its long lists hold only their first rows): what the lists count
   * in full, and the TLS endpoints by grade and profile.
   */
  totals?: ReportTotals;
}

/** Whether the report covers a large estate (its latest run's endpoints). */
export function isLargeEstate(report: PostureReport): boolean {
  return Math.max(report.posture.current?.endpoints ?? 0, report.endpoints.length) > LARGE_ESTATE_ENDPOINTS;
}

/** The rows a list shows: all of them, or the first SUMMARY_ROWS when the detail is elsewhere. */
export function summaryRows<T>(list: readonly T[], detail: ReportDetail | undefined): readonly T[] {
  return detail && list.length > SUMMARY_ROWS ? list.slice(0, SUMMARY_ROWS) : list;
}

/** How many items a list of the report has: its total when the report holds only its first rows. */
export function listCount(list: readonly unknown[], total: number | undefined): number {
  return total ?? list.length;
}
