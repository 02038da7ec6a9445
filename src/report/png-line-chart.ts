import { deflateSync } from 'node:zlib';

/** One value of the chart, 0–100 (the posture index). */
export interface PngChartOptions {
  width?: number;
  height?: number;
}

type Rgb = readonly [number, number, number];

const GRID: Rgb = [226, 232, 240];
const AXIS: Rgb = [100, 116, 139];
const LINE: Rgb = [29, 78, 216];
const POINT: Rgb = [15, 23, 42];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes an RGB raster (width × height × 3 bytes) as a PNG (8-bit truecolour, filter 0). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

class Raster {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3).fill(255);
  }
  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = (yi * this.width + xi) * 3;
    this.pixels[i] = c[0];
    this.pixels[i + 1] = c[1];
    this.pixels[i + 2] = c[2];
  }
  hline(x0: number, x1: number, y: number, c: Rgb): void {
    for (let x = x0; x <= x1; x++) this.set(x, y, c);
  }
  vline(x: number, y0: number, y1: number, c: Rgb): void {
    for (let y = y0; y <= y1; y++) this.set(x, y, c);
  }
  /** A line 2 px thick. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      this.set(x, y, c);
      this.set(x, y + 1, c);
    }
  }
  dot(cx: number, cy: number, r: number, c: Rgb): void {
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) this.set(cx + dx, cy + dy, c);
  }
}

// 3×5 digit glyphs, one row of 3 bits per line (for the 0 / 50 / 100 axis labels).
const DIGITS: Record<string, readonly number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '5': [7, 4, 7, 1, 7],
};

function digits(r: Raster, text: string, x: number, y: number, c: Rgb): void {
  let cx = x;
  for (const ch of text) {
    const rows = DIGITS[ch] ?? [];
    rows.forEach((bits, row) => {
      for (let col = 0; col < 3; col++) if (bits & (4 >> col)) r.set(cx + col, y + row, c);
    });
    cx += 4;
  }
}

/**
 * The posture index trend as a small PNG line chart (default 480×160, axis 0–100, one point per
 * value, oldest first), for mail clients, which do not render SVG. Pure.
 */
export function renderPngLineChart(values: readonly number[], options: PngChartOptions = {}): Buffer {
  const width = options.width ?? 480;
  const height = options.height ?? 160;
  const r = new Raster(width, height);
  const left = 20;
  const right = width - 10;
  const top = 8;
  const bottom = height - 10;
  const yOf = (v: number) => bottom - (Math.max(0, Math.min(100, v)) / 100) * (bottom - top);
  for (const v of [25, 50, 75, 100]) r.hline(left, right, Math.round(yOf(v)), GRID);
  r.vline(left, top, bottom, AXIS);
  r.hline(left, right, bottom, AXIS);
  digits(r, '100', 2, Math.round(yOf(100)) - 2, AXIS);
  digits(r, '50', 6, Math.round(yOf(50)) - 2, AXIS);
  digits(r, '0', 10, Math.round(yOf(0)) - 4, AXIS);
  const n = values.length;
  const xOf = (i: number) => (n <= 1 ? (left + right) / 2 : left + 8 + (i * (right - left - 16)) / (n - 1));
  const points = values.map((v, i) => [Math.round(xOf(i)), Math.round(yOf(v))] as const);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a && b) r.line(a[0], a[1], b[0], b[1], LINE);
  }
  for (const [x, y] of points) r.dot(x, y, 3, POINT);
  return encodePng(width, height, r.pixels);
}
