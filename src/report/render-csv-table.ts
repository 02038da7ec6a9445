import { csvField } from './render-report-csv.js';

/** Any table as RFC 4180 CSV, with the same quoting and formula-injection guard as the findings export. */
export function renderCsvTable(
  columns: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string {
  return `${[columns.join(','), ...rows.map((r) => r.map((v) => csvField(v)).join(','))].join('\r\n')}\r\n`;
}
