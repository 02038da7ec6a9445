import { describe, expect, it } from 'vitest';
import { renderTable, renderTableLines } from '../../src/report/table.js';
import { prettyJsonChunks } from '../../src/report/pretty-json-chunks.js';

describe('renderTableLines', () => {
  it('gives the lines of renderTable, reading the rows twice (widths, then lines)', () => {
    const header = ['Point d’accès', 'État', 'Total'];
    const rows = [
      ['h1.vigie.test:443', 'évalué', '12'],
      ['un-nom-bien-plus-long.vigie.test:8443', 'erreur', ''],
      ['', 'Total', '1234567'],
    ];
    let passes = 0;
    const lines = [
      ...renderTableLines(header, () => {
        passes += 1;
        return rows;
      }),
    ];
    expect(passes).toBe(2);
    expect(lines.join('\n')).toBe(renderTable(header, rows));
    expect([...renderTableLines(header, () => [])].join('\n')).toBe(renderTable(header, []));
  });
});

describe('prettyJsonChunks of a list read on demand', () => {
  it('writes it as the array it iterates, without calling its toJSON', () => {
    const items = [{ a: 1, b: [1, 2] }, { c: 'é\n' }];
    const view = (list: unknown[]) => ({
      length: list.length,
      *[Symbol.iterator]() {
        yield* list;
      },
      toJSON(): never {
        throw new Error('gathered');
      },
    });
    const value = { run: { id: 'x' }, endpoints: view(items), findings: view([]), posture: { index: 3 } };
    const plain = { run: { id: 'x' }, endpoints: items, findings: [], posture: { index: 3 } };
    expect([...prettyJsonChunks(value)].join('')).toBe(JSON.stringify(plain, null, 2));
  });
});
