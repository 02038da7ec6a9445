import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TREND_CHART_SIZE, postureTrendChart } from '../../../src/report/index.js';
import { renderSvgToPng } from '../../../src/report/png/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

interface Decoded {
  width: number;
  height: number;
  /** The pixel at (x, y) as #rrggbb. */
  at(x: number, y: number): string;
  /** Rows (top, bottom) holding dark pixels (text ink) within x0..x1, y0..y1; undefined when none. */
  inkRows(x0: number, x1: number, y0: number, y1: number): [number, number] | undefined;
}

/** Decoded by pngjs (its own inflate and CRC checks), not by the code under test. */
function decode(png: Buffer): Decoded {
  const image = PNG.sync.read(png);
  const px = (x: number, y: number) =>
    image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3);
  return {
    width: image.width,
    height: image.height,
    at: (x, y) => `#${[...px(x, y)].map((b) => b.toString(16).padStart(2, '0')).join('')}`,
    inkRows(x0, x1, y0, y1) {
      const rows: number[] = [];
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++)
          if ([...px(x, y)].every((b) => b < 110)) {
            rows.push(y);
            break;
          }
      const [top] = rows;
      return top === undefined ? undefined : [top, rows[rows.length - 1] ?? top];
    },
  };
}

// The fixture's trend: 58 → 61.5 → 64 → 63 → 69.5 → 72.5, from 2025-02-24 to 2025-03-31.
// Chart geometry (svg-charts.ts, 400 × 220): plot from x 48 to 380, y 16 to 180; labels baseline y 208.
const svg = postureTrendChart(reportFixture('fr'), 'fr') ?? '';
const x = (i: number) => 2 * (48 + (332 * i) / 5);
const y = (value: number) => 2 * (16 + 164 - 1.64 * value);

describe('the trend chart rendered to PNG (resvg, shipped fonts)', () => {
  it('is the report’s SVG at twice its size', () => {
    expect(svg).toContain('<svg');
    const image = decode(renderSvgToPng(svg));
    expect([image.width, image.height]).toEqual([2 * TREND_CHART_SIZE.width, 2 * TREND_CHART_SIZE.height]);
  });

  it('draws the line, the points and the grid where the SVG puts them', () => {
    const image = decode(renderSvgToPng(svg));
    expect(image.at(4, 4)).toBe('#ffffff'); // background
    expect(image.at(Math.round(x(0)), Math.round(y(58)))).toBe('#ffffff'); // inside the first point
    expect(image.at(Math.round(x(0)) + 9, Math.round(y(58)))).toBe('#1d4ed8'); // its ring
    expect(image.at(Math.round((x(0) + x(1)) / 2), Math.round((y(58) + y(61.5)) / 2))).toBe('#1d4ed8'); // the line
    expect(image.at(600, Math.round(y(25)))).toBe('#d1d5db'); // grid line at 25
    expect(image.at(600, Math.round(y(25)) + 12)).toBe('#ffffff');
  });

  it('writes the dates under the axis and the values beside it, in readable type (≥ 11 px at 1×)', () => {
    const image = decode(renderSvgToPng(svg));
    // First date (2025-02-24), left-aligned at x 48; last date, right-aligned at x 380.
    const first = image.inkRows(96, 260, 372, 439);
    const last = image.inkRows(600, 759, 372, 439);
    // Nothing between them: the intermediate dates do not fit and are left out.
    expect(image.inkRows(330, 560, 372, 439)).toBeUndefined();
    // Digits of an 11 px font are about 7.6 px tall at 1×, so at least 15 px here.
    for (const rows of [first, last]) {
      expect(rows).toBeDefined();
      const [top, bottom] = rows ?? [0, 0];
      expect(bottom - top + 1).toBeGreaterThanOrEqual(15);
      expect(bottom).toBeLessThanOrEqual(2 * 208 + 2); // on the baseline, under the plot
    }
    // "100" right-aligned at x 42 on the top grid line.
    expect(image.inkRows(40, 84, 12, 46)).toBeDefined();
  });

  it('reads no system font: the same SVG gives the same bytes whatever font the machine has', () => {
    const png = renderSvgToPng(svg);
    expect(renderSvgToPng(svg).equals(png)).toBe(true);
    // DejaVu Sans is on Debian machines with fonts; the renderer must not pick it up.
    const asked = svg.replace('font-family="system-ui, sans-serif"', 'font-family="DejaVu Sans"');
    expect(asked).not.toBe(svg);
    expect(renderSvgToPng(asked).equals(png)).toBe(true);
  });

  it('is refused by the decoder when a chunk is damaged', () => {
    const png = renderSvgToPng(svg);
    png.writeUInt8(png.readUInt8(png.length - 20) ^ 0xff, png.length - 20); // inside the last IDAT bytes
    expect(() => PNG.sync.read(png)).toThrow();
  });
});
