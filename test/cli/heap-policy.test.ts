import { describe, expect, it } from 'vitest';
import { heapPolicy } from '../../src/cli/launch.js';

describe('heapPolicy (VIGIE_HEAP)', () => {
  it('asks V8 to optimise for size unless told VIGIE_HEAP=fast', () => {
    expect(heapPolicy({})).toBe('small');
    expect(heapPolicy({ VIGIE_HEAP: '' })).toBe('small');
    expect(heapPolicy({ VIGIE_HEAP: 'small' })).toBe('small');
    expect(heapPolicy({ VIGIE_HEAP: 'fast' })).toBe('fast');
    expect(heapPolicy({ VIGIE_HEAP: ' Fast ' })).toBe('fast');
  });
});
