import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ReportFinding } from '../../../src/domain/index.js';
import { XlsxReportWriter } from '../../../src/report/xlsx/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

const PAGES = 60;
const PAGE_ROWS = 200;

/** A page of findings: the fixture's, each made distinct, `PAGE_ROWS` rows in all. */
function page(base: readonly ReportFinding[], n: number): ReportFinding[] {
  return Array.from({ length: PAGE_ROWS }, (_, i) => {
    const f = base[i % base.length]!;
    return { ...f, fingerprint: `${f.fingerprint}-${n}-${i}` };
  });
}

describe('XlsxReportWriter', () => {
  it('waits between pages until the zip has taken the sheet: what it holds stays bounded', async () => {
    const report = reportFixture('en');
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const finished = new Promise((resolve) => sink.on('finish', resolve));
    const writer = new XlsxReportWriter(report.generatedAt, 'en', sink);
    let most = 0;
    for (let n = 0; n < PAGES; n++) {
      writer.findings(page(report.findings, n));
      // exceljs and archiver still have the shape the writer reads (else it would never wait).
      expect(writer.backlog()).toBeTypeOf('number');
      await writer.settle();
      most = Math.max(most, writer.backlog()!);
    }
    writer.endpoints(report.endpoints);
    await writer.end(report);
    await finished;
    // A sheet of 12 000 rows is some 10 MB of XML; no more than about 1 MiB waits for the zip.
    expect(most).toBeLessThanOrEqual(1024 * 1024);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.rowCount).toBe(PAGES * PAGE_ROWS + 1);
    expect(wb.worksheets[1]?.rowCount).toBe(report.endpoints.length + 1);
  });

  it('stops waiting with the error when the output fails', async () => {
    const report = reportFixture('en');
    let written = 0;
    const sink = new Writable({
      write(_chunk: Buffer, _encoding, done) {
        written += 1;
        done(written > 2 ? new Error('disk full') : undefined);
      },
    });
    const writer = new XlsxReportWriter(report.generatedAt, 'en', sink);
    const run = async () => {
      for (let n = 0; n < PAGES; n++) {
        writer.findings(page(report.findings, n));
        await writer.settle();
      }
    };
    await expect(run()).rejects.toThrow('disk full');
  });
});
