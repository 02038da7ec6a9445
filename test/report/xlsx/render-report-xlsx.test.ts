import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { notEvaluatedGrade, type TlsGrade } from '../../../src/domain/index.js';
import { renderReportXlsx } from '../../../src/report/xlsx/index.js';
import { HOSTILE, reportFixture } from '../../helpers/report-fixture.js';

/** The workbook as Excel or LibreOffice would open it, read back by the library from the bytes. */
async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

const rowsOf = (ws: ExcelJS.Worksheet): unknown[][] => {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

describe('renderReportXlsx', () => {
  it('writes one sheet per view, each with a frozen header row and filters on every column', async () => {
    const report = reportFixture('fr');
    const bytes = await renderReportXlsx(report, 'fr');
    expect(Buffer.from(bytes.subarray(0, 2)).toString('latin1')).toBe('PK'); // an Office Open XML zip
    const wb = await readBack(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Constats',
      'Points d’accès',
      'Responsables',
      'Dérogations',
    ]);
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeDefined();
      expect(ws.getRow(1).font?.bold, ws.name).toBe(true);
    }
    expect(wb.getWorksheet('Constats')?.rowCount).toBe(report.findings.length + 1);
    expect(wb.getWorksheet('Points d’accès')?.rowCount).toBe(report.endpoints.length + 1);
    expect(wb.getWorksheet('Responsables')?.rowCount).toBe(report.owners.length + 1);
    expect(wb.getWorksheet('Dérogations')?.rowCount).toBe(report.waivers.length + 1);
  });

  it('gives French headers and values, real dates, and text that never becomes a formula', async () => {
    const fixture = reportFixture('fr');
    const [first, ...others] = fixture.endpoints;
    const graded = {
      ...fixture,
      endpoints: [
        {
          ...first!,
          tlsGrade: { grade: 'B' } as TlsGrade,
          httpGrade: notEvaluatedGrade('timeout', 'pas de réponse', 'observatory-6'),
        },
        ...others,
      ],
    };
    const wb = await readBack(await renderReportXlsx(graded, 'fr'));
    const findings = rowsOf(wb.getWorksheet('Constats')!);
    const header = findings[0] as string[];
    expect(header.slice(0, 5)).toEqual(['Empreinte', 'Statut', 'Sévérité', 'Contrôle', 'Catégorie']);
    const col = (name: string) => header.indexOf(name);
    const expired = findings.find((r) => r[0] === 'fp-expired-www')!;
    expect(expired[col('Statut')]).toBe('ouvert');
    expect(expired[col('Sévérité')]).toBe('critique');
    expect(expired[col('Port')]).toBe(443);
    expect(expired[col('Vu la première fois')]).toEqual(new Date('2025-03-03T02:00:00.000Z'));
    const custom = findings.find((r) => r[0] === 'fp-custom-api')!;
    expect(custom[col('Titre')]).toBe(HOSTILE.title); // a string cell, not { formula: … }
    // A control character XML cannot carry (BEL) is shown as U+FFFD rather than damaging the file.
    expect(custom[col('Constat observé')]).toBe(HOSTILE.evidence.replace('\u0007', '\uFFFD'));

    const endpoints = rowsOf(wb.getWorksheet('Points d’accès')!);
    expect(endpoints[0]).toEqual([
      'Hôte',
      'Port',
      'Actif',
      'Responsable',
      'État',
      'Note TLS',
      'Note HTTP',
      'Dernière analyse',
    ]);
    expect(endpoints.slice(1).some((r) => typeof r[5] === 'string' && /^[A-FTM][+-]?$/.test(r[5]))).toBe(
      true,
    );

    const owners = rowsOf(wb.getWorksheet('Responsables')!);
    expect(owners[0]).toEqual([
      'Responsable',
      'Indice',
      'Points d’accès',
      'critique',
      'haute',
      'moyenne',
      'faible',
      'info',
    ]);
    expect(owners.find((r) => r[0] === HOSTILE.owner)?.slice(1)).toEqual([40, 2, 1, 0, 0, 1, 0]);

    const waivers = rowsOf(wb.getWorksheet('Dérogations')!);
    expect(waivers[1]?.[4]).toBe(HOSTILE.waiverReason);
    expect(waivers[1]?.[7]).toBe('en vigueur');
  });

  it('in English: English sheet names and the identifiers of the CSV', async () => {
    const wb = await readBack(await renderReportXlsx(reportFixture('en'), 'en'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Findings', 'Endpoints', 'Owners', 'Waivers']);
    const header = rowsOf(wb.getWorksheet('Findings')!)[0] as string[];
    expect(header.slice(0, 3)).toEqual(['fingerprint', 'status', 'severity']);
  });
});
