import type { PostureReport } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { formatDate, formatIndex, labelled } from './report-format.js';
import { lineChart } from './svg-charts.js';

/** Size of the trend chart in CSS pixels (the e-mail shows its PNG at this size, drawn at 2×). */
export const TREND_CHART_SIZE = { width: 400, height: 220 } as const;

/**
 * The posture index over the runs of the report, as an SVG line chart with the dates under the axis:
 * the HTML report shows it inline, the weekly e-mail as a PNG rendered from this same SVG.
 * Undefined when there is no run to draw.
 */
export function postureTrendChart(report: PostureReport, lang: Lang): string | undefined {
  const points = report.posture.trend.map((p) => ({ label: formatDate(p.at), value: p.index }));
  if (points.length === 0) return undefined;
  const fmt = (v: number) => formatIndex(v, lang);
  return lineChart(points, {
    id: 'trend-chart',
    title: t(lang, 'posture-report.trend.chart'),
    description: points.map((p) => labelled(lang, p.label, fmt(p.value))).join(' · '),
    formatValue: fmt,
    ...TREND_CHART_SIZE,
  });
}
