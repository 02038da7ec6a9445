import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { PostureReport, ReportEndpoint, ReportFinding } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import {
  endpointsSheet,
  findingsSheet,
  ownersSheet,
  SHEET_VIEWS,
  sheetCells,
  sheetColumns,
  waiversSheet,
  type XlsxSheet,
} from './render-report-xlsx.js';

/** Bytes of a sheet's XML the zip may have still to take before the writer waits for it to take them. */
const BACKLOG_BYTES = 1024 * 1024;

/** One sheet being written: its rows go out as they come. */
interface OpenSheet<T> {
  sheet: XlsxSheet<T>;
  ws: ExcelJS.Worksheet;
  rows: number;
}

/**
 * {@link renderReportXlsx}'s workbook — same sheets, columns, header rows, filters and values —
 * written to `stream` as its rows come (a large estate's findings and endpoints, page by page), with
 * exceljs's streaming writer: a row is committed as soon as it is added, a sheet when the next one
 * starts. Sheets in order: {@link XlsxReportWriter.findings} rows, then
 * {@link XlsxReportWriter.endpoints} rows, then {@link XlsxReportWriter.end} (owners and waivers, then
 * the zip's end). Between pages, {@link XlsxReportWriter.settle} lets the zip take what is written.
 */
export class XlsxReportWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private open: OpenSheet<never> | undefined;
  private readonly findingsSheet: XlsxSheet<ReportFinding>;
  private readonly endpointsSheet: XlsxSheet<ReportEndpoint>;
  private stage: 'findings' | 'endpoints' | 'done' | undefined;
  /** Rejected when the zip or the stream it writes to fails: a wait for the zip then ends. */
  private readonly failed: Promise<never>;

  constructor(
    generatedAt: string,
    private readonly lang: Lang,
    stream: Writable,
  ) {
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    const zip = (this.wb as unknown as { zip: Writable }).zip;
    this.failed = new Promise<never>((_resolve, reject) => {
      zip.on('error', reject);
      stream.on('error', reject);
    });
    this.failed.catch(() => undefined);
    this.wb.creator = 'vigie';
    this.wb.created = new Date(generatedAt);
    this.wb.modified = this.wb.created;
    this.findingsSheet = findingsSheet(lang);
    this.endpointsSheet = endpointsSheet(lang);
  }

  /** Rows of the findings sheet (the first). */
  findings(items: readonly ReportFinding[]): void {
    this.rows('findings', this.findingsSheet, items);
  }

  /** Rows of the endpoints sheet (after every finding). */
  endpoints(items: readonly ReportEndpoint[]): void {
    if (this.stage === undefined) this.rows('findings', this.findingsSheet, []);
    this.rows('endpoints', this.endpointsSheet, items);
  }

  /**
   * Waits, when the zip has more than {@link BACKLOG_BYTES} of the open sheet still to take, until it
   * has taken all of it (the zip's `drain`), or fails. The sheet's stream writes to the zip without
   * heeding its answer, so without this wait a whole sheet would wait in memory to be compressed.
   */
  async settle(): Promise<void> {
    const entry = this.entry();
    if (!entry || entry.length <= BACKLOG_BYTES) return;
    await Promise.race([once(entry.stream, 'drain'), this.failed]);
  }

  /** Bytes of the open sheet written but not yet taken by the zip; undefined when no sheet is open. */
  backlog(): number | undefined {
    return this.entry()?.length;
  }

  /** The owners and waivers sheets (from the report), then the end of the workbook. */
  async end(report: Pick<PostureReport, 'owners' | 'waivers'>): Promise<void> {
    if (this.stage === undefined) this.rows('findings', this.findingsSheet, []);
    if (this.stage === 'findings') this.rows('endpoints', this.endpointsSheet, []);
    this.close();
    this.stage = 'done';
    for (const [sheet, items] of [
      [ownersSheet(this.lang), report.owners],
      [waiversSheet(this.lang), report.waivers],
    ] as const) {
      const open = this.start(sheet as XlsxSheet<unknown>);
      for (const item of items) this.add(open, item);
      this.close();
    }
    await this.wb.commit();
  }

  private rows<T>(stage: 'findings' | 'endpoints', sheet: XlsxSheet<T>, items: readonly T[]): void {
    if (this.stage === 'done' || (this.stage === 'endpoints' && stage === 'findings'))
      throw new Error(`xlsx: ${stage} rows after their sheet`);
    if (this.stage !== stage) {
      this.close();
      this.stage = stage;
      this.start(sheet);
    }
    const open = this.open as OpenSheet<T> | undefined;
    if (!open) throw new Error('xlsx: no sheet open');
    for (const item of items) this.add(open, item);
  }

  private start<T>(sheet: XlsxSheet<T>): OpenSheet<T> {
    const ws = this.wb.addWorksheet(sheet.name, { views: SHEET_VIEWS });
    ws.columns = sheetColumns(sheet.columns);
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    const open: OpenSheet<T> = { sheet, ws, rows: 0 };
    this.open = open;
    return open;
  }

  private add<T>(open: OpenSheet<T>, item: T): void {
    open.ws.addRow(sheetCells(open.sheet.row(item))).commit();
    open.rows += 1;
  }

  /** Sets the open sheet's filter (its rows are known now) and commits it. */
  private close(): void {
    const open = this.open;
    if (!open) return;
    open.ws.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1 + open.rows, column: open.sheet.columns.length },
    };
    open.ws.commit();
    this.open = undefined;
  }

  /**
   * The zip's entry for the open sheet and the bytes it holds, not yet compressed: exceljs's sheet
   * stream (a StreamBuf, its last 64 KiB held until full) writes to the stream archiver made for the
   * entry, whose queue of writes grows until the zip reads them. Undefined when no sheet is open, or
   * if exceljs and archiver no longer have this shape (then nothing waits: a test holds them to it).
   */
  private entry(): { stream: Writable; length: number } | undefined {
    if (!this.open) return undefined;
    const sheet = (this.open.ws as unknown as { stream?: { pipes?: unknown[] } }).stream;
    const entry = sheet?.pipes?.[0] as (Writable & { _writableState?: { length?: unknown } }) | undefined;
    const length = entry?._writableState?.length;
    return entry && typeof length === 'number' ? { stream: entry, length } : undefined;
  }
}
