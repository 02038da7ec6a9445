import {
  incidentId,
  type Incident,
  type IncidentEvent,
  type IncidentEventKind,
  type IncidentSeverity,
  type IncidentStatus,
  type IncidentStep,
  type PhaseCode,
  type StepState,
} from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { IncidentError } from './incident-error.js';
import { isoInput } from './iso-input.js';
import type {
  CloseIncidentInput,
  IncidentNoteInput,
  IncidentStepUpdate,
  ObligationMetInput,
  OpenIncidentInput,
} from './incident-repository.js';

/**
 * Incidents, their steps, notes, obligations met and append-only log: rows, mapping, checks and the
 * log entries each change writes, the same for every backend (which only runs the statements).
 */

export interface IncidentRow {
  id: string;
  year: number;
  seq: number;
  playbook_id: string;
  title: string;
  severity: string;
  aware_at: string;
  opened_at: string;
  opened_by: string;
  personal_data: number;
  nis2_significant: number;
  status: string;
  closed_at: string | null;
  closed_by: string | null;
  outcome: string | null;
  from_fingerprint: string | null;
}

export interface StepRow {
  step_id: string;
  phase: string;
  text: string;
  state: string;
  at: string | null;
  by: string | null;
  note: string | null;
}

export interface NoteRow {
  at: string;
  by: string;
  text: string;
}

export interface ObligationRow {
  clock_id: string;
  met_at: string;
  recorded_at: string;
  recorded_by: string;
}

export interface IncidentEventRow {
  at: string;
  recorded_at: string;
  by: string;
  kind: string;
  step_id: string | null;
  clock_id: string | null;
  detail: string | null;
}

function stepOf(row: StepRow): IncidentStep {
  return {
    stepId: row.step_id,
    phase: row.phase as PhaseCode,
    text: row.text,
    state: row.state as StepState,
    ...(row.at === null ? {} : { at: row.at }),
    ...(row.by === null ? {} : { by: row.by }),
    ...(row.note === null ? {} : { note: row.note }),
  };
}

/** An incident from its row and its steps (by seq), notes (by at, id) and obligations (by met_at, clock_id). */
export function incidentOf(
  row: IncidentRow,
  steps: readonly StepRow[],
  notes: readonly NoteRow[],
  obligations: readonly ObligationRow[],
): Incident {
  return {
    id: row.id,
    playbookId: row.playbook_id,
    title: row.title,
    severity: row.severity as IncidentSeverity,
    awareAt: row.aware_at,
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    personalData: row.personal_data === 1,
    nis2Significant: row.nis2_significant === 1,
    status: row.status as IncidentStatus,
    ...(row.closed_at === null ? {} : { closedAt: row.closed_at }),
    ...(row.closed_by === null ? {} : { closedBy: row.closed_by }),
    ...(row.outcome === null ? {} : { outcome: row.outcome }),
    ...(row.from_fingerprint === null ? {} : { fromFingerprint: row.from_fingerprint }),
    steps: steps.map(stepOf),
    notes: notes.map((n) => ({ at: n.at, by: n.by, text: n.text })),
    obligationsMet: obligations.map((o) => ({
      clockId: o.clock_id,
      metAt: o.met_at,
      recordedAt: o.recorded_at,
      by: o.recorded_by,
    })),
  };
}

export function incidentEventOf(row: IncidentEventRow): IncidentEvent {
  return {
    at: row.at,
    recordedAt: row.recorded_at,
    by: row.by,
    kind: row.kind as IncidentEventKind,
    ...(row.step_id === null ? {} : { stepId: row.step_id }),
    ...(row.clock_id === null ? {} : { clockId: row.clock_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

/** An incident ID as stored (`inc-2026-001 ` → `INC-2026-001`); step IDs likewise. */
export function storedId(id: string): string {
  return id.trim().toUpperCase();
}

function text(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new IncidentError('invalid-input', `${what} vide`);
  return trimmed;
}

export function unknownIncident(id: string): IncidentError {
  return new IncidentError('unknown-incident', msg('errlang.incident.unknown', { id }), {
    hint: msg('errlang.incident.unknown.hint'),
  });
}

export function unknownStep(id: string, stepId: string): IncidentError {
  return new IncidentError('unknown-step', msg('errlang.incident.unknown-step', { id, stepId }), {
    hint: msg('errlang.incident.unknown-step.hint', { id }),
  });
}

export function alreadyMet(id: string, clockId: string, already: ObligationRow): IncidentError {
  return new IncidentError(
    'already-met',
    msg('errlang.incident.already-met', { clockId, id, metAt: already.met_at, by: already.recorded_by }),
  );
}

export function alreadyClosed(row: IncidentRow): IncidentError {
  return new IncidentError(
    'already-closed',
    msg('errlang.incident.already-closed', { id: row.id, closedAt: row.closed_at ?? '?' }),
  );
}

/** One entry of the log, as written. */
export type IncidentEventValues = IncidentEvent & { incidentId: string };

/** A log entry's column values, in order: incident_id, at, recorded_at, by, kind, step_id, clock_id, detail. */
export function eventParams(e: IncidentEventValues): unknown[] {
  return [
    e.incidentId,
    e.at,
    e.recordedAt,
    e.by,
    e.kind,
    e.stepId ?? null,
    e.clockId ?? null,
    e.detail ?? null,
  ];
}

/** An incident to open, checked, before it is numbered. */
export interface Opening {
  awareAt: string;
  openedAt: string;
  by: string;
  title: string;
}

export function checkedOpening(i: OpenIncidentInput): Opening {
  if (!Number.isSafeInteger(i.year) || i.year < 1)
    throw new IncidentError('invalid-input', msg('texts2.store.incident.bad-year', { year: i.year }));
  if (i.steps.length === 0) throw new IncidentError('invalid-input', msg('errlang.incident.no-step'));
  const awareAt = isoInput(i.awareAt, 'awareAt');
  const openedAt = isoInput(i.openedAt, 'openedAt');
  const by = text(i.by, 'auteur');
  const title = text(i.title, 'titre');
  return { awareAt, openedAt, by, title };
}

/**
 * The rows of an incident numbered `seq` in its year: the `incidents` values (id, year, seq,
 * playbook_id, title, severity, aware_at, opened_at, opened_by, personal_data, nis2_significant,
 * from_fingerprint), the `incident_steps` values (incident_id, seq, step_id, phase, text) and the log.
 */
export function openingRows(
  i: OpenIncidentInput,
  o: Opening,
  seq: number,
): { id: string; incident: unknown[]; steps: unknown[][]; events: IncidentEventValues[] } {
  const id = incidentId(i.year, seq);
  return {
    id,
    incident: [
      id,
      i.year,
      seq,
      i.playbookId,
      o.title,
      i.severity,
      o.awareAt,
      o.openedAt,
      o.by,
      i.personalData ? 1 : 0,
      i.nis2Significant ? 1 : 0,
      i.fromFingerprint ?? null,
    ],
    steps: i.steps.map((s, index) => [id, index, s.stepId, s.phase, s.text]),
    events: [
      { incidentId: id, at: o.awareAt, recordedAt: o.openedAt, by: o.by, kind: 'aware' },
      {
        incidentId: id,
        at: o.openedAt,
        recordedAt: o.openedAt,
        by: o.by,
        kind: 'opened',
        detail: `${i.playbookId} — ${o.title}`,
      },
    ],
  };
}

/** A step marked done or skipped, checked (once the step is known to exist): its values and log entry. */
export function stepChange(
  id: string,
  stepId: string,
  u: IncidentStepUpdate,
): { at: string; by: string; note: string | null; event: IncidentEventValues } {
  const at = isoInput(u.at, 'at');
  const by = text(u.by, 'auteur');
  const note = u.note?.trim() || undefined;
  return {
    at,
    by,
    note: note ?? null,
    event: {
      incidentId: id,
      at,
      recordedAt: at,
      by,
      kind: u.state === 'done' ? 'step-done' : 'step-skipped',
      stepId,
      ...(note === undefined ? {} : { detail: note }),
    },
  };
}

/** A note, checked: its values and log entry. */
export function noteChange(
  id: string,
  n: IncidentNoteInput,
): { at: string; by: string; text: string; event: IncidentEventValues } {
  const at = isoInput(n.at, 'at');
  const by = text(n.by, 'auteur');
  const body = text(n.text, 'note');
  return {
    at,
    by,
    text: body,
    event: { incidentId: id, at, recordedAt: at, by, kind: 'note', detail: body },
  };
}

/** An obligation met, checked: its values and log entry. */
export function obligationChange(
  id: string,
  m: ObligationMetInput,
): { metAt: string; at: string; by: string; event: IncidentEventValues } {
  const metAt = isoInput(m.metAt, 'metAt');
  const at = isoInput(m.at, 'at');
  const by = text(m.by, 'auteur');
  return {
    metAt,
    at,
    by,
    event: { incidentId: id, at: metAt, recordedAt: at, by, kind: 'obligation-met', clockId: m.clockId },
  };
}

/** A closing, checked (once the incident is known to be open): its values and log entry. */
export function closeChange(
  id: string,
  c: CloseIncidentInput,
): { at: string; by: string; outcome: string; event: IncidentEventValues } {
  const at = isoInput(c.at, 'at');
  const by = text(c.by, 'auteur');
  const outcome = text(c.outcome, '--outcome');
  return {
    at,
    by,
    outcome,
    event: { incidentId: id, at, recordedAt: at, by, kind: 'closed', detail: outcome },
  };
}
