/**
 * Legal notification deadlines of an incident, counted from the moment the authority became aware.
 * Pure: `now` is always passed in, nothing reads the system clock.
 *
 * - RGPD art. 33: notify the CNIL within 72 hours of becoming aware of a personal-data breach.
 * - NIS2 art. 23 (significant incident): early warning to the CSIRT within 24 hours, incident
 *   notification within 72 hours, final report within one month of submitting the notification.
 *
 * Hour-based deadlines are elapsed durations (a daylight-saving change neither adds nor removes an
 * hour) and are only *displayed* in the organisation's time zone. The one-month deadline is a
 * calendar period, computed in that time zone keeping the local wall time (see
 * `addCalendarMonthsLocal`: month-end days are clamped, e.g. 31 January → 28/29 February).
 */
import type { Lang } from '../i18n/index.js';
import { addCalendarMonthsLocal, formatLocal } from './zoned-time.js';

export const CLOCK_IDS = [
  'rgpd-art33',
  'nis2-early-warning',
  'nis2-notification',
  'nis2-final-report',
] as const;
export type ClockId = (typeof CLOCK_IDS)[number];
export type ClockObligation = 'rgpd-art33' | 'nis2-art23';
export type ClockState = 'due' | 'overdue' | 'met' | 'met-late';

interface Localized {
  fr: string;
  en: string;
}

export interface ClockInput {
  /** When the authority became aware of the incident. */
  awareAt: Date;
  /** RGPD art. 33 applies (personal-data breach). */
  personalData: boolean;
  /** NIS2 art. 23 applies (significant incident). */
  nis2Significant: boolean;
  /** When each obligation was recorded as done. Entries for clocks that do not apply are ignored. */
  met: Partial<Record<ClockId, Date>>;
  /** IANA time zone of the organisation, e.g. 'Europe/Paris'. */
  timeZone: string;
}

export interface RegulatoryClock {
  id: ClockId;
  obligation: ClockObligation;
  title: Localized;
  authority: Localized;
  /** ISO 8601, UTC. */
  dueAt: string;
  /** `dueAt` as the wall time of the organisation's time zone. */
  dueLocal: Localized;
  state: ClockState;
  /** ISO 8601, UTC; present once met. */
  metAt?: string;
  /** Milliseconds left (negative when overdue); absent once met. */
  remainingMs?: number;
  /** How the deadline is computed. */
  basis: Localized;
}

const HOUR_MS = 3_600_000;

const CNIL: Localized = { fr: 'CNIL', en: 'CNIL' };
const CSIRT: Localized = {
  fr: 'CSIRT national (CERT-FR / ANSSI)',
  en: 'National CSIRT (CERT-FR / ANSSI)',
};

interface ClockDefinition {
  obligation: ClockObligation;
  title: Localized;
  authority: Localized;
}

const DEFINITIONS: Readonly<Record<ClockId, ClockDefinition>> = {
  'rgpd-art33': {
    obligation: 'rgpd-art33',
    title: { fr: 'Notification à la CNIL (RGPD art. 33)', en: 'Notification to the CNIL (GDPR art. 33)' },
    authority: CNIL,
  },
  'nis2-early-warning': {
    obligation: 'nis2-art23',
    title: { fr: 'Alerte précoce au CSIRT (NIS2 art. 23)', en: 'Early warning to the CSIRT (NIS2 art. 23)' },
    authority: CSIRT,
  },
  'nis2-notification': {
    obligation: 'nis2-art23',
    title: {
      fr: 'Notification d’incident au CSIRT (NIS2 art. 23)',
      en: 'Incident notification to the CSIRT (NIS2 art. 23)',
    },
    authority: CSIRT,
  },
  'nis2-final-report': {
    obligation: 'nis2-art23',
    title: { fr: 'Rapport final au CSIRT (NIS2 art. 23)', en: 'Final report to the CSIRT (NIS2 art. 23)' },
    authority: CSIRT,
  },
};

function hoursBasis(hours: number): Localized {
  return {
    fr: `${hours} h après la prise de connaissance`,
    en: `${hours} h after becoming aware`,
  };
}

function checkedDate(date: Date, what: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`regulatoryClocks: ${what} is not a valid date`);
  }
  return date;
}

function stateAt(
  dueMs: number,
  metAt: Date | undefined,
  now: Date,
): Pick<RegulatoryClock, 'state' | 'remainingMs'> {
  if (metAt) return { state: metAt.getTime() <= dueMs ? 'met' : 'met-late' };
  const remainingMs = dueMs - now.getTime();
  return { state: remainingMs < 0 ? 'overdue' : 'due', remainingMs };
}

function buildClock(id: ClockId, due: Date, basis: Localized, input: ClockInput, now: Date): RegulatoryClock {
  const definition = DEFINITIONS[id];
  const metDate = input.met[id];
  const metAt = metDate === undefined ? undefined : checkedDate(metDate, `met['${id}']`);
  const clock: RegulatoryClock = {
    id,
    obligation: definition.obligation,
    title: definition.title,
    authority: definition.authority,
    dueAt: due.toISOString(),
    dueLocal: {
      fr: formatLocal(due, input.timeZone, 'fr'),
      en: formatLocal(due, input.timeZone, 'en'),
    },
    ...stateAt(due.getTime(), metAt, now),
    basis,
  };
  if (metAt) clock.metAt = metAt.toISOString();
  return clock;
}

/**
 * The clocks that apply to the incident, in `CLOCK_IDS` order (RGPD first, then NIS2 by stage),
 * with their state at `now`:
 * - `met` when recorded done at or before the deadline, `met-late` when recorded after it;
 * - otherwise `overdue` when `now` is strictly after the deadline, else `due`.
 * The NIS2 final report is due one calendar month (local wall time of `timeZone`) after the incident
 * notification was submitted (`met['nis2-notification']`), or after that notification's own
 * deadline while it has not been recorded.
 * Throws RangeError on an invalid date or unknown time zone.
 */
export function regulatoryClocks(input: ClockInput, now: Date): RegulatoryClock[] {
  const aware = checkedDate(input.awareAt, 'awareAt');
  checkedDate(now, 'now');
  const afterHours = (hours: number): Date => new Date(aware.getTime() + hours * HOUR_MS);
  const clocks: RegulatoryClock[] = [];

  if (input.personalData) {
    clocks.push(buildClock('rgpd-art33', afterHours(72), hoursBasis(72), input, now));
  }
  if (input.nis2Significant) {
    clocks.push(buildClock('nis2-early-warning', afterHours(24), hoursBasis(24), input, now));
    const notification = buildClock('nis2-notification', afterHours(72), hoursBasis(72), input, now);
    clocks.push(notification);

    const submitted = input.met['nis2-notification'];
    const anchor = submitted ?? new Date(notification.dueAt);
    const anchorLocal = {
      fr: formatLocal(anchor, input.timeZone, 'fr'),
      en: formatLocal(anchor, input.timeZone, 'en'),
    };
    const basis: Localized = submitted
      ? {
          fr: `1 mois calendaire après la soumission de la notification d’incident (${anchorLocal.fr}), à la même heure locale`,
          en: `1 calendar month after the incident notification was submitted (${anchorLocal.en}), at the same local time`,
        }
      : {
          fr: `1 mois calendaire après l’échéance de la notification d’incident (${anchorLocal.fr}), tant qu’elle n’est pas enregistrée, à la même heure locale`,
          en: `1 calendar month after the incident notification’s deadline (${anchorLocal.en}) while it is not recorded, at the same local time`,
        };
    clocks.push(
      buildClock('nis2-final-report', addCalendarMonthsLocal(anchor, 1, input.timeZone), basis, input, now),
    );
  }
  return clocks;
}

/**
 * The clocks not yet met whose deadline is within `withinMs` of `now` or already past, soonest
 * first. Their `state` and `remainingMs` are recomputed for this `now` (the input is not modified),
 * so clocks computed earlier can be filtered later.
 */
export function dueSoon(clocks: readonly RegulatoryClock[], now: Date, withinMs: number): RegulatoryClock[] {
  const nowMs = now.getTime();
  return clocks
    .filter((clock) => clock.metAt === undefined && Date.parse(clock.dueAt) - nowMs <= withinMs)
    .map((clock) => ({ ...clock, ...stateAt(Date.parse(clock.dueAt), undefined, now) }))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

const MINUTE_MS = 60_000;

/**
 * A time left (positive) or a delay (negative), for people:
 * - fr: « 23 h 12 min », « 1 j 4 h », « 45 min », « moins d’une minute », « en retard de 2 h 05 min »
 * - en: "23 h 12 min left", "1 d 4 h left", "less than a minute left", "2 h 05 min overdue"
 * From one day up, minutes are dropped. Time left is rounded down and delay rounded up to the
 * minute, so the display never looks better than the truth (1 s late reads "1 min" late).
 */
export function formatRemaining(ms: number, lang: Lang): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatRemaining: ${ms} is not a finite duration`);
  const late = ms < 0;
  const totalMinutes = late ? Math.ceil(-ms / MINUTE_MS) : Math.floor(ms / MINUTE_MS);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const dayUnit = lang === 'fr' ? 'j' : 'd';

  let amount: string;
  if (totalMinutes === 0) amount = lang === 'fr' ? 'moins d’une minute' : 'less than a minute';
  else if (days > 0) amount = hours > 0 ? `${days} ${dayUnit} ${hours} h` : `${days} ${dayUnit}`;
  else if (hours > 0) amount = `${hours} h ${String(minutes).padStart(2, '0')} min`;
  else amount = `${minutes} min`;

  if (lang === 'fr') return late ? `en retard de ${amount}` : amount;
  return late ? `${amount} overdue` : `${amount} left`;
}
