import type { PhaseCode } from './playbook.js';

/** An incident's severity (a finding's `info` becomes `low` when an incident is opened from it). */
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const STEP_STATES = ['pending', 'done', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** One task of an incident: a playbook step, copied when the incident was opened. */
export interface IncidentStep {
  /** `CON-2`: the step's ID in the playbook. */
  stepId: string;
  phase: PhaseCode;
  text: string;
  state: StepState;
  /** When it was last marked done or skipped (ISO 8601). */
  at?: string;
  by?: string;
  note?: string;
}

export interface IncidentNote {
  at: string;
  by: string;
  text: string;
}

/** A regulatory obligation recorded as done (CNIL notified, NIS2 early warning sent …). */
export interface ObligationMet {
  /** A regulatory clock ID: `rgpd-art33`, `nis2-early-warning`, `nis2-notification`, `nis2-final-report`. */
  clockId: string;
  /** When it was done (ISO 8601). */
  metAt: string;
  /** When it was recorded, and by whom. */
  recordedAt: string;
  by: string;
}

export const INCIDENT_EVENT_KINDS = [
  /** The authority became aware (declared at opening): the regulatory clocks start here. */
  'aware',
  'opened',
  'step-done',
  'step-skipped',
  'note',
  'obligation-met',
  'closed',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];

/** One entry of an incident's append-only log: who, when, what. */
export interface IncidentEvent {
  /** When it happened (for an obligation: when it was done, which may be before it was recorded). */
  at: string;
  /** When it was written to the log. */
  recordedAt: string;
  by: string;
  kind: IncidentEventKind;
  stepId?: string;
  clockId?: string;
  /** The note, the outcome, the title at opening … */
  detail?: string;
}

/** An incident run through a playbook. */
export interface Incident {
  /** `INC-2026-001`: sequential per year (the organisation's local year at opening). */
  id: string;
  playbookId: string;
  title: string;
  severity: IncidentSeverity;
  /** When the authority became aware: the regulatory clocks start here (ISO 8601). */
  awareAt: string;
  openedAt: string;
  openedBy: string;
  personalData: boolean;
  nis2Significant: boolean;
  status: IncidentStatus;
  closedAt?: string;
  closedBy?: string;
  outcome?: string;
  /** The finding the incident was opened from. */
  fromFingerprint?: string;
  /** The playbook's steps, in its order, with their state. */
  steps: IncidentStep[];
  notes: IncidentNote[];
  obligationsMet: ObligationMet[];
}

/** `INC-2026-001` (three digits at least). */
export function incidentId(year: number, seq: number): string {
  return `INC-${year}-${String(seq).padStart(3, '0')}`;
}
