import { describe, expect, it } from 'vitest';
import { lineChart, severityBars } from '../../src/report/svg-charts.js';

const labels = { critical: 'critique', high: 'haute', medium: 'moyenne', low: 'faible', info: 'info' };

describe('lineChart', () => {
  const points = [
    { label: '2025-03-17', value: 63 },
    { label: '2025-03-24', value: 69.5 },
    { label: '2025-03-31', value: 72.5 },
  ];

  it('is an accessible inline SVG with a title and a text alternative', () => {
    const svg = lineChart(points, { id: 'trend', title: 'Évolution', description: 'trois mesures' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="trend-title"');
    expect(svg).toContain('<title id="trend-title">Évolution</title>');
    expect(svg).toContain('<desc id="trend-desc">trois mesures</desc>');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('draws the line through every point, higher values higher up', () => {
    const svg = lineChart(points, { id: 't', title: 'T' });
    const polyline = /<polyline[^>]* points="([^"]+)"/.exec(svg)?.[1] ?? '';
    const ys = polyline.split(' ').map((pair) => Number(pair.split(',')[1]));
    expect(ys).toHaveLength(3);
    expect(ys[0]).toBeGreaterThan(ys[1] ?? 0);
    expect(ys[1]).toBeGreaterThan(ys[2] ?? 0);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('<title>2025-03-31: 72.5</title>');
  });

  it('always labels the first and last point, and never lets axis labels touch', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      label: `S${String(i + 1).padStart(2, '0')}`,
      value: 50 + i,
    }));
    const svg = lineChart(many, { id: 't', title: 'T' });
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="\d+" text-anchor="(\w+)"[^>]*>(S\d\d)</g)].map(
      (m) => ({
        x: Number(m[1]),
        anchor: m[2],
        label: m[3],
      }),
    );
    expect(labels[0]?.label).toBe('S01');
    expect(labels[labels.length - 1]?.label).toBe('S12');
    expect(labels.length).toBeGreaterThan(2);
    const extent = (l: (typeof labels)[number]) => {
      const w = 3 * 16 * 0.6;
      return l.anchor === 'start'
        ? [l.x, l.x + w]
        : l.anchor === 'end'
          ? [l.x - w, l.x]
          : [l.x - w / 2, l.x + w / 2];
    };
    for (let i = 1; i < labels.length; i += 1) {
      const prev = labels[i - 1];
      const cur = labels[i];
      if (prev && cur) expect(extent(cur)[0]).toBeGreaterThan(extent(prev)[1] ?? 0);
    }
  });

  it('uses the value formatter for axis and labels', () => {
    const svg = lineChart(points, { id: 't', title: 'T', formatValue: (v) => String(v).replace('.', ',') });
    expect(svg).toContain('>72,5</text>');
  });

  it('shows a message instead of a line when there is no point, and a dot for one', () => {
    const empty = lineChart([], { id: 't', title: 'T', emptyText: 'pas encore d’historique' });
    expect(empty).not.toContain('<polyline');
    expect(empty).toContain('pas encore d’historique');
    const one = lineChart([{ label: 'a', value: 50 }], { id: 't', title: 'T' });
    expect(one).not.toContain('<polyline');
    expect(one.match(/<circle /g)).toHaveLength(1);
  });

  it('escapes hostile labels and titles', () => {
    const svg = lineChart([{ label: '<script>x</script>', value: 1 }], { id: 'a"b', title: '<b>&' });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('id="a&quot;b-title"');
  });
});

describe('severityBars', () => {
  it('draws a bar per severity, most serious first, longest for the largest count', () => {
    const svg = severityBars(
      { critical: 2, high: 0, medium: 4, low: 1, info: 0 },
      { id: 'sev', title: 'Constats', labels },
    );
    const names = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(names).toEqual(['critique', 'haute', 'moyenne', 'faible', 'info']);
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(5);
    expect(Math.max(...widths)).toBe(widths[2]);
    expect(widths[1]).toBe(0);
    expect(widths[0]).toBeCloseTo((widths[2] ?? 0) / 2, 0);
    expect(svg).toContain('<desc id="sev-desc">critique: 2; haute: 0; moyenne: 4; faible: 1; info: 0</desc>');
  });

  it('handles all-zero counts without dividing by zero', () => {
    const svg = severityBars(
      { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      { id: 's', title: 'S', labels },
    );
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });
});
