import { describe, expect, it } from 'vitest';
import {
  describeDelta,
  formatDate,
  formatDateTime,
  formatDelta,
  formatIndex,
} from '../../src/report/report-format.js';
import { emptyReportFixture, reportFixture } from '../helpers/report-fixture.js';

describe('report formatting', () => {
  it('writes the index with the language’s decimal separator', () => {
    expect(formatIndex(72.5, 'fr')).toBe('72,5');
    expect(formatIndex(72.5, 'en')).toBe('72.5');
    expect(formatIndex(64, 'fr')).toBe('64');
  });

  it('signs the delta with a real minus sign', () => {
    expect(formatDelta(3, 'fr')).toBe('+3');
    expect(formatDelta(-2, 'fr')).toBe('−2');
    expect(formatDelta(-2.46, 'fr')).toBe('−2,5');
    expect(formatDelta(0.01, 'en')).toBe('±0');
  });

  it('says « première mesure » when there is nothing to compare with', () => {
    const report = reportFixture('fr');
    const { previous: _previous, delta: _delta, ...first } = report.posture;
    expect(describeDelta({ ...report, posture: first }, 'fr')).toEqual({
      direction: 'first',
      text: 'première mesure',
    });
    expect(describeDelta({ ...report, posture: first }, 'en').text).toBe('first measurement');
    expect(describeDelta(emptyReportFixture('fr'), 'fr').direction).toBe('none');
  });

  it('gives the delta against the previous report, and its direction', () => {
    const report = reportFixture('fr');
    expect(describeDelta(report, 'fr')).toEqual({ direction: 'up', text: '+3 depuis le 2025-03-24' });
    const down = { ...report, posture: { ...report.posture, delta: -2 } };
    expect(describeDelta(down, 'en')).toEqual({ direction: 'down', text: '−2 since 2025-03-24' });
  });

  it('shows dates as calendar days and times in UTC', () => {
    expect(formatDate('2025-03-31T23:30:00.000Z')).toBe('2025-03-31');
    expect(formatDateTime('2025-03-31T08:15:42.000Z')).toBe('2025-03-31 08:15 UTC');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
