import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, renderReportCsv } from '../../src/report/index.js';
import { HOSTILE, reportFixture } from '../helpers/report-fixture.js';

/** A strict RFC 4180 reader: fields separated by commas (or `sep`), records by CRLF, quotes doubled inside quotes. */
function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length) throw new Error('last record without CRLF');
  return rows;
}

describe('renderReportCsv in English: identifiers for scripts', () => {
  const report = reportFixture('fr');
  const csv = renderReportCsv(report, 'en');
  const rows = parseCsv(csv);
  const header = rows[0] ?? [];
  const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));

  it('has the header row and one row per finding, every row as wide as the header', () => {
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(report.findings.length);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('round-trips values, including commas, quotes and line breaks', () => {
    const expired = records.find((r) => r.fingerprint === 'fp-expired-www');
    expect(expired).toMatchObject({
      status: 'open',
      severity: 'critical',
      checkId: 'tls.cert.expired',
      category: 'tls',
      host: 'www.exemple.fr',
      port: '443',
      assetId: 'portail',
      owner: 'DSI - pôle web',
      title: 'Certificat expiré',
      firstSeen: '2025-03-03T02:00:00.000Z',
      lastSeen: '2025-03-31T02:00:00.000Z',
      waiverReason: '',
    });
    const custom = records.find((r) => r.fingerprint === 'fp-custom-api');
    expect(custom?.evidence).toBe(HOSTILE.evidence);
    expect(custom?.owner).toBe(HOSTILE.owner);
  });

  it('gives a waived finding its reason and expiry', () => {
    const waived = records.find((r) => r.fingerprint === 'fp-tls10-www');
    expect(waived?.status).toBe('waived');
    expect(waived?.waiverReason).toBe(HOSTILE.waiverReason);
    expect(waived?.waiverUntil).toBe('2025-09-30T00:00:00.000Z');
  });

  it('defuses spreadsheet formulas', () => {
    const custom = records.find((r) => r.fingerprint === 'fp-custom-api');
    expect(custom?.title).toBe(`'${HOSTILE.title}`);
    expect(custom?.remediation).toBe("'-Retirez l’en-tête X-Powered-By.");
    for (const prefix of ['=', '+', '-', '@', '\t']) expect(csvField(`${prefix}cmd`)).toMatch(/^"?'/);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(443)).toBe('443');
    expect(csvField(undefined)).toBe('');
  });
});

// What French Excel and LibreOffice open with a double click: the byte-order mark tells them UTF-8
// (else « Sévérité » shows as « SÃ©vÃ©ritÃ© »), `;` separates the fields (`,` is the decimal comma).
describe('renderReportCsv in French: what French Excel opens', () => {
  const report = reportFixture('fr');
  const csv = renderReportCsv(report, 'fr');
  const bytes = Buffer.from(csv, 'utf8');
  const rows = parseCsv(csv.replace(/^\uFEFF/, ''), ';');
  const header = rows[0] ?? [];
  const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));

  it('starts with the UTF-8 byte-order mark and separates fields with semicolons', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split('\r\n')[0]?.split(';')).toHaveLength(CSV_COLUMNS.length);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
    expect(records).toHaveLength(report.findings.length);
  });

  it('has French headers and values', () => {
    expect(header.slice(0, 6)).toEqual(['Empreinte', 'Statut', 'Sévérité', 'Contrôle', 'Catégorie', 'Hôte']);
    expect(records.find((r) => r['Empreinte'] === 'fp-expired-www')).toMatchObject({
      Statut: 'ouvert',
      Sévérité: 'critique',
      Contrôle: 'tls.cert.expired',
      Catégorie: 'TLS',
      Titre: 'Certificat expiré',
    });
    expect(records.find((r) => r['Empreinte'] === 'fp-tls10-www')?.['Statut']).toBe('dérogé');
  });

  it('quotes a semicolon inside a value, and still defuses formulas', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    const custom = records.find((r) => r['Empreinte'] === 'fp-custom-api');
    expect(custom?.['Constat observé']).toBe(HOSTILE.evidence);
    expect(custom?.['Titre']).toBe(`'${HOSTILE.title}`);
  });
});
