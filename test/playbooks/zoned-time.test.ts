import { describe, expect, it } from 'vitest';
import {
  addCalendarMonthsLocal,
  formatLocal,
  fromLocalDateTime,
  instantsForLocal,
  isValidTimeZone,
  timeZoneOffsetMs,
  toLocalDateTime,
} from '../../src/playbooks/zoned-time.js';

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;
const iso = (date: Date) => date.toISOString();
const local = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

describe('offsets and wall times', () => {
  it('reads the Paris offset on both sides of the October 2026 switch', () => {
    expect(timeZoneOffsetMs(new Date('2026-10-25T00:59:59Z'), PARIS)).toBe(2 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-10-25T01:00:00Z'), PARIS)).toBe(1 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-10-25T08:00:00Z'), 'America/Cayenne')).toBe(-3 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-10-25T08:00:00Z'), 'Pacific/Noumea')).toBe(11 * HOUR);
  });

  it('converts an instant to its wall time, milliseconds included', () => {
    expect(toLocalDateTime(new Date('2026-03-29T01:30:15.250Z'), PARIS)).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 3,
      minute: 30,
      second: 15,
      millisecond: 250,
    });
  });

  it('finds two instants for the repeated hour and none for the skipped one', () => {
    expect(instantsForLocal(local(2026, 10, 25, 2, 30), PARIS).map(iso)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    expect(instantsForLocal(local(2026, 3, 29, 2, 30), PARIS)).toEqual([]);
    expect(instantsForLocal(local(2026, 3, 29, 3, 30), PARIS).map(iso)).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('resolves ambiguous wall times to the earlier instant and skipped ones forward by the gap', () => {
    expect(iso(fromLocalDateTime(local(2026, 10, 25, 2, 30), PARIS))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(fromLocalDateTime(local(2026, 3, 29, 2, 30), PARIS))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(fromLocalDateTime(local(2026, 7, 14, 10), PARIS))).toBe('2026-07-14T08:00:00.000Z');
  });

  it('knows valid time zones', () => {
    expect(isValidTimeZone(PARIS)).toBe(true);
    expect(isValidTimeZone('Indian/Reunion')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(() => formatLocal(new Date(), 'Europe/Atlantis', 'fr')).toThrow(RangeError);
  });
});

describe('formatLocal', () => {
  it('formats in French with the city and in English with the zone id', () => {
    const date = new Date('2026-10-25T08:00:00Z');
    expect(formatLocal(date, PARIS, 'fr')).toBe('25/10/2026 09:00 (heure de Paris)');
    expect(formatLocal(date, PARIS, 'en')).toBe('2026-10-25 09:00 (Europe/Paris)');
  });

  it('names overseas zones in French', () => {
    const date = new Date('2026-10-24T23:00:00Z');
    expect(formatLocal(date, 'Pacific/Noumea', 'fr')).toBe('25/10/2026 10:00 (heure de Nouméa)');
    expect(formatLocal(date, 'America/Cayenne', 'fr')).toBe('24/10/2026 20:00 (heure de Cayenne)');
    expect(formatLocal(date, 'Indian/Reunion', 'fr')).toBe('25/10/2026 03:00 (heure de La Réunion)');
    expect(formatLocal(date, 'Europe/Amsterdam', 'fr')).toBe('25/10/2026 01:00 (heure d’Amsterdam)');
    expect(formatLocal(date, 'UTC', 'fr')).toBe('24/10/2026 23:00 (UTC)');
  });

  it('adds the offset when the wall time is ambiguous', () => {
    expect(formatLocal(new Date('2026-10-25T00:30:00Z'), PARIS, 'fr')).toBe(
      '25/10/2026 02:30 UTC+02:00 (heure de Paris)',
    );
    expect(formatLocal(new Date('2026-10-25T01:30:00Z'), PARIS, 'en')).toBe(
      '2026-10-25 02:30 UTC+01:00 (Europe/Paris)',
    );
  });
});

describe('addCalendarMonthsLocal', () => {
  it('keeps the local wall time across the autumn change', () => {
    const start = new Date('2026-10-10T13:00:00Z'); // 15:00 summer time
    const end = addCalendarMonthsLocal(start, 1, PARIS);
    expect(iso(end)).toBe('2026-11-10T14:00:00.000Z'); // 15:00 winter time
    expect(formatLocal(end, PARIS, 'fr')).toBe('10/11/2026 15:00 (heure de Paris)');
    expect(end.getTime() - start.getTime()).toBe(31 * 24 * HOUR + HOUR);
  });

  it('keeps the local wall time across the spring change', () => {
    const end = addCalendarMonthsLocal(new Date('2026-03-10T08:00:00Z'), 1, PARIS); // 09:00 winter
    expect(iso(end)).toBe('2026-04-10T07:00:00.000Z'); // 09:00 summer
  });

  it('clamps the day to the end of a shorter month', () => {
    expect(iso(addCalendarMonthsLocal(new Date('2026-01-31T09:00:00Z'), 1, PARIS))).toBe(
      '2026-02-28T09:00:00.000Z',
    );
    expect(iso(addCalendarMonthsLocal(new Date('2028-01-31T09:00:00Z'), 1, PARIS))).toBe(
      '2028-02-29T09:00:00.000Z',
    );
    expect(iso(addCalendarMonthsLocal(new Date('2026-03-31T08:00:00Z'), 1, PARIS))).toBe(
      '2026-04-30T08:00:00.000Z',
    );
  });

  it('crosses years both ways and keeps seconds and milliseconds', () => {
    expect(iso(addCalendarMonthsLocal(new Date('2026-12-15T10:20:30.456Z'), 1, PARIS))).toBe(
      '2027-01-15T10:20:30.456Z',
    );
    expect(iso(addCalendarMonthsLocal(new Date('2027-01-15T10:00:00Z'), -2, PARIS))).toBe(
      '2026-11-15T10:00:00.000Z',
    );
    expect(() => addCalendarMonthsLocal(new Date(), 1.5, PARIS)).toThrow(RangeError);
  });

  it('moves a wall time that lands in the skipped hour forward by the gap', () => {
    // 29 January 02:30 winter time + 2 months → 29 March 02:30 does not exist → 03:30 summer time.
    const end = addCalendarMonthsLocal(new Date('2026-01-29T01:30:00Z'), 2, PARIS);
    expect(iso(end)).toBe('2026-03-29T01:30:00.000Z');
    expect(formatLocal(end, PARIS, 'en')).toBe('2026-03-29 03:30 (Europe/Paris)');
  });

  it('takes the earlier instant when it lands in the repeated hour', () => {
    // 25 September 02:30 summer time + 1 month → 25 October 02:30, shown twice → first one.
    expect(iso(addCalendarMonthsLocal(new Date('2026-09-25T00:30:00Z'), 1, PARIS))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('works in zones without daylight-saving time', () => {
    expect(iso(addCalendarMonthsLocal(new Date('2026-10-23T23:00:00Z'), 1, 'Pacific/Noumea'))).toBe(
      '2026-11-23T23:00:00.000Z',
    );
    expect(iso(addCalendarMonthsLocal(new Date('2026-01-31T13:00:00Z'), 1, 'America/Cayenne'))).toBe(
      '2026-02-28T13:00:00.000Z', // 31/01 10:00 → 28/02 10:00 local
    );
  });

  it('keeps Tokyo and UTC wall times unchanged over the Paris change dates', () => {
    // 29 January 02:30 + 2 months lands on Paris's skipped hour; Tokyo and UTC have no gap there.
    expect(iso(addCalendarMonthsLocal(new Date('2026-01-28T17:30:00Z'), 2, 'Asia/Tokyo'))).toBe(
      '2026-03-28T17:30:00.000Z',
    );
    expect(iso(addCalendarMonthsLocal(new Date('2026-09-25T00:30:00Z'), 1, 'UTC'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(instantsForLocal(local(2026, 3, 29, 2, 30), 'Asia/Tokyo').map(iso)).toEqual([
      '2026-03-28T17:30:00.000Z',
    ]);
    expect(instantsForLocal(local(2026, 10, 25, 2, 30), 'UTC').map(iso)).toEqual([
      '2026-10-25T02:30:00.000Z',
    ]);
    expect(formatLocal(new Date('2026-10-24T17:30:00Z'), 'Asia/Tokyo', 'fr')).toBe(
      '25/10/2026 02:30 (heure de Tokyo)',
    );
    expect(timeZoneOffsetMs(new Date('2026-03-29T01:30:00Z'), 'Asia/Tokyo')).toBe(9 * HOUR);
  });
});
