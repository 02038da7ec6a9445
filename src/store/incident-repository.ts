import type {
  Incident,
  IncidentEvent,
  IncidentSeverity,
  IncidentStatus,
  PhaseCode,
} from '../domain/index.js';

export interface OpenIncidentInput {
  /** The year the ID is numbered in (`INC-2026-…`): the organisation's local year at opening. */
  year: number;
  playbookId: string;
  title: string;
  severity: IncidentSeverity;
  awareAt: string;
  openedAt: string;
  by: string;
  personalData: boolean;
  nis2Significant: boolean;
  fromFingerprint?: string;
  /** The playbook's steps, copied: the incident keeps them even if the playbook changes later. */
  steps: { stepId: string; phase: PhaseCode; text: string }[];
}

export interface IncidentStepUpdate {
  state: 'done' | 'skipped';
  at: string;
  by: string;
  note?: string;
}

export interface IncidentNoteInput {
  at: string;
  by: string;
  text: string;
}

export interface ObligationMetInput {
  clockId: string;
  /** When the obligation was done (the CNIL notified …). */
  metAt: string;
  /** When it is recorded. */
  at: string;
  by: string;
}

export interface CloseIncidentInput {
  at: string;
  by: string;
  outcome: string;
}

export interface IncidentFilter {
  /** Default: every status. */
  status?: IncidentStatus[];
}

/** Incidents, their steps, notes, obligations met and append-only log. */
export interface IncidentRepository {
  /** Numbers the incident (`INC-<year>-NNN`, sequential per year), copies its steps, logs `opened`. */
  open(i: OpenIncidentInput): Promise<Incident>;
  get(id: string): Promise<Incident | undefined>;
  /** Most recently opened first. */
  list(filter?: IncidentFilter): Promise<Incident[]>;
  /** Marks a step done or skipped (again if need be: the log keeps each change). IncidentError otherwise. */
  setStep(id: string, stepId: string, u: IncidentStepUpdate): Promise<Incident>;
  addNote(id: string, n: IncidentNoteInput): Promise<Incident>;
  /** Records a regulatory obligation as done, once per clock. */
  recordObligationMet(id: string, m: ObligationMetInput): Promise<Incident>;
  close(id: string, c: CloseIncidentInput): Promise<Incident>;
  /** The incident's append-only log, in order of `at` (then of writing); [] for an unknown incident. */
  timeline(id: string): Promise<IncidentEvent[]>;
}
