import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SortedSpool } from '../../../src/app/report/sorted-spool.js';

interface Item {
  key: number;
  order: number;
  text: string;
}
const byKey = (a: Item, b: Item) => a.key - b.key;

/** Pseudo-random keys from a fixed seed, with many ties. */
function items(n: number): Item[] {
  let seed = 42;
  return Array.from({ length: n }, (_, order) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return { key: seed % 97, order, text: `élément ${order} ${'x'.repeat(seed % 50)}` };
  });
}

describe('a spool that gives items back sorted', () => {
  it('merges runs set aside in a file: the order of a stable sort of them all', () => {
    for (const [n, run] of [
      [0, 10],
      [9, 10],
      [10, 10],
      [1000, 7],
      [1000, 333],
    ] as const) {
      const given = items(n);
      const spool = new SortedSpool<Item>(byKey, run);
      for (const item of given) spool.add(item);
      const got: Item[] = [];
      spool.each((item, position) => {
        expect(position).toBe(got.length);
        got.push(item);
      });
      spool.close();
      expect(got).toEqual([...given].sort(byKey));
    }
  });

  it('removes its file when closed', () => {
    const before = new Set(fs.readdirSync(os.tmpdir()));
    const spool = new SortedSpool<Item>(byKey, 5);
    for (const item of items(20)) spool.add(item);
    const made = fs.readdirSync(os.tmpdir()).filter((f) => !before.has(f));
    expect(made.filter((f) => f.startsWith('vigie-scan-')).length).toBe(1);
    spool.close();
    spool.close();
    expect(fs.readdirSync(os.tmpdir()).filter((f) => made.includes(f))).toEqual([]);
  });
});
