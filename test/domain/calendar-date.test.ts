import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addReviewPeriod,
  daysBetween,
  isCalendarDate,
  parseReviewPeriod,
} from '../../src/domain/index.js';

describe('calendar dates and review cadences', () => {
  it('accepts only existing days written AAAA-MM-JJ', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
    expect(isCalendarDate('2026-01-01T00:00:00Z')).toBe(false);
  });

  it('adds days, weeks, months (clamped to the month end) and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addReviewPeriod('2026-03-10', { amount: 6, unit: 'mo' })).toBe('2026-09-10');
    expect(addReviewPeriod('2028-02-29', { amount: 1, unit: 'y' })).toBe('2029-02-28');
    expect(addReviewPeriod('2026-03-10', { amount: 2, unit: 'w' })).toBe('2026-03-24');
    expect(addReviewPeriod('2026-03-10', { amount: 90, unit: 'd' })).toBe('2026-06-08');
    expect(daysBetween('2026-03-29', '2026-03-30')).toBe(1);
    expect(daysBetween('2026-04-10', '2026-03-10')).toBe(-31);
  });

  it('parses cadences NNd, NNw, NNmo, NNy', () => {
    expect(parseReviewPeriod('12mo')).toEqual({ amount: 12, unit: 'mo' });
    expect(parseReviewPeriod('1y')).toEqual({ amount: 1, unit: 'y' });
    expect(parseReviewPeriod('0d')).toBeUndefined();
    expect(parseReviewPeriod('12 mois')).toBeUndefined();
    expect(parseReviewPeriod('6m')).toBeUndefined();
  });
});
