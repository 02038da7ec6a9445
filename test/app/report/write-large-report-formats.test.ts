import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportEstateInventory, seedReportEstate } from '../../../bench/report-estate.js';
import {
  buildLargeReport,
  buildReport,
  writeLargeReportJunit,
  writeLargeReportSarif,
  writeLargeReportXlsx,
} from '../../../src/app/report/index.js';
import type { AppContext } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import { renderReportJunit, renderReportSarif } from '../../../src/report/index.js';
import { renderReportXlsx } from '../../../src/report/xlsx/index.js';
import { openStore } from '../../../src/store/index.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const N = 600;
let dir = '';
let inventory = '';
const ctx = (lang: 'fr' | 'en'): AppContext => ({
  clock: fixedClock(NOW),
  lang,
  dataDir: path.join(dir, 'data'),
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-large-formats-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(inventory, reportEstateInventory(N));
  const store = openStore(path.join(dir, 'data'));
  try {
    await seedReportEstate(store, N, NOW.getTime());
    // A waived finding: a suppression in SARIF, a skipped case in JUnit.
    const [first] = await store.findings.list({ now: NOW.toISOString(), severity: ['high'] });
    if (first)
      await store.waivers.waive(first.fingerprint, {
        reason: 'remplacement prévu <bientôt> & « vite »',
        until: '2027-02-01T00:00:00.000Z',
        by: 'rssi',
        at: '2026-11-30T10:00:00.000Z',
      });
  } finally {
    await store.close();
  }
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pieces a writer gives, joined, and how many there were. */
async function collect(fill: (write: (piece: string) => void) => Promise<void>) {
  let text = '';
  let pieces = 0;
  await fill((piece) => {
    text += piece;
    pieces += 1;
  });
  return { text, pieces };
}

/** Throws on XML that is not well-formed (saxes: another parser than the writer). */
function parseXml(text: string): { suites: number; cases: number } {
  const parser = new SaxesParser();
  let suites = 0;
  let cases = 0;
  parser.on('opentag', (tag) => {
    if (tag.name === 'testsuite') suites += 1;
    if (tag.name === 'testcase') cases += 1;
  });
  parser.write(text).close();
  return { suites, cases };
}

describe('the SARIF and JUnit of a large estate, written as the store’s cursors read', () => {
  it('writes the SARIF log the whole report gives, byte for byte, in fr and en', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const req = { inventoryFile: inventory };
      const whole = await buildReport(ctx(lang), req);
      const expected = renderReportSarif(whole, lang, { toolVersion: '9.9.9' });
      const large = await buildLargeReport(ctx(lang), req);
      expect(large).toBeDefined();
      // Sorted by runs of 97 findings through the spool file, and all in memory.
      for (const runItems of [97, undefined]) {
        const streamed = await collect((write) =>
          writeLargeReportSarif(ctx(lang), req, large!, lang, { toolVersion: '9.9.9' }, write, runItems),
        );
        expect(streamed.text).toBe(expected);
        expect(streamed.pieces).toBeGreaterThan(whole.findings.length);
      }
      const log = JSON.parse(expected) as {
        runs: { results: { suppressions?: unknown[] }[]; tool: { driver: { rules: unknown[] } } }[];
      };
      expect(log.runs[0]?.results.length).toBe(whole.findings.length);
      expect(whole.findings.length).toBeGreaterThan(N * 2);
      expect(log.runs[0]?.results.filter((r) => r.suppressions).length).toBe(1);
      expect(log.runs[0]?.tool.driver.rules.length).toBeGreaterThan(3);
    }
  });

  it('writes the JUnit XML the whole report gives, byte for byte, in fr and en', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const req = { inventoryFile: inventory };
      const whole = await buildReport(ctx(lang), req);
      const expected = renderReportJunit(whole, lang);
      const large = await buildLargeReport(ctx(lang), req);
      const streamed = await collect((write) => writeLargeReportJunit(ctx(lang), req, large!, lang, write));
      expect(streamed.text).toBe(expected);
      const parsed = parseXml(streamed.text);
      expect(parsed.suites).toBe(whole.endpoints.length);
      expect(parsed.cases).toBeGreaterThan(whole.endpoints.length * 3);
      expect(streamed.text).toContain('<skipped message="');
      expect(streamed.text).toContain('<failure message="');
    }
  });

  it('writes no result and no suite from an empty data directory', async () => {
    const empty: AppContext = { clock: fixedClock(NOW), lang: 'en', dataDir: path.join(dir, 'none') };
    const report = await buildReport(empty, {});
    const large = {
      report,
      totals: {
        findings: 0,
        changes: { new: 0, resolved: 0, regressed: 0 },
        certificates: 0,
        tls: { endpoints: 0, grades: [], profiles: [] },
      },
    };
    const sarif = await collect((write) => writeLargeReportSarif(empty, {}, large, 'en', {}, write));
    expect(sarif.text).toBe(renderReportSarif(report, 'en'));
    expect(JSON.parse(sarif.text)).toMatchObject({ version: '2.1.0' });
    const junit = await collect((write) => writeLargeReportJunit(empty, {}, large, 'en', write));
    expect(junit.text).toBe(renderReportJunit(report, 'en'));
    expect(parseXml(junit.text)).toEqual({ suites: 0, cases: 0 });
  });

  it('writes the workbook the whole report gives: same sheets, columns, filters and cell values', async () => {
    /** Each sheet as read back by exceljs's reader: name, filter, frozen view, bold header, values. */
    const readBack = async (bytes: Uint8Array) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      return wb.worksheets.map((ws) => {
        const rows: unknown[][] = [];
        ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
        return {
          name: ws.name,
          autoFilter: ws.autoFilter,
          views: ws.views.map((v) => ({ state: v.state, ySplit: (v as { ySplit?: number }).ySplit })),
          bold: ws.getRow(1).font?.bold,
          widths: ws.columns.map((c) => c.width),
          numFmts: ws.columns.map((_, i) => ws.getRow(2).getCell(i + 1).numFmt),
          rows,
        };
      });
    };
    for (const lang of ['fr', 'en'] as const) {
      const req = { inventoryFile: inventory };
      const whole = await buildReport(ctx(lang), req);
      const expected = await readBack(await renderReportXlsx(whole, lang));
      const large = await buildLargeReport(ctx(lang), req);
      const chunks: Uint8Array[] = [];
      await writeLargeReportXlsx(ctx(lang), req, large!, lang, (chunk) => chunks.push(Buffer.from(chunk)));
      expect(chunks.length).toBeGreaterThan(1);
      const got = await readBack(Buffer.concat(chunks));
      expect(got.map((s) => s.name)).toEqual(expected.map((s) => s.name));
      expect(got[0]?.rows.length).toBe(whole.findings.length + 1);
      expect(got[1]?.rows.length).toBe(whole.endpoints.length + 1);
      expect(got[3]?.rows.length).toBe(2);
      expect(got).toEqual(expected);
    }
  });
});
