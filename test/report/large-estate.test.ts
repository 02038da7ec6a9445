import { describe, expect, it } from 'vitest';
import type { PostureReport } from '../../src/domain/index.js';
import {
  isLargeEstate,
  LARGE_ESTATE_ENDPOINTS,
  renderReportHtml,
  renderReportMarkdown,
  renderReportText,
  SUMMARY_ROWS,
} from '../../src/report/index.js';
import { reportFixture } from '../helpers/report-fixture.js';

/** The fixture grown to a large estate: many findings, all of them new. */
function large(): PostureReport {
  const base = reportFixture('fr');
  const template = base.findings[0]!;
  const findings = Array.from({ length: SUMMARY_ROWS * 3 }, (_, i) => ({
    ...template,
    fingerprint: `fp-${i}`,
    host: `h${i}.exemple.fr`,
  }));
  return {
    ...base,
    findings,
    changes: { ...base.changes, new: findings },
    endpoints: Array.from({ length: LARGE_ESTATE_ENDPOINTS + 1 }, (_, i) => ({
      ...base.endpoints[0]!,
      host: `h${i}.exemple.fr`,
    })),
  };
}

const hostsIn = (text: string) => new Set(text.match(/h\d+\.exemple\.fr/g) ?? []).size;

describe('reports of a large estate', () => {
  it('list the most serious rows only, name the CSV with the rest, and keep the full counts', () => {
    const report = large();
    expect(isLargeEstate(report)).toBe(true);
    expect(isLargeEstate(reportFixture('fr'))).toBe(false);
    const detail = { file: 'rapport.csv' };
    for (const render of [renderReportHtml, renderReportMarkdown, renderReportText]) {
      const full = render(report, 'fr');
      const summary = render(report, 'fr', detail);
      expect(hostsIn(full)).toBe(SUMMARY_ROWS * 3);
      // At most SUMMARY_ROWS per list (new findings, all findings).
      expect(hostsIn(summary)).toBeLessThanOrEqual(SUMMARY_ROWS * 2);
      expect(summary).toContain('rapport.csv');
      expect(summary).toContain(`${SUMMARY_ROWS * 3}`);
      expect(summary.length).toBeLessThan(full.length / 2);
      expect(full).not.toContain('rapport.csv');
    }
  });
});
