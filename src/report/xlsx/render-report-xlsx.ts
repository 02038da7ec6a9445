import ExcelJS from 'exceljs';
import {
  SEVERITIES,
  type PostureReport,
  type ReportEndpoint,
  type ReportFinding,
} from '../../domain/index.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { CSV_COLUMNS, csvColumnTitle, findingCells } from '../render-report-csv.js';

/** The sheets, in order (their names are in the report's language). */
export const XLSX_SHEETS = ['findings', 'endpoints', 'owners', 'waivers'] as const;

export type Cell = string | number | Date | undefined;
export interface Column {
  header: string;
  width: number;
  /** Date-times are written as real dates, shown in this format. */
  date?: boolean;
}

/** Excel's limit on the characters of one cell. */
const CELL_MAX = 32_767;
/** Characters XML 1.0 cannot carry (a file holding them is refused as damaged): shown as U+FFFD. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const cellText = (text: string): string => {
  const clean = text.replace(NOT_XML, '\uFFFD');
  return clean.length > CELL_MAX ? `${clean.slice(0, CELL_MAX - 1)}…` : clean;
};

const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const asDate = (iso: string | undefined): Date | undefined => (iso ? new Date(iso) : undefined);
const label = (lang: Lang, key: string) => t(lang, key as MessageKey);

/** The columns as the library takes them: dates shown in {@link DATE_FORMAT}. */
export const sheetColumns = (columns: Column[]) =>
  columns.map((c) => ({
    header: c.header,
    width: c.width,
    ...(c.date ? { style: { numFmt: DATE_FORMAT } } : {}),
  }));

/** The sheet's view: its header row frozen (stays in view when scrolling). */
export const SHEET_VIEWS = [{ state: 'frozen' as const, ySplit: 1 }];

/**
 * One sheet: a bold header row, frozen, with a filter on every column. Text is written as text: a
 * value starting with `=` stays a string cell, never a formula.
 */
function addSheet<T>(wb: ExcelJS.Workbook, sheet: XlsxSheet<T>, items: readonly T[]): void {
  const ws = wb.addWorksheet(sheet.name, { views: SHEET_VIEWS });
  ws.columns = sheetColumns(sheet.columns);
  ws.getRow(1).font = { bold: true };
  for (const item of items) ws.addRow(sheetCells(sheet.row(item)));
  ws.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1 + items.length, column: sheet.columns.length },
  };
}

const FINDING_WIDTHS: Record<(typeof CSV_COLUMNS)[number], number> = {
  fingerprint: 18,
  status: 11,
  severity: 11,
  checkId: 26,
  category: 16,
  host: 28,
  port: 7,
  assetId: 14,
  owner: 22,
  title: 40,
  evidence: 50,
  remediation: 50,
  firstSeen: 17,
  lastSeen: 17,
  waiverReason: 30,
  waiverUntil: 17,
};
const DATE_COLUMNS = new Set(['firstSeen', 'lastSeen', 'waiverUntil']);

/** One sheet's name and columns, and how an item becomes its row. */
export interface XlsxSheet<T> {
  name: string;
  columns: Column[];
  row: (item: T) => Cell[];
}

/** The findings sheet (the CSV's columns). */
export function findingsSheet(lang: Lang): XlsxSheet<ReportFinding> {
  return {
    name: label(lang, 'xlsx.sheet.findings'),
    columns: CSV_COLUMNS.map((c) => ({
      header: csvColumnTitle(c, lang),
      width: FINDING_WIDTHS[c],
      date: DATE_COLUMNS.has(c),
    })),
    row: (f) => findingCells(f, lang, asDate),
  };
}

/** The endpoints sheet, with their grades. */
export function endpointsSheet(lang: Lang): XlsxSheet<ReportEndpoint> {
  return {
    name: label(lang, 'xlsx.sheet.endpoints'),
    columns: [
      { header: label(lang, 'xlsx.col.host'), width: 28 },
      { header: label(lang, 'xlsx.col.port'), width: 7 },
      { header: label(lang, 'xlsx.col.asset'), width: 14 },
      { header: label(lang, 'xlsx.col.owner'), width: 22 },
      { header: label(lang, 'xlsx.col.status'), width: 14 },
      { header: label(lang, 'xlsx.col.tlsGrade'), width: 10 },
      { header: label(lang, 'xlsx.col.httpGrade'), width: 10 },
      { header: label(lang, 'xlsx.col.lastScanned'), width: 17, date: true },
    ],
    row: (e) => [
      e.host,
      e.port,
      e.assetId,
      e.owner,
      label(lang, `status.${e.status}`),
      e.tlsGrade ? gradeText(e.tlsGrade.grade, lang) : undefined,
      e.httpGrade ? gradeText(e.httpGrade.grade, lang) : undefined,
      asDate(e.lastScanned),
    ],
  };
}

const SEVERITIES_DOWN = [...SEVERITIES].reverse();

/** The owners sheet. */
export function ownersSheet(lang: Lang): XlsxSheet<PostureReport['owners'][number]> {
  return {
    name: label(lang, 'xlsx.sheet.owners'),
    columns: [
      { header: label(lang, 'xlsx.col.owner'), width: 26 },
      { header: label(lang, 'xlsx.col.index'), width: 9 },
      { header: label(lang, 'xlsx.col.endpoints'), width: 12 },
      ...SEVERITIES_DOWN.map((s) => ({ header: label(lang, `severity.${s}`), width: 10 })),
    ],
    row: (o) => [
      o.owner,
      Math.round(o.index * 10) / 10,
      o.endpoints,
      ...SEVERITIES_DOWN.map((s) => o.open[s]),
    ],
  };
}

/** The waivers sheet. */
export function waiversSheet(lang: Lang): XlsxSheet<PostureReport['waivers'][number]> {
  return {
    name: label(lang, 'xlsx.sheet.waivers'),
    columns: [
      { header: csvColumnTitle('checkId', lang), width: 26 },
      { header: label(lang, 'xlsx.col.host'), width: 28 },
      { header: label(lang, 'xlsx.col.port'), width: 7 },
      { header: csvColumnTitle('title', lang), width: 40 },
      { header: label(lang, 'xlsx.col.reason'), width: 40 },
      { header: label(lang, 'xlsx.col.until'), width: 17, date: true },
      { header: label(lang, 'xlsx.col.by'), width: 18 },
      { header: label(lang, 'xlsx.col.state'), width: 12 },
    ],
    row: (w) => [
      w.checkId,
      w.host,
      w.port,
      w.title,
      w.reason,
      asDate(w.until),
      w.by,
      label(lang, `xlsx.waiver.${w.state}`),
    ],
  };
}

/** A row's cells as the sheet holds them: no value for nothing, text cut and cleaned for XML. */
export const sheetCells = (cells: Cell[]): (string | number | Date | null)[] =>
  cells.map((v) => (v === undefined ? null : typeof v === 'string' ? cellText(v) : v));

/**
 * The posture report as an Excel workbook (Office Open XML, read by Excel and LibreOffice): one sheet
 * per view — findings (the CSV's columns), endpoints with their grades, owners, waivers. Headers and
 * values in the report's language; dates as dates. Built in memory, no file is touched.
 */
export async function renderReportXlsx(report: PostureReport, lang: Lang): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'vigie';
  wb.created = new Date(report.generatedAt);
  wb.modified = wb.created;
  addSheet(wb, findingsSheet(lang), report.findings);
  addSheet(wb, endpointsSheet(lang), report.endpoints);
  addSheet(wb, ownersSheet(lang), report.owners);
  addSheet(wb, waiversSheet(lang), report.waivers);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

const gradeText = (grade: string, lang: Lang): string =>
  grade === 'not-evaluated' ? label(lang, 'xlsx.grade.notEvaluated') : grade;
