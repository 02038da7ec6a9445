import type { PostureReport, ReportFinding } from '../domain/index.js';
import type { Lang } from '../i18n/index.js';
import { activeWaiver } from './report-format.js';

/** The columns, in order (a contract: scripts read them by name). */
export const CSV_COLUMNS = [
  'fingerprint',
  'status',
  'severity',
  'checkId',
  'category',
  'host',
  'port',
  'assetId',
  'owner',
  'title',
  'evidence',
  'remediation',
  'firstSeen',
  'lastSeen',
  'waiverReason',
  'waiverUntil',
] as const;

/**
 * One CSV field after RFC 4180: quoted when it holds a comma, a double quote or a line break, quotes
 * doubled. A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so
 * a spreadsheet shows it instead of running it as a formula (CSV injection).
 */
export function csvField(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(f: ReportFinding): (string | number | undefined)[] {
  const w = activeWaiver(f);
  return [
    f.fingerprint,
    f.status,
    f.severity,
    f.checkId,
    f.category,
    f.host,
    f.port,
    f.assetId,
    f.owner,
    f.title,
    f.evidence,
    f.remediation,
    f.firstSeen,
    f.lastSeen,
    w?.reason,
    w?.until,
  ];
}

/**
 * One row per open or waived finding, after a header row of the column names; RFC 4180 (CRLF line
 * ends, quoting), UTF-8 without byte-order mark. Column names and status values are identifiers, the
 * same in every language; titles and texts are in the report's language.
 */
export function renderReportCsv(report: PostureReport, _lang: Lang): string {
  const lines = [CSV_COLUMNS.join(','), ...report.findings.map((f) => row(f).map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
