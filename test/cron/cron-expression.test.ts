import { describe, expect, it } from 'vitest';
import { cronExpressionProblem, nextCronRun } from '../../src/cron/index.js';

const PARIS = 'Europe/Paris';
const at = (iso: string) => new Date(iso);

describe('nextCronRun', () => {
  it('reads the expression on the wall clock of the organisation, across daylight-saving time', () => {
    // 08:00 in Paris is 07:00Z in winter (CET) and 06:00Z in summer (CEST); DST starts on 2026-03-29.
    expect(nextCronRun('0 8 * * *', at('2026-03-28T07:00:00Z'), PARIS)).toEqual(at('2026-03-29T06:00:00Z'));
    // Ends on 2026-10-25.
    expect(nextCronRun('0 8 * * *', at('2026-10-24T06:00:00Z'), PARIS)).toEqual(at('2026-10-25T07:00:00Z'));
  });

  it('runs a wall time skipped in spring once, right after the change, and a repeated one once, the first time', () => {
    // 02:30 does not exist on 2026-03-29 (02:00 → 03:00): the job runs at 03:00 summer time.
    expect(nextCronRun('30 2 * * *', at('2026-03-28T12:00:00Z'), PARIS)).toEqual(at('2026-03-29T01:00:00Z'));
    expect(nextCronRun('30 2 * * *', at('2026-03-29T01:00:00Z'), PARIS)).toEqual(at('2026-03-30T00:30:00Z'));
    // 02:30 happens twice on 2026-10-25: the first one (summer time), then the next day.
    expect(nextCronRun('30 2 * * *', at('2026-10-24T12:00:00Z'), PARIS)).toEqual(at('2026-10-25T00:30:00Z'));
    expect(nextCronRun('30 2 * * *', at('2026-10-25T00:30:00Z'), PARIS)).toEqual(at('2026-10-26T01:30:00Z'));
  });

  it('follows elapsed time for an hourly job: both repeated hours in autumn, no empty slot in spring', () => {
    expect(nextCronRun('0 * * * *', at('2026-10-25T00:00:00Z'), PARIS)).toEqual(at('2026-10-25T01:00:00Z'));
    expect(nextCronRun('0 * * * *', at('2026-03-29T00:00:00Z'), PARIS)).toEqual(at('2026-03-29T01:00:00Z'));
  });

  it('keeps zones without daylight-saving time unchanged on those nights', () => {
    expect(nextCronRun('30 2 * * *', at('2026-03-28T12:00:00Z'), 'Asia/Tokyo')).toEqual(
      at('2026-03-28T17:30:00Z'),
    );
    expect(nextCronRun('30 2 * * *', at('2026-10-24T12:00:00Z'), 'UTC')).toEqual(at('2026-10-25T02:30:00Z'));
  });

  it('handles weekdays, the seconds field and strict "after"', () => {
    // Monday 08:00: 2026-11-30 is a Monday.
    expect(nextCronRun('0 8 * * 1', at('2026-11-28T19:00:00Z'), PARIS)).toEqual(at('2026-11-30T07:00:00Z'));
    expect(nextCronRun('*/2 * * * * *', at('2026-11-28T19:00:00Z'), PARIS)).toEqual(
      at('2026-11-28T19:00:02Z'),
    );
    expect(nextCronRun('0 2 * * *', at('2026-11-28T01:00:00Z'), PARIS)).toEqual(at('2026-11-29T01:00:00Z'));
    expect(nextCronRun('0 0 29 2 *', at('2026-03-01T00:00:00Z'), 'UTC')).toEqual(at('2028-02-29T00:00:00Z'));
  });

  it('needs both the day of month and the day of week when both are given', () => {
    // The 1st of a month that is a Monday: June 2026.
    expect(nextCronRun('0 8 1 * 1', at('2026-01-01T00:00:00Z'), PARIS)).toEqual(at('2026-06-01T06:00:00Z'));
  });
});

describe('cronExpressionProblem', () => {
  it('accepts what the daemon can run', () => {
    for (const ok of ['0 2 * * *', '*/2 * * * * *', '0 8 * * mon', '0 0 L * *', '@daily', '0 8 * * 1#1'])
      expect(cronExpressionProblem(ok), ok).toBeUndefined();
  });

  it('says why, in the parser’s words, and refuses what never fires', () => {
    expect(cronExpressionProblem('0 25 * * *')).toMatch(/« 0 25 \* \* \* ».*hour: 25/);
    expect(cronExpressionProblem('chaque lundi')).toMatch(/^expression cron invalide « chaque lundi »/);
    expect(cronExpressionProblem('0 0 1 1 * 2030')).toBeDefined(); // no year field
    expect(cronExpressionProblem('0 0 30 2 *')).toContain('ne se déclenche jamais');
  });
});
