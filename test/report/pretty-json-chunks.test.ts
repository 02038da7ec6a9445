import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prettyJsonChunks, writePrettyJson } from '../../src/report/index.js';

const whole = (v: unknown) => [...prettyJsonChunks(v)].join('');

describe('prettyJsonChunks', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes, in pieces', () => {
    const sample = {
      run: { id: 'r', startedAt: new Date('2025-03-01T02:00:00Z'), targets: ['inventory'], saved: true },
      summary: { endpoints: 2, bySeverity: { high: 1 } },
      endpoints: [{ host: 'a', checks: {}, tls: undefined }, undefined, { host: 'b\n"c"', list: [] }],
      findings: [],
      nothing: undefined,
      empty: {},
      text: 'é\u2028',
    };
    expect(whole(sample)).toBe(JSON.stringify(sample, null, 2));
    expect([...prettyJsonChunks(sample)].length).toBeGreaterThan(5);
    expect(whole({})).toBe('{}');
    expect(whole({ a: undefined })).toBe('{}');
    expect(whole([1, 2])).toBe(JSON.stringify([1, 2], null, 2));
    expect(whole('x')).toBe('"x"');
    let out = '';
    writePrettyJson(sample, (p) => (out += p));
    expect(out).toBe(`${JSON.stringify(sample, null, 2)}\n`);
  });

  it('matches JSON.stringify on any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))), (v) => {
        expect(whole(v)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('matches JSON.stringify on any JSON value, nested objects and arrays included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        expect(whole(v)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a nested object key by key, its arrays item by item, never one string of the whole', () => {
    class Score {
      constructor(readonly assetId: string) {}
    }
    const byAsset = Array.from({ length: 1000 }, (_, i) => ({ assetId: `a${i}`, index: i, grade: 'B' }));
    const sample = {
      posture: { index: 72, byAsset, nothing: undefined, at: new Date(0), score: new Score('x'), none: [] },
      list: [[1, [2]], { a: { b: {} } }, undefined, () => 1],
    };
    expect(whole(sample)).toBe(JSON.stringify(sample, null, 2));
    const longest = Math.max(...[...prettyJsonChunks(sample)].map((c) => c.length));
    expect(longest).toBeLessThan(200);
  });

  it('iterates a nested list read on demand, never its toJSON', () => {
    const items = [{ host: 'a' }, { host: 'b' }];
    const list = {
      length: items.length,
      *[Symbol.iterator]() {
        yield* items;
      },
      toJSON(): never {
        throw new Error('gathered whole');
      },
    };
    expect(whole({ result: { endpoints: list } })).toBe(
      JSON.stringify({ result: { endpoints: items } }, null, 2),
    );
  });
});
