import { describe, expect, it } from 'vitest';
import { nextRun } from '../../src/scheduler/index.js';

const PARIS = 'Europe/Paris';
const at = (iso: string) => new Date(iso);

describe('nextRun', () => {
  it('reads the expression on the wall clock of the organisation, across daylight-saving time', () => {
    // 08:00 in Paris is 07:00Z in winter (CET) and 06:00Z in summer (CEST); DST starts on 2026-03-29.
    expect(nextRun('0 8 * * *', at('2026-03-28T07:00:00Z'), PARIS)).toEqual(at('2026-03-29T06:00:00Z'));
    // Ends on 2026-10-25.
    expect(nextRun('0 8 * * *', at('2026-10-24T06:00:00Z'), PARIS)).toEqual(at('2026-10-25T07:00:00Z'));
  });

  it('skips a wall time that does not exist on the spring-forward night, and fires once on the repeated hour', () => {
    expect(nextRun('30 2 * * *', at('2026-03-28T12:00:00Z'), PARIS)).toEqual(at('2026-03-30T00:30:00Z'));
    expect(nextRun('30 2 * * *', at('2026-10-24T12:00:00Z'), PARIS)).toEqual(at('2026-10-25T00:30:00Z'));
    expect(nextRun('30 2 * * *', at('2026-10-25T00:30:00Z'), PARIS)).toEqual(at('2026-10-26T01:30:00Z'));
  });

  it('handles weekdays, the seconds field and strict "after"', () => {
    // Monday 08:00: 2026-11-30 is a Monday.
    expect(nextRun('0 8 * * 1', at('2026-11-28T19:00:00Z'), PARIS)).toEqual(at('2026-11-30T07:00:00Z'));
    expect(nextRun('*/2 * * * * *', at('2026-11-28T19:00:00Z'), PARIS)).toEqual(at('2026-11-28T19:00:02Z'));
    expect(nextRun('0 2 * * *', at('2026-11-28T01:00:00Z'), PARIS)).toEqual(at('2026-11-29T01:00:00Z'));
    expect(nextRun('0 0 29 2 *', at('2026-03-01T00:00:00Z'), 'UTC')).toEqual(at('2028-02-29T00:00:00Z'));
  });
});
