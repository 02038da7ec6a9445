import { describe, expect, it } from 'vitest';
import type { GroupReport } from '../../src/app/report/index.js';
import {
  renderGroupReportHtml,
  renderGroupReportJson,
  renderGroupReportMarkdown,
  renderGroupReportText,
} from '../../src/report/index.js';

const counts = (critical: number, high: number) => ({ info: 0, low: 1, medium: 0, high, critical });

const report: GroupReport = {
  generatedAt: '2026-12-04T10:00:00.000Z',
  lang: 'fr',
  group: 'metropole',
  organisations: [
    {
      id: 'commune-a',
      name: 'Commune <A> & "Cie" | pipe',
      index: 72.5,
      delta: -3,
      endpoints: 3,
      counts: counts(1, 2),
      open: 4,
      lastRun: '2026-12-03T02:10:00.000Z',
    },
    { id: 'commune-b', name: 'commune-b', endpoints: 0, counts: counts(0, 0), open: 1 },
  ],
  total: { index: 72.5, endpoints: 3, counts: counts(1, 2), open: 5 },
};

describe('the consolidated view', () => {
  it('has one row per organisation and the total, in text', () => {
    const text = renderGroupReportText(report, 'fr');
    expect(text).toContain('Posture du groupe metropole');
    expect(text).toMatch(/Commune <A> & "Cie" \| pipe \(commune-a\)\s+72,5\s+−3/);
    // A member never analysed: not assessed, never run; its id alone (its name is its id).
    expect(text).toMatch(/\ncommune-b\s+non évalué\s+—\s+0\s+0\s+0\s+1\s+0\s+1\s+jamais/);
    expect(text).toMatch(/Total \(2 organisations\)\s+72,5\s+1\s+2\s+0\s+1\s+0\s+5/);
    expect(renderGroupReportText(report, 'en')).toContain('not assessed');
  });

  it('escapes what organisations are called in HTML and Markdown', () => {
    const html = renderGroupReportHtml(report, 'fr');
    expect(html).toContain('Commune &lt;A&gt; &amp; &quot;Cie&quot;');
    expect(html).not.toContain('<A>');
    expect(html).toContain('<tfoot>');
    const md = renderGroupReportMarkdown(report, 'en');
    expect(md).toContain('# Posture of the group metropole');
    expect(md).not.toMatch(/Cie" \| pipe/);
    expect(md).toContain('**Total (2 organisations)**');
  });

  it('gives the report as built in JSON', () => {
    expect(JSON.parse(renderGroupReportJson(report))).toEqual(report);
  });
});
