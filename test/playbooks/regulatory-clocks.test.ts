import { describe, expect, it } from 'vitest';
import {
  CLOCK_IDS,
  dueSoon,
  formatRemaining,
  regulatoryClocks,
  type ClockId,
  type ClockInput,
  type RegulatoryClock,
} from '../../src/playbooks/regulatory-clocks.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PARIS = 'Europe/Paris';

const input = (overrides: Partial<ClockInput> = {}): ClockInput => ({
  awareAt: new Date('2026-10-24T08:00:00Z'), // 10:00 Paris, summer time
  personalData: true,
  nis2Significant: true,
  met: {},
  timeZone: PARIS,
  ...overrides,
});

function clock(clocks: readonly RegulatoryClock[], id: ClockId): RegulatoryClock {
  const found = clocks.find((c) => c.id === id);
  if (!found) throw new Error(`no clock ${id}`);
  return found;
}

describe('regulatoryClocks', () => {
  it('counts 24 h as elapsed time across the autumn change and displays it in local time', () => {
    const clocks = regulatoryClocks(input(), new Date('2026-10-24T09:00:00Z'));
    const early = clock(clocks, 'nis2-early-warning');
    expect(early.dueAt).toBe('2026-10-25T08:00:00.000Z');
    expect(early.dueLocal).toEqual({
      fr: '25/10/2026 09:00 (heure de Paris)',
      en: '2026-10-25 09:00 (Europe/Paris)',
    });
    expect(early.basis.fr).toBe('24 h après la prise de connaissance');
    expect(early.obligation).toBe('nis2-art23');
    expect(early.title.fr).toBe('Alerte précoce au CSIRT (NIS2 art. 23)');
    expect(early.authority.fr).toBe('CSIRT national (CERT-FR / ANSSI)');
    expect(early.remainingMs).toBe(23 * HOUR);
  });

  it('counts 24 h as elapsed time across the spring change', () => {
    const clocks = regulatoryClocks(
      input({ awareAt: new Date('2026-03-28T11:00:00Z') }), // 12:00 Paris, winter time
      new Date('2026-03-28T11:00:00Z'),
    );
    const early = clock(clocks, 'nis2-early-warning');
    expect(early.dueAt).toBe('2026-03-29T11:00:00.000Z');
    expect(early.dueLocal.fr).toBe('29/03/2026 13:00 (heure de Paris)');
    expect(early.remainingMs).toBe(24 * HOUR);
  });

  it('computes the 72 h deadlines', () => {
    const clocks = regulatoryClocks(input(), new Date('2026-10-24T08:00:00Z'));
    const rgpd = clock(clocks, 'rgpd-art33');
    expect(rgpd.dueAt).toBe('2026-10-27T08:00:00.000Z');
    expect(rgpd.dueLocal.fr).toBe('27/10/2026 09:00 (heure de Paris)');
    expect(rgpd.title.fr).toBe('Notification à la CNIL (RGPD art. 33)');
    expect(rgpd.authority.fr).toBe('CNIL');
    expect(rgpd.obligation).toBe('rgpd-art33');
    expect(rgpd.basis.fr).toBe('72 h après la prise de connaissance');
    expect(clock(clocks, 'nis2-notification').dueAt).toBe('2026-10-27T08:00:00.000Z');
  });

  it('returns the applicable clocks in CLOCK_IDS order', () => {
    const now = new Date('2026-10-24T09:00:00Z');
    expect(regulatoryClocks(input(), now).map((c) => c.id)).toEqual([...CLOCK_IDS]);
    expect(regulatoryClocks(input({ nis2Significant: false }), now).map((c) => c.id)).toEqual(['rgpd-art33']);
    expect(regulatoryClocks(input({ personalData: false }), now).map((c) => c.id)).toEqual([
      'nis2-early-warning',
      'nis2-notification',
      'nis2-final-report',
    ]);
    expect(regulatoryClocks(input({ personalData: false, nis2Significant: false }), now)).toEqual([]);
  });

  it('ignores recorded dates of clocks that do not apply', () => {
    const clocks = regulatoryClocks(
      input({ nis2Significant: false, met: { 'nis2-early-warning': new Date('2026-10-24T10:00:00Z') } }),
      new Date('2026-10-24T09:00:00Z'),
    );
    expect(clocks.map((c) => c.id)).toEqual(['rgpd-art33']);
  });

  describe('final report', () => {
    it('is due one calendar month after the recorded notification, keeping the local time across DST', () => {
      const submitted = new Date('2026-10-26T14:00:00Z'); // 15:00 Paris, winter time
      const clocks = regulatoryClocks(
        input({ awareAt: new Date('2026-10-24T08:00:00Z'), met: { 'nis2-notification': submitted } }),
        new Date('2026-10-26T15:00:00Z'),
      );
      const final = clock(clocks, 'nis2-final-report');
      expect(final.dueAt).toBe('2026-11-26T14:00:00.000Z');
      expect(final.dueLocal.fr).toBe('26/11/2026 15:00 (heure de Paris)');
      expect(final.basis.fr).toContain(
        'soumission de la notification d’incident (26/10/2026 15:00 (heure de Paris))',
      );
      expect(clock(clocks, 'nis2-notification').state).toBe('met');
    });

    it('keeps the local wall time when the month spans the change from summer time', () => {
      const submitted = new Date('2026-10-10T13:00:00Z'); // 15:00 summer time
      const clocks = regulatoryClocks(
        input({ awareAt: new Date('2026-10-08T13:00:00Z'), met: { 'nis2-notification': submitted } }),
        new Date('2026-10-10T14:00:00Z'),
      );
      const final = clock(clocks, 'nis2-final-report');
      expect(final.dueAt).toBe('2026-11-10T14:00:00.000Z'); // 15:00 winter time: 31 days + 1 h later
      expect(final.dueLocal.en).toBe('2026-11-10 15:00 (Europe/Paris)');
    });

    it('keeps the local wall time when the month spans the change to summer time', () => {
      const submitted = new Date('2026-03-15T09:00:00Z'); // 10:00 winter time
      const clocks = regulatoryClocks(
        input({ awareAt: new Date('2026-03-13T09:00:00Z'), met: { 'nis2-notification': submitted } }),
        new Date('2026-03-15T10:00:00Z'),
      );
      expect(clock(clocks, 'nis2-final-report').dueAt).toBe('2026-04-15T08:00:00.000Z'); // 10:00 summer
    });

    it('falls back to the notification deadline while the notification is not recorded', () => {
      const clocks = regulatoryClocks(input(), new Date('2026-10-24T09:00:00Z'));
      const final = clock(clocks, 'nis2-final-report');
      // Notification due 27/10/2026 09:00 Paris → final report 27/11/2026 09:00 Paris.
      expect(final.dueAt).toBe('2026-11-27T08:00:00.000Z');
      expect(final.basis.fr).toContain(
        'l’échéance de la notification d’incident (27/10/2026 09:00 (heure de Paris))',
      );
      expect(final.basis.en).toContain('while it is not recorded');
    });

    it('clamps to the end of February for a notification on 31 January', () => {
      const submitted = new Date('2026-01-31T09:00:00Z'); // 10:00 Paris
      const clocks = regulatoryClocks(
        input({ awareAt: new Date('2026-01-29T09:00:00Z'), met: { 'nis2-notification': submitted } }),
        new Date('2026-02-01T00:00:00Z'),
      );
      const final = clock(clocks, 'nis2-final-report');
      expect(final.dueAt).toBe('2026-02-28T09:00:00.000Z');
      expect(final.dueLocal.fr).toBe('28/02/2026 10:00 (heure de Paris)');
    });
  });

  describe('states', () => {
    const aware = new Date('2026-10-24T08:00:00Z');
    const early = (met: ClockInput['met'], now: Date) =>
      clock(regulatoryClocks(input({ awareAt: aware, met }), now), 'nis2-early-warning');

    it('is due before the deadline and at the deadline itself', () => {
      const before = early({}, new Date('2026-10-25T07:00:00Z'));
      expect(before.state).toBe('due');
      expect(before.remainingMs).toBe(HOUR);
      expect(before.metAt).toBeUndefined();
      const at = early({}, new Date('2026-10-25T08:00:00Z'));
      expect(at.state).toBe('due');
      expect(at.remainingMs).toBe(0);
    });

    it('is overdue after the deadline, with negative remaining time', () => {
      const late = early({}, new Date('2026-10-25T10:05:00Z'));
      expect(late.state).toBe('overdue');
      expect(late.remainingMs).toBe(-(2 * HOUR + 5 * MIN));
    });

    it('is met when recorded at or before the deadline, whatever now is', () => {
      const onTime = early(
        { 'nis2-early-warning': new Date('2026-10-25T08:00:00Z') },
        new Date('2026-12-01T00:00:00Z'),
      );
      expect(onTime.state).toBe('met');
      expect(onTime.metAt).toBe('2026-10-25T08:00:00.000Z');
      expect(onTime).not.toHaveProperty('remainingMs');
    });

    it('is met-late when recorded after the deadline', () => {
      const late = early(
        { 'nis2-early-warning': new Date('2026-10-25T08:00:01Z') },
        new Date('2026-10-26T00:00:00Z'),
      );
      expect(late.state).toBe('met-late');
      expect(late.metAt).toBe('2026-10-25T08:00:01.000Z');
      expect(late).not.toHaveProperty('remainingMs');
    });
  });

  it('works in French overseas zones', () => {
    const noumea = regulatoryClocks(
      input({ awareAt: new Date('2026-10-23T23:00:00Z'), timeZone: 'Pacific/Noumea' }), // 24/10 10:00 local
      new Date('2026-10-24T00:00:00Z'),
    );
    expect(clock(noumea, 'nis2-early-warning').dueLocal.fr).toBe('25/10/2026 10:00 (heure de Nouméa)');
    expect(clock(noumea, 'nis2-final-report').dueAt).toBe('2026-11-26T23:00:00.000Z');

    const cayenne = regulatoryClocks(
      input({ awareAt: new Date('2026-10-24T13:00:00Z'), timeZone: 'America/Cayenne' }), // 10:00 local
      new Date('2026-10-24T14:00:00Z'),
    );
    const rgpd = clock(cayenne, 'rgpd-art33');
    expect(rgpd.dueAt).toBe('2026-10-27T13:00:00.000Z');
    expect(rgpd.dueLocal).toEqual({
      fr: '27/10/2026 10:00 (heure de Cayenne)',
      en: '2026-10-27 10:00 (America/Cayenne)',
    });
  });

  it('rejects invalid dates and time zones', () => {
    const now = new Date('2026-10-24T09:00:00Z');
    expect(() => regulatoryClocks(input({ awareAt: new Date('nope') }), now)).toThrow(RangeError);
    expect(() => regulatoryClocks(input({ met: { 'rgpd-art33': new Date('nope') } }), now)).toThrow(
      RangeError,
    );
    expect(() => regulatoryClocks(input({ timeZone: 'Mars/Olympus' }), now)).toThrow(RangeError);
  });
});

describe('dueSoon', () => {
  const computedAt = new Date('2026-10-24T09:00:00Z');
  const clocks = regulatoryClocks(
    input({ met: { 'rgpd-art33': new Date('2026-10-24T12:00:00Z') } }),
    computedAt,
  );

  it('keeps unmet clocks due within the window, soonest first', () => {
    const soon = dueSoon(clocks, computedAt, 24 * HOUR);
    expect(soon.map((c) => c.id)).toEqual(['nis2-early-warning']);
    expect(dueSoon(clocks, computedAt, 3 * DAY).map((c) => c.id)).toEqual([
      'nis2-early-warning',
      'nis2-notification',
    ]);
    expect(dueSoon(clocks, computedAt, HOUR)).toEqual([]);
  });

  it('includes overdue clocks and refreshes their state for the given now', () => {
    const later = new Date('2026-10-26T08:00:00Z');
    const soon = dueSoon(clocks, later, HOUR);
    expect(soon.map((c) => [c.id, c.state, c.remainingMs])).toEqual([
      ['nis2-early-warning', 'overdue', -DAY],
    ]);
    expect(clock(clocks, 'nis2-early-warning').state).toBe('due'); // input untouched
  });

  it('never lists met clocks', () => {
    expect(dueSoon(clocks, new Date('2027-01-01T00:00:00Z'), DAY).map((c) => c.id)).not.toContain(
      'rgpd-art33',
    );
  });
});

describe('formatRemaining', () => {
  it('formats time left', () => {
    expect(formatRemaining(23 * HOUR + 12 * MIN, 'fr')).toBe('23 h 12 min');
    expect(formatRemaining(23 * HOUR + 12 * MIN + 59_999, 'fr')).toBe('23 h 12 min');
    expect(formatRemaining(DAY + 4 * HOUR + 30 * MIN, 'en')).toBe('1 d 4 h left');
    expect(formatRemaining(DAY + 4 * HOUR, 'fr')).toBe('1 j 4 h');
    expect(formatRemaining(2 * DAY, 'fr')).toBe('2 j');
    expect(formatRemaining(3 * HOUR, 'en')).toBe('3 h 00 min left');
    expect(formatRemaining(45 * MIN, 'fr')).toBe('45 min');
    expect(formatRemaining(30_000, 'fr')).toBe('moins d’une minute');
    expect(formatRemaining(0, 'en')).toBe('less than a minute left');
  });

  it('formats delays, rounded up to the minute', () => {
    expect(formatRemaining(-(2 * HOUR + 5 * MIN), 'fr')).toBe('en retard de 2 h 05 min');
    expect(formatRemaining(-(2 * HOUR + 5 * MIN), 'en')).toBe('2 h 05 min overdue');
    expect(formatRemaining(-1000, 'fr')).toBe('en retard de 1 min');
    expect(formatRemaining(-(3 * DAY + HOUR), 'en')).toBe('3 d 1 h overdue');
  });

  it('rejects non-finite durations', () => {
    expect(() => formatRemaining(Number.NaN, 'fr')).toThrow(RangeError);
  });
});
