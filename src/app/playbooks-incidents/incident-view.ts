import type { Incident, IncidentEvent, Localized, PhaseCode } from '../../domain/index.js';
import {
  CLOCK_IDS,
  dueSoon,
  regulatoryClocks,
  type ClockId,
  type RegulatoryClock,
} from '../../playbooks/index.js';

export const isClockId = (value: string): value is ClockId =>
  (CLOCK_IDS as readonly string[]).includes(value);

/** The regulatory clocks of an incident at `now`, in the organisation's time zone. */
export function incidentClocks(incident: Incident, now: Date, timeZone: string): RegulatoryClock[] {
  const met: Partial<Record<ClockId, Date>> = {};
  for (const m of incident.obligationsMet) if (isClockId(m.clockId)) met[m.clockId] = new Date(m.metAt);
  return regulatoryClocks(
    {
      awareAt: new Date(incident.awareAt),
      personalData: incident.personalData,
      nis2Significant: incident.nis2Significant,
      met,
      timeZone,
    },
    now,
  );
}

export interface StepProgress {
  total: number;
  done: number;
  skipped: number;
  pending: number;
}

export function stepProgress(incident: Incident): StepProgress {
  const count = (state: string) => incident.steps.filter((s) => s.state === state).length;
  return {
    total: incident.steps.length,
    done: count('done'),
    skipped: count('skipped'),
    pending: count('pending'),
  };
}

/** An incident as `vigie incident list` shows it: without its steps and notes, with its clocks. */
export type IncidentSummary = Omit<Incident, 'steps' | 'notes'> & {
  playbookTitle?: Localized;
  progress: StepProgress;
  clocks: RegulatoryClock[];
  /** The unmet clock due first (overdue ones included). */
  nextDeadline?: RegulatoryClock;
  /** The first phase with a pending step. */
  currentPhase?: PhaseCode;
};

/** An incident as `vigie incident show` shows it. */
export interface IncidentDetail {
  incident: Incident;
  playbookTitle?: Localized;
  timeZone: string;
  progress: StepProgress;
  clocks: RegulatoryClock[];
  nextDeadline?: RegulatoryClock;
  timeline: IncidentEvent[];
}

export function incidentSummary(
  incident: Incident,
  now: Date,
  timeZone: string,
  playbookTitle: Localized | undefined,
): IncidentSummary {
  const { steps, notes: _notes, ...rest } = incident;
  const clocks = incidentClocks(incident, now, timeZone);
  const [nextDeadline] = dueSoon(clocks, now, Number.POSITIVE_INFINITY);
  const current = steps.find((s) => s.state === 'pending')?.phase;
  return {
    ...rest,
    ...(playbookTitle === undefined ? {} : { playbookTitle }),
    progress: stepProgress(incident),
    clocks,
    ...(nextDeadline === undefined ? {} : { nextDeadline }),
    ...(current === undefined ? {} : { currentPhase: current }),
  };
}

export function incidentDetail(
  incident: Incident,
  timeline: IncidentEvent[],
  now: Date,
  timeZone: string,
  playbookTitle: Localized | undefined,
): IncidentDetail {
  const clocks = incidentClocks(incident, now, timeZone);
  const [nextDeadline] = dueSoon(clocks, now, Number.POSITIVE_INFINITY);
  return {
    incident,
    ...(playbookTitle === undefined ? {} : { playbookTitle }),
    timeZone,
    progress: stepProgress(incident),
    clocks,
    ...(nextDeadline === undefined ? {} : { nextDeadline }),
    timeline,
  };
}
