import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/report/sparkline.js';

describe('sparkline', () => {
  it('draws one block per value, lowest to highest', () => {
    expect(sparkline([10, 40, 70, 100])).toBe('▁▃▆█');
  });

  it('puts a flat series in the middle and handles one value', () => {
    expect(sparkline([50, 50, 50])).toBe('▄▄▄');
    expect(sparkline([72])).toBe('▄');
  });

  it('is empty without values and shows a gap for a missing one', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([0, Number.NaN, 100])).toBe('▁ █');
  });
});
