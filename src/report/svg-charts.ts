import { SEVERITIES, type Severity } from '../domain/index.js';
import { escapeHtml } from './escape-html.js';

/** Fill colours of the severities, dark enough for white text (contrast ≥ 4.5:1) and for print. */
export const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  critical: '#7f1d1d',
  high: '#b91c1c',
  medium: '#92400e',
  low: '#1e40af',
  info: '#374151',
};

const INK = '#1f2937';
const GRID = '#d1d5db';
const LINE = '#1d4ed8';
const FONT_SIZE = 16;

export interface ChartPoint {
  label: string;
  value: number;
}

interface ChartText {
  /** Prefix of the ids of the chart's <title> and <desc> (unique in the page). */
  id: string;
  /** Accessible name, also shown as a tooltip. */
  title: string;
  /** Longer text alternative; defaults to the values. */
  description?: string;
  width?: number;
  height?: number;
  formatValue?: (value: number) => string;
}

export interface LineChartOptions extends ChartText {
  /** Bottom and top of the value axis (default: 0 and 100, the posture index range). */
  min?: number;
  max?: number;
  /** Shown in place of the line when there is no point. */
  emptyText?: string;
}

export interface SeverityBarsOptions extends ChartText {
  /** The severity names in the report's language. */
  labels: Readonly<Record<Severity, string>>;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function open(o: ChartText, width: number, height: number, description: string): string {
  const id = escapeHtml(o.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"` +
    ` role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" class="chart"` +
    ` font-family="system-ui, sans-serif" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeHtml(o.title)}</title>` +
    `<desc id="${id}-desc">${escapeHtml(description)}</desc>`
  );
}

/**
 * A line chart of values over time as an inline SVG string (no script, no external reference): a
 * value axis with grid lines, the line, a dot per point with its value as a tooltip, the last value
 * written out, and the first and last labels under the axis (more when there is room).
 */
export function lineChart(points: readonly ChartPoint[], opts: LineChartOptions): string {
  const width = opts.width ?? 400;
  const height = opts.height ?? 220;
  const fmt = opts.formatValue ?? num;
  const min = opts.min ?? 0;
  const max = opts.max ?? 100;
  const span = max - min || 1;
  const left = 48;
  const right = 20;
  const top = 16;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const description = opts.description ?? points.map((p) => `${p.label}: ${fmt(p.value)}`).join('; ');
  const parts = [open(opts, width, height, description)];

  for (let i = 0; i <= 4; i += 1) {
    const value = min + (span * i) / 4;
    const y = top + plotH - (plotH * i) / 4;
    parts.push(
      `<line x1="${left}" y1="${num(y)}" x2="${width - right}" y2="${num(y)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${num(y + 5)}" text-anchor="end" fill="${INK}">${escapeHtml(fmt(value))}</text>`,
    );
  }
  if (points.length === 0) {
    parts.push(
      `<text x="${num(left + plotW / 2)}" y="${num(top + plotH / 2)}" text-anchor="middle" fill="${INK}">${escapeHtml(opts.emptyText ?? '')}</text>`,
      '</svg>',
    );
    return parts.join('');
  }

  const x = (i: number) =>
    points.length === 1 ? left + plotW / 2 : left + (plotW * i) / (points.length - 1);
  const y = (v: number) => top + plotH - (plotH * (Math.min(max, Math.max(min, v)) - min)) / span;
  const coords = points.map((p, i) => ({ p, cx: x(i), cy: y(p.value) }));
  if (coords.length > 1) {
    parts.push(
      `<polyline fill="none" stroke="${LINE}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round" points="${coords.map((c) => `${num(c.cx)},${num(c.cy)}`).join(' ')}"/>`,
    );
  }
  for (const c of coords) {
    parts.push(
      `<circle cx="${num(c.cx)}" cy="${num(c.cy)}" r="4.5" fill="#ffffff" stroke="${LINE}" stroke-width="2.5"><title>${escapeHtml(`${c.p.label}: ${fmt(c.p.value)}`)}</title></circle>`,
    );
  }
  const last = coords[coords.length - 1];
  if (last) {
    const anchor = coords.length === 1 ? 'middle' : 'end';
    const ly = last.cy < top + 20 ? last.cy + 22 : last.cy - 10;
    parts.push(
      `<text x="${num(last.cx)}" y="${num(ly)}" text-anchor="${anchor}" font-weight="700" fill="${INK}">${escapeHtml(fmt(last.p.value))}</text>`,
    );
  }
  // Axis labels: the first and the last always, others where they fit without touching a neighbour
  // (width estimated from the label's length at the chart's font size).
  const extent = (i: number): [number, number] => {
    const c = coords[i];
    const w = (c?.p.label.length ?? 0) * FONT_SIZE * 0.6;
    const x0 = c?.cx ?? 0;
    if (coords.length === 1) return [x0 - w / 2, x0 + w / 2];
    if (i === 0) return [x0, x0 + w];
    if (i === coords.length - 1) return [x0 - w, x0];
    return [x0 - w / 2, x0 + w / 2];
  };
  const placed = coords.length > 1 ? [0, coords.length - 1] : [0];
  for (let i = 1; i < coords.length - 1; i += 1) {
    const [a, b] = extent(i);
    if (placed.every((j) => b + 12 < extent(j)[0] || a - 12 > extent(j)[1])) placed.push(i);
  }
  for (const i of placed.sort((a, b) => a - b)) {
    const c = coords[i];
    if (!c) continue;
    const anchor =
      coords.length === 1 ? 'middle' : i === 0 ? 'start' : i === coords.length - 1 ? 'end' : 'middle';
    parts.push(
      `<text x="${num(c.cx)}" y="${height - 12}" text-anchor="${anchor}" fill="${INK}">${escapeHtml(c.p.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Horizontal bars of the finding counts, most serious severity first, each with its name and count
 * written out (colour is never the only carrier of meaning), as an inline SVG string.
 */
export function severityBars(counts: Readonly<Record<Severity, number>>, opts: SeverityBarsOptions): string {
  const order = [...SEVERITIES].reverse();
  const width = opts.width ?? 400;
  const rowH = 34;
  const height = opts.height ?? rowH * order.length + 8;
  const fmt = opts.formatValue ?? num;
  const labelW = 112;
  const countW = 48;
  const barMax = width - labelW - countW;
  const most = Math.max(0, ...order.map((s) => counts[s]));
  const description = opts.description ?? order.map((s) => `${opts.labels[s]}: ${fmt(counts[s])}`).join('; ');
  const parts = [open(opts, width, height, description)];
  order.forEach((s, i) => {
    const count = counts[s];
    const y = 4 + i * rowH;
    const w = most > 0 ? (barMax * Math.max(0, count)) / most : 0;
    parts.push(
      `<text x="${labelW - 8}" y="${y + 21}" text-anchor="end" fill="${INK}">${escapeHtml(opts.labels[s])}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${num(w)}" height="${rowH - 10}" rx="3" fill="${SEVERITY_COLOURS[s]}"/>`,
      `<text x="${num(labelW + w + 6)}" y="${y + 21}" fill="${INK}" font-weight="700">${escapeHtml(fmt(count))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
