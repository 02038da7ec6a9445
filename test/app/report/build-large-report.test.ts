import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportEstateInventory, seedReportEstate } from '../../../bench/report-estate.js';
import {
  buildLargeReport,
  buildReport,
  eachReportFinding,
  writeLargeReportJson,
} from '../../../src/app/report/index.js';
import type { AppContext } from '../../../src/app/shared/index.js';
import { fixedClock, type ReportEndpoint, type ReportFinding } from '../../../src/domain/index.js';
import { renderReportJson, SUMMARY_ROWS } from '../../../src/report/index.js';
import { bySeriousness } from '../../../src/report/report-format.js';
import { openStore } from '../../../src/store/index.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const N = 640;
let dir = '';
let inventory = '';
const ctx = (lang: 'fr' | 'en' = 'fr'): AppContext => ({
  clock: fixedClock(NOW),
  lang,
  dataDir: path.join(dir, 'data'),
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-large-report-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(inventory, reportEstateInventory(N));
  const store = openStore(path.join(dir, 'data'));
  try {
    await seedReportEstate(store, N, NOW.getTime());
    // A waiver: the waived finding leaves the counts and stays in the list of findings.
    const [first] = await store.findings.list({ now: NOW.toISOString(), severity: ['critical'] });
    if (first)
      await store.waivers.waive(first.fingerprint, {
        reason: 'remplacement prévu',
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

const GRADE_ORDER = ['T', 'M', 'F', 'E', 'D', 'C', 'B', 'A-', 'A', 'A+'];
const gradeRank = (x: ReportEndpoint) => {
  const g = x.tlsGrade?.grade ?? '—';
  const i = GRADE_ORDER.indexOf(g);
  return i >= 0 ? i : g === 'not-evaluated' ? 11 : g === '—' ? 12 : 10;
};

describe('the report of a large estate, read page by page', () => {
  it('gives what the whole report gives, its long lists cut to their first rows and counted', async () => {
    const whole = await buildReport(ctx(), { inventoryFile: inventory });
    const large = await buildLargeReport(ctx(), { inventoryFile: inventory });
    expect(large).toBeDefined();
    const { report, totals } = large!;
    // Same figures.
    for (const key of [
      'generatedAt',
      'lang',
      'organisation',
      'scoringVersion',
      'since',
      'latestRun',
      'posture',
      'counts',
      'topRisks',
      'domains',
      'owners',
      'categories',
      'waivers',
    ] as const)
      expect(report[key], key).toEqual(whole[key]);
    expect(whole.waivers.length).toBe(1);
    expect(whole.domains?.length).toBeGreaterThan(0);
    expect(whole.domains?.some((d) => d.open > 0)).toBe(true);
    // Long lists: their first rows, and their totals.
    expect(totals.findings).toBe(whole.findings.length);
    expect(report.findings).toEqual([...whole.findings].sort(bySeriousness).slice(0, SUMMARY_ROWS));
    for (const list of ['new', 'resolved', 'regressed'] as const) {
      expect(totals.changes[list]).toBe(whole.changes[list].length);
      expect(report.changes[list]).toEqual(whole.changes[list].slice(0, SUMMARY_ROWS));
    }
    expect(whole.changes.new.length).toBeGreaterThan(0);
    expect(whole.changes.resolved.length).toBeGreaterThan(0);
    expect(totals.certificates).toBe(whole.expiringCertificates.length);
    expect(whole.expiringCertificates.length).toBeGreaterThan(SUMMARY_ROWS);
    expect(report.expiringCertificates).toEqual(whole.expiringCertificates.slice(0, SUMMARY_ROWS));
    // TLS: every TLS endpoint counted by grade and profile, the weakest kept with their detail.
    const tls = whole.endpoints.filter((x) => x.tlsDetail !== undefined);
    expect(totals.tls.endpoints).toBe(tls.length);
    expect(totals.tls.grades.reduce((n, g) => n + g.endpoints, 0)).toBe(tls.length);
    expect(totals.tls.grades.map((g) => g.grade)).toEqual(['T', 'F', 'C', 'B', 'A', 'A+']);
    expect(totals.tls.grades.find((g) => g.grade === 'F')?.endpoints).toBe(
      tls.filter((x) => x.tlsGrade?.grade === 'F').length,
    );
    const anssi = totals.tls.profiles.find((p) => p.profile === 'anssi-1.2');
    expect(anssi?.nonconformant).toBe(
      tls.filter((x) => x.tlsDetail?.profiles?.['anssi-1.2']?.conformant === false).length,
    );
    expect(report.endpoints).toEqual(
      [...tls].sort((a, b) => gradeRank(a) - gradeRank(b)).slice(0, SUMMARY_ROWS),
    );
  });

  it('pages through every open finding in the order of the whole report (the CSV rows)', async () => {
    const whole = await buildReport(ctx('en'), { inventoryFile: inventory });
    const paged: ReportFinding[] = [];
    await eachReportFinding(ctx('en'), { inventoryFile: inventory }, whole.generatedAt, (page) =>
      paged.push(...page),
    );
    expect(paged).toEqual(whole.findings);
  });

  it('writes the whole report’s JSON from the store’s cursors, the same bytes', async () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const since of [undefined, new Date('2026-11-01T00:00:00.000Z')]) {
        const req = { inventoryFile: inventory, ...(since ? { since } : {}) };
        const whole = renderReportJson(await buildReport(ctx(lang), req), lang);
        const large = await buildLargeReport(ctx(lang), req);
        let streamed = '';
        const pieces: number[] = [];
        await writeLargeReportJson(ctx(lang), req, large!, (piece) => {
          pieces.push(piece.length);
          streamed += piece;
        });
        expect(streamed).toBe(whole);
        expect(pieces.length).toBeGreaterThan(1000);
      }
    }
  });

  it('leaves an estate at or under the threshold to the whole report', async () => {
    expect(await buildLargeReport(ctx(), { inventoryFile: inventory }, N)).toBeUndefined();
    expect(await buildLargeReport(ctx(), { inventoryFile: inventory }, N - 1)).toBeUndefined();
    expect(await buildLargeReport(ctx(), { inventoryFile: inventory }, N - 10)).toBeDefined();
  });
});
