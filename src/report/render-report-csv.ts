import type { PostureReport, ReportFinding } from '../domain/index.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { activeWaiver } from './report-format.js';
import { gatherPieces } from './gather-pieces.js';

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
export function csvField(value: string | number | undefined, separator: ',' | ';' = ','): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  const special = separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * How a spreadsheet of that language reads a CSV file: French Excel expects `;` between fields (the
 * comma is the decimal separator) and a UTF-8 byte-order mark to read accents; English stays RFC 4180.
 */
export interface CsvDialect {
  separator: ',' | ';';
  bom: boolean;
}

export const csvDialect = (lang: Lang): CsvDialect =>
  lang === 'fr' ? { separator: ';', bom: true } : { separator: ',', bom: false };

/** The header of a column in that language (French: `Sévérité`; English: the identifier `severity`). */
export const csvColumnTitle = (column: (typeof CSV_COLUMNS)[number], lang: Lang): string =>
  t(lang, `csv.column.${column}` as MessageKey);

/**
 * One finding's cells, in the order of {@link CSV_COLUMNS}: French labels for status, severity and
 * category in French, identifiers in English. Dates go through `date` (the workbook makes them dates).
 */
export function findingCells<D = string>(
  f: ReportFinding,
  lang: Lang,
  date: (iso: string | undefined) => D | string | undefined = (iso) => iso,
): (string | number | D | undefined)[] {
  const w = activeWaiver(f);
  const fr = lang === 'fr';
  return [
    f.fingerprint,
    fr ? t(lang, `finding-status.${f.status}` as MessageKey) : f.status,
    fr ? t(lang, `severity.${f.severity}` as MessageKey) : f.severity,
    f.checkId,
    fr ? t(lang, `posture-report.category.${f.category}` as MessageKey) : f.category,
    f.host,
    f.port,
    f.assetId,
    f.owner,
    f.title,
    f.evidence,
    f.remediation,
    date(f.firstSeen),
    date(f.lastSeen),
    w?.reason,
    date(w?.until),
  ];
}

/**
 * One row per open or waived finding, after a header row; CRLF line ends and RFC 4180 quoting.
 * English: `,`, no byte-order mark, column names and status, severity and category values as
 * identifiers (what scripts read). French: what French Excel and LibreOffice open directly — UTF-8
 * byte-order mark, `;`, French headers and values (« critique », « ouvert », « Services exposés »).
 * Titles and texts are in the report's language.
 */
export function renderReportCsv(report: PostureReport, lang: Lang): string {
  let out = '';
  writeReportCsv(report, lang, (piece) => {
    out += piece;
  });
  return out;
}

/** {@link renderReportCsv} in pieces of about 64 KiB, the same bytes: a large estate's CSV is never one string. */
export function writeReportCsv(report: PostureReport, lang: Lang, write: (piece: string) => void): void {
  const csv = reportCsvWriter(lang, write);
  csv.rows(report.findings);
  csv.end();
}

/**
 * The CSV of {@link renderReportCsv} written as its rows come (a large estate's findings, page by
 * page): the header first, then `rows` as often as needed, then `end`. Pieces of about 64 KiB.
 */
export function reportCsvWriter(
  lang: Lang,
  write: (piece: string) => void,
): { rows(findings: readonly ReportFinding[]): void; end(): void } {
  const { separator } = csvDialect(lang);
  const gathered = gatherPieces(write);
  gathered.write(csvHeader(lang));
  return {
    rows(findings) {
      for (const f of findings)
        gathered.write(
          `${findingCells(f, lang)
            .map((v) => csvField(v, separator))
            .join(separator)}\r\n`,
        );
    },
    end: gathered.end,
  };
}

/** The CSV's byte-order mark (French) and header row. */
function csvHeader(lang: Lang): string {
  const { separator, bom } = csvDialect(lang);
  return `${bom ? '\uFEFF' : ''}${CSV_COLUMNS.map((c) => csvField(csvColumnTitle(c, lang), separator)).join(separator)}\r\n`;
}
