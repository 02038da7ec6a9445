import { describe, expect, it } from 'vitest';
import { catchUpDecision, isoWeekKey, startOfIsoWeek } from '../../src/app/index.js';

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
});
