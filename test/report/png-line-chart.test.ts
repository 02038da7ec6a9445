import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, renderPngLineChart } from '../../src/report/index.js';

describe('renderPngLineChart', () => {
  it('writes a valid PNG of the asked size whose IDAT inflates to the raster length', () => {
    const png = renderPngLineChart([40, 55, 72, 68, 80], { width: 480, height: 160 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(480);
    expect(png.readUInt32BE(20)).toBe(160);
    expect(png[24]).toBe(8);
    expect(png[25]).toBe(2);
    // Walk the chunks, checking each CRC, and gather the IDAT data.
    let offset = 8;
    const idat: Buffer[] = [];
    const types: string[] = [];
    while (offset < png.length) {
      const len = png.readUInt32BE(offset);
      const type = png.subarray(offset + 4, offset + 8);
      const data = png.subarray(offset + 8, offset + 8 + len);
      expect(png.readUInt32BE(offset + 8 + len)).toBe(crc32(Buffer.concat([type, data])));
      types.push(type.toString('ascii'));
      if (type.toString('ascii') === 'IDAT') idat.push(data);
      offset += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(Buffer.concat(idat));
    expect(raw.length).toBe((480 * 3 + 1) * 160);
    // Something was drawn (not all white).
    expect(raw.some((b, i) => i % (480 * 3 + 1) !== 0 && b !== 255)).toBe(true);
  });

  it('handles a single value and an empty trend', () => {
    expect(renderPngLineChart([72]).length).toBeGreaterThan(50);
    expect(renderPngLineChart([]).readUInt32BE(16)).toBe(480);
  });
});
