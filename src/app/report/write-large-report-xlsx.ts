import { Writable } from 'node:stream';
import type { ReportEndpoint, ReportFinding } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';
import { inventoryIndex, optionalConfig } from '../shared/inventory-index.js';
import { readFacts } from '../shared/stored-facts.js';
import { eachReportFinding, type LargeReport } from './build-large-report.js';
import type { ReportRequest } from './build-report.js';
import { reportEndpointOf } from './report-parts.js';
import { SortedSpool } from './sorted-spool.js';

/** Rows read at a time from the store's cursor of endpoints, and rows added between two waits. */
const BATCH_ROWS = 200;
/** Keeps the order given. */
const asGiven = () => 0;

/**
 * The workbook of a large estate ({@link renderReportXlsx}'s sheets and values for the whole report),
 * written to `write` by exceljs's streaming writer: the store's cursors hand over their rows in one
 * go, so the findings and the endpoints are first set aside in private spool files, in their order;
 * then the rows are added from them, a page at a time, the writer waiting between pages for the zip
 * to take what it has (memory holds a page and the zip's buffers, not the sheets).
 */
export async function writeLargeReportXlsx(
  ctx: AppContext,
  req: Pick<ReportRequest, 'inventoryFile'>,
  large: LargeReport,
  lang: Lang,
  write: (piece: Uint8Array) => void,
): Promise<void> {
  const { XlsxReportWriter } = await import('../../report/xlsx/index.js');
  const { report } = large;
  const findings = new SortedSpool<ReportFinding>(asGiven);
  const endpoints = new SortedSpool<ReportEndpoint>(asGiven);
  try {
    await eachReportFinding(ctx, req, report.generatedAt, (page) => {
      for (const f of page) findings.add(f);
    });
    if (hasDataStore(ctx)) {
      const inventory = inventoryIndex(optionalConfig(req.inventoryFile));
      const store = await openAppStore(ctx);
      try {
        await store.reportQueries.eachLatestEndpoint(BATCH_ROWS, (page) => {
          for (const e of page) {
            const facts = readFacts(e.facts);
            if (!facts.closed) endpoints.add(reportEndpointOf(e, facts, inventory));
          }
        });
      } finally {
        await store.close();
      }
    }
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          write(chunk);
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    });
    const finished = new Promise<void>((resolve, reject) => {
      sink.on('finish', resolve);
      sink.on('error', reject);
    });
    const writer = new XlsxReportWriter(report.generatedAt, lang, sink);
    let page: ReportFinding[] = [];
    for (const f of findings.items()) {
      page.push(f);
      if (page.length < BATCH_ROWS) continue;
      writer.findings(page);
      page = [];
      await writer.settle();
    }
    writer.findings(page);
    findings.close();
    let rows: ReportEndpoint[] = [];
    for (const e of endpoints.items()) {
      rows.push(e);
      if (rows.length < BATCH_ROWS) continue;
      writer.endpoints(rows);
      rows = [];
      await writer.settle();
    }
    writer.endpoints(rows);
    await writer.end(report);
    await finished;
  } finally {
    findings.close();
    endpoints.close();
  }
}
