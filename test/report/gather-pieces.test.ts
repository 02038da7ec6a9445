import { describe, expect, it } from 'vitest';
import { gatherPieces } from '../../src/report/index.js';

describe('gatherPieces', () => {
  it('writes the same text in pieces of about 64 KiB, the rest at the end', () => {
    const written: string[] = [];
    const gathered = gatherPieces((piece) => written.push(piece));
    const small = Array.from({ length: 20_000 }, (_, i) => `cellule ${i};`);
    for (const piece of small) gathered.write(piece);
    const before = written.length;
    gathered.end();
    expect(written.join('')).toBe(small.join(''));
    expect(before).toBeGreaterThan(1);
    expect(written.length).toBe(before + 1);
    for (const piece of written.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(65_536);
    expect(written.at(-1)!.length).toBeLessThan(65_536);
  });
});
