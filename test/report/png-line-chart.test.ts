import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderPngLineChart } from '../../src/report/index.js';

/** Decodes with pngjs (its own inflate and CRC checks, not ours) and reads one pixel as #rrggbb. */
function decode(png: Buffer): { width: number; height: number; at: (x: number, y: number) => string } {
  const image = PNG.sync.read(png);
  return {
    width: image.width,
    height: image.height,
    at: (x, y) => {
      const i = (y * image.width + x) * 4;
      return `#${[...image.data.subarray(i, i + 3)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    },
  };
}

describe('renderPngLineChart', () => {
  it('writes a PNG that an independent decoder reads, of the asked size, with the chart drawn where expected', () => {
    const image = decode(renderPngLineChart([40, 55, 72, 68, 80], { width: 480, height: 160 }));
    expect([image.width, image.height]).toEqual([480, 160]);
    expect(image.at(470, 2)).toBe('#ffffff'); // background
    expect(image.at(20, 80)).toBe('#64748b'); // value axis (x = 20)
    expect(image.at(300, 150)).toBe('#64748b'); // time axis (y = 150)
    expect(image.at(200, 79)).toBe('#e2e8f0'); // grid line at 50 (y = 150 − 0.5 × 142)
    expect(image.at(28, 94)).toBe('#0f172a'); // first point: 40 at x = 28
  });

  it('handles a single value and an empty trend', () => {
    expect(decode(renderPngLineChart([72])).width).toBe(480);
    expect(decode(renderPngLineChart([])).height).toBe(160);
  });

  it('is refused by the decoder when a chunk is damaged', () => {
    const png = renderPngLineChart([40, 80]);
    png.writeUInt8(png.readUInt8(png.length - 20) ^ 0xff, png.length - 20); // inside the last IDAT bytes
    expect(() => PNG.sync.read(png)).toThrow();
  });
});
