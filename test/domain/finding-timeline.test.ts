import { describe, expect, it } from 'vitest';
import { orderTimeline } from '../../src/domain/index.js';

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';

describe('orderTimeline', () => {
  it('orders by time, and at one instant: appearance, occurrence, then what followed', () => {
    const kinds = orderTimeline(
      [
        { event: { at: T2, kind: 'resolved' }, seq: 3 },
        { event: { at: T1, kind: 'waived' }, seq: 2 },
        { event: { at: T1, kind: 'first-seen' }, seq: 1 },
        { event: { at: T1, kind: 'evidence-changed' }, seq: 4 },
      ],
      [{ event: { at: T1, kind: 'seen', runId: 'r1' }, seq: 0 }],
    ).map((e) => `${e.at === T1 ? 1 : 2}:${e.kind}`);
    expect(kinds).toEqual(['1:first-seen', '1:seen', '1:waived', '1:evidence-changed', '2:resolved']);
  });
});
