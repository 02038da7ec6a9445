import { describe, expect, it } from 'vitest';
import { catchUpDecision, isoWeekKey, startOfIsoWeek } from '../../../src/app/daemon/index.js';
import { localDate } from '../../../src/app/shared/index.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-30T10:00:00Z'); // Monday 11:00 in Paris

describe('catch-up at start', () => {
  it('runs the scan now when the last one is older than 26 h, or there is none', () => {
    const base = { now: NOW, digestTimeThisWeek: undefined, digestSentThisWeek: false };
    expect(catchUpDecision({ ...base, lastScanFinishedAt: undefined }).scan).toBe(true);
    expect(catchUpDecision({ ...base, lastScanFinishedAt: at('2026-11-29T07:59:00Z') }).scan).toBe(true);
    expect(catchUpDecision({ ...base, lastScanFinishedAt: at('2026-11-29T08:01:00Z') }).scan).toBe(false);
  });

  it('sends the digest when this week’s time has passed and the outbox has not sent it', () => {
    const base = { now: NOW, lastScanFinishedAt: NOW };
    const passed = at('2026-11-30T07:00:00Z');
    const later = at('2026-11-30T11:00:00Z');
    expect(catchUpDecision({ ...base, digestTimeThisWeek: passed, digestSentThisWeek: false }).digest).toBe(
      true,
    );
    expect(catchUpDecision({ ...base, digestTimeThisWeek: passed, digestSentThisWeek: true }).digest).toBe(
      false,
    );
    expect(catchUpDecision({ ...base, digestTimeThisWeek: later, digestSentThisWeek: false }).digest).toBe(
      false,
    );
  });

  it('names the week on the organisation wall clock (ISO 8601)', () => {
    expect(isoWeekKey(at('2026-11-30T10:00:00Z'), 'Europe/Paris')).toBe('2026-W49');
    // Sunday 23:30Z is already Monday in Paris.
    expect(isoWeekKey(at('2026-11-29T23:30:00Z'), 'Europe/Paris')).toBe('2026-W49');
    expect(isoWeekKey(at('2026-11-29T23:30:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekKey(at('2027-01-01T12:00:00Z'), 'Europe/Paris')).toBe('2026-W53');
    expect(startOfIsoWeek(NOW, 'Europe/Paris')).toEqual(at('2026-11-29T23:00:00Z'));
  });

  it('finds Monday 00:00 and the local day across the March and October changes, in Paris and Tokyo', () => {
    // Paris, 2026: summer time from Sunday 29 March 02:00 (→ 03:00), winter time from Sunday 25 October 03:00 (→ 02:00).
    expect(startOfIsoWeek(at('2026-03-29T12:00:00Z'), 'Europe/Paris')).toEqual(at('2026-03-22T23:00:00Z'));
    expect(startOfIsoWeek(at('2026-03-30T12:00:00Z'), 'Europe/Paris')).toEqual(at('2026-03-29T22:00:00Z'));
    expect(startOfIsoWeek(at('2026-10-25T12:00:00Z'), 'Europe/Paris')).toEqual(at('2026-10-18T22:00:00Z'));
    expect(startOfIsoWeek(at('2026-10-26T12:00:00Z'), 'Europe/Paris')).toEqual(at('2026-10-25T23:00:00Z'));
    // Tokyo keeps UTC+9 all year: Monday there starts at 15:00Z the day before, change or not.
    expect(startOfIsoWeek(at('2026-03-29T12:00:00Z'), 'Asia/Tokyo')).toEqual(at('2026-03-22T15:00:00Z'));
    expect(startOfIsoWeek(at('2026-03-29T16:00:00Z'), 'Asia/Tokyo')).toEqual(at('2026-03-29T15:00:00Z'));
    expect(startOfIsoWeek(at('2026-10-26T12:00:00Z'), 'Asia/Tokyo')).toEqual(at('2026-10-25T15:00:00Z'));
    // The last hour of the DST Sunday, in both zones.
    expect(isoWeekKey(at('2026-10-25T22:30:00Z'), 'Europe/Paris')).toBe('2026-W43'); // 23:30 winter time
    expect(isoWeekKey(at('2026-10-25T23:00:00Z'), 'Europe/Paris')).toBe('2026-W44'); // Monday 00:00
    expect(isoWeekKey(at('2026-10-25T14:30:00Z'), 'Asia/Tokyo')).toBe('2026-W43');
    expect(isoWeekKey(at('2026-10-25T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-W44');
    expect(localDate(at('2026-03-28T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T21:59:00Z'), 'Europe/Paris')).toBe('2026-03-29'); // 23:59 summer time
    expect(localDate(at('2026-03-29T22:00:00Z'), 'Europe/Paris')).toBe('2026-03-30');
    expect(localDate(at('2026-03-29T14:59:00Z'), 'Asia/Tokyo')).toBe('2026-03-29');
    expect(localDate(at('2026-03-29T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-03-30');
  });
});
