import { describe, expect, it } from 'vitest';
import type { PostureReport } from '../../src/domain/index.js';
import { renderReportJson } from '../../src/report/index.js';
import { reportFixture } from '../helpers/report-fixture.js';

describe('renderReportJson', () => {
  const report = reportFixture('fr');
  const json = renderReportJson(report, 'fr');

  it('is the report itself as data, pretty-printed', () => {
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json).toContain('\n  "generatedAt": "2025-03-31T08:15:00.000Z",\n');
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('puts the top level in reading order and sorts nested keys', () => {
    const top = Object.keys(JSON.parse(json) as object);
    expect(top.slice(0, 7)).toEqual([
      'generatedAt',
      'lang',
      'organisation',
      'scoringVersion',
      'since',
      'latestRun',
      'posture',
    ]);
    const parsed = JSON.parse(json) as PostureReport;
    const keys = Object.keys(parsed.findings[0] ?? {});
    expect(keys).toEqual([...keys].sort());
  });

  it('prints equal data identically whatever the order keys were set in', () => {
    const shuffled = Object.fromEntries(
      Object.entries(report)
        .reverse()
        .map(([k, v]) => [k, v]),
    ) as unknown as PostureReport;
    const findings = report.findings.map(
      (f) => Object.fromEntries(Object.entries(f).reverse()) as unknown as (typeof report.findings)[number],
    );
    expect(renderReportJson({ ...shuffled, findings }, 'en')).toBe(json);
  });

  it('keeps hostile strings as JSON strings', () => {
    const parsed = JSON.parse(json) as PostureReport;
    expect(parsed.findings.find((f) => f.checkId === 'custom.powered-by')?.evidence).toContain(
      "<script>alert('evidence')</script>",
    );
  });
});
