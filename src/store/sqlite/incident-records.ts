import type Database from 'better-sqlite3';
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
} from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { IncidentError } from '../incident-error.js';
import { isoInput } from '../iso-input.js';
import type {
  CloseIncidentInput,
  IncidentFilter,
  IncidentNoteInput,
  IncidentStepUpdate,
  ObligationMetInput,
  OpenIncidentInput,
} from '../incident-repository.js';

/** Incidents, their steps, notes, obligations met and append-only log (tables of migration 3). */

interface IncidentRow {
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

interface StepRow {
  step_id: string;
  phase: string;
  text: string;
  state: string;
  at: string | null;
  by: string | null;
  note: string | null;
}

interface NoteRow {
  at: string;
  by: string;
  text: string;
}

interface ObligationRow {
  clock_id: string;
  met_at: string;
  recorded_at: string;
  recorded_by: string;
}

interface IncidentEventRow {
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

function incidentOf(db: Database.Database, row: IncidentRow): Incident {
  const steps = db
    .prepare<[string], StepRow>(`SELECT * FROM incident_steps WHERE incident_id = ? ORDER BY seq`)
    .all(row.id)
    .map(stepOf);
  const notes = db
    .prepare<[string], NoteRow>(
      `SELECT at, by, text FROM incident_notes WHERE incident_id = ? ORDER BY at, id`,
    )
    .all(row.id);
  const obligationsMet = db
    .prepare<[string], ObligationRow>(
      `SELECT clock_id, met_at, recorded_at, recorded_by FROM incident_obligations WHERE incident_id = ?
       ORDER BY met_at, clock_id`,
    )
    .all(row.id)
    .map((o) => ({ clockId: o.clock_id, metAt: o.met_at, recordedAt: o.recorded_at, by: o.recorded_by }));
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
    steps,
    notes,
    obligationsMet,
  };
}

function eventOf(row: IncidentEventRow): IncidentEvent {
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

function text(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new IncidentError('invalid-input', `${what} vide`);
  return trimmed;
}

function logEvent(
  db: Database.Database,
  e: { incidentId: string; at: string; recordedAt: string; by: string; kind: IncidentEventKind } & {
    stepId?: string;
    clockId?: string;
    detail?: string;
  },
): void {
  db.prepare(
    `INSERT INTO incident_events (incident_id, at, recorded_at, by, kind, step_id, clock_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.incidentId,
    e.at,
    e.recordedAt,
    e.by,
    e.kind,
    e.stepId ?? null,
    e.clockId ?? null,
    e.detail ?? null,
  );
}

function selectRow(db: Database.Database, id: string): IncidentRow | undefined {
  return db
    .prepare<[string], IncidentRow>(`SELECT * FROM incidents WHERE id = ?`)
    .get(id.trim().toUpperCase());
}

function existing(db: Database.Database, id: string): IncidentRow {
  const row = selectRow(db, id);
  if (row === undefined) {
    throw new IncidentError('unknown-incident', msg('errlang.incident.unknown', { id }), {
      hint: msg('errlang.incident.unknown.hint'),
    });
  }
  return row;
}

export function insertIncident(db: Database.Database, i: OpenIncidentInput): Incident {
  if (!Number.isSafeInteger(i.year) || i.year < 1)
    throw new IncidentError('invalid-input', msg('texts2.store.incident.bad-year', { year: i.year }));
  if (i.steps.length === 0) throw new IncidentError('invalid-input', msg('errlang.incident.no-step'));
  const awareAt = isoInput(i.awareAt, 'awareAt');
  const openedAt = isoInput(i.openedAt, 'openedAt');
  const by = text(i.by, 'auteur');
  const title = text(i.title, 'titre');
  const last = db
    .prepare<[number], { seq: number | null }>(`SELECT MAX(seq) AS seq FROM incidents WHERE year = ?`)
    .get(i.year);
  const seq = (last?.seq ?? 0) + 1;
  const id = incidentId(i.year, seq);
  db.prepare(
    `INSERT INTO incidents (id, year, seq, playbook_id, title, severity, aware_at, opened_at, opened_by, personal_data,
                            nis2_significant, status, from_fingerprint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
  ).run(
    id,
    i.year,
    seq,
    i.playbookId,
    title,
    i.severity,
    awareAt,
    openedAt,
    by,
    i.personalData ? 1 : 0,
    i.nis2Significant ? 1 : 0,
    i.fromFingerprint ?? null,
  );
  const insertStep = db.prepare(
    `INSERT INTO incident_steps (incident_id, seq, step_id, phase, text, state) VALUES (?, ?, ?, ?, ?, 'pending')`,
  );
  i.steps.forEach((s, index) => insertStep.run(id, index, s.stepId, s.phase, s.text));
  logEvent(db, { incidentId: id, at: awareAt, recordedAt: openedAt, by, kind: 'aware' });
  logEvent(db, {
    incidentId: id,
    at: openedAt,
    recordedAt: openedAt,
    by,
    kind: 'opened',
    detail: `${i.playbookId} — ${title}`,
  });
  return incidentOf(db, existing(db, id));
}

export function selectIncident(db: Database.Database, id: string): Incident | undefined {
  const row = selectRow(db, id);
  return row === undefined ? undefined : incidentOf(db, row);
}

export function selectIncidents(db: Database.Database, filter: IncidentFilter = {}): Incident[] {
  if (filter.status !== undefined && filter.status.length === 0) return [];
  const where =
    filter.status === undefined ? '' : `WHERE status IN (${filter.status.map(() => '?').join(', ')})`;
  return db
    .prepare<unknown[], IncidentRow>(
      `SELECT * FROM incidents ${where} ORDER BY opened_at DESC, year DESC, seq DESC`,
    )
    .all(...(filter.status ?? []))
    .map((row) => incidentOf(db, row));
}

export function updateStep(
  db: Database.Database,
  id: string,
  stepId: string,
  u: IncidentStepUpdate,
): Incident {
  const row = existing(db, id);
  const wanted = stepId.trim().toUpperCase();
  const step = db
    .prepare<[string, string], StepRow>(`SELECT * FROM incident_steps WHERE incident_id = ? AND step_id = ?`)
    .get(row.id, wanted);
  if (step === undefined) {
    throw new IncidentError('unknown-step', msg('errlang.incident.unknown-step', { id: row.id, stepId }), {
      hint: msg('errlang.incident.unknown-step.hint', { id: row.id }),
    });
  }
  const at = isoInput(u.at, 'at');
  const by = text(u.by, 'auteur');
  const note = u.note?.trim() || undefined;
  db.prepare(
    `UPDATE incident_steps SET state = ?, at = ?, by = ?, note = COALESCE(?, note) WHERE incident_id = ? AND step_id = ?`,
  ).run(u.state, at, by, note ?? null, row.id, wanted);
  logEvent(db, {
    incidentId: row.id,
    at,
    recordedAt: at,
    by,
    kind: u.state === 'done' ? 'step-done' : 'step-skipped',
    stepId: wanted,
    ...(note === undefined ? {} : { detail: note }),
  });
  return incidentOf(db, row);
}

export function insertNote(db: Database.Database, id: string, n: IncidentNoteInput): Incident {
  const row = existing(db, id);
  const at = isoInput(n.at, 'at');
  const by = text(n.by, 'auteur');
  const body = text(n.text, 'note');
  db.prepare(`INSERT INTO incident_notes (incident_id, at, by, text) VALUES (?, ?, ?, ?)`).run(
    row.id,
    at,
    by,
    body,
  );
  logEvent(db, { incidentId: row.id, at, recordedAt: at, by, kind: 'note', detail: body });
  return incidentOf(db, row);
}

export function insertObligationMet(db: Database.Database, id: string, m: ObligationMetInput): Incident {
  const row = existing(db, id);
  const metAt = isoInput(m.metAt, 'metAt');
  const at = isoInput(m.at, 'at');
  const by = text(m.by, 'auteur');
  const already = db
    .prepare<[string, string], ObligationRow>(
      `SELECT * FROM incident_obligations WHERE incident_id = ? AND clock_id = ?`,
    )
    .get(row.id, m.clockId);
  if (already !== undefined) {
    throw new IncidentError(
      'already-met',
      msg('errlang.incident.already-met', {
        clockId: m.clockId,
        id: row.id,
        metAt: already.met_at,
        by: already.recorded_by,
      }),
    );
  }
  db.prepare(
    `INSERT INTO incident_obligations (incident_id, clock_id, met_at, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)`,
  ).run(row.id, m.clockId, metAt, at, by);
  logEvent(db, {
    incidentId: row.id,
    at: metAt,
    recordedAt: at,
    by,
    kind: 'obligation-met',
    clockId: m.clockId,
  });
  return incidentOf(db, row);
}

export function updateClosed(db: Database.Database, id: string, c: CloseIncidentInput): Incident {
  const row = existing(db, id);
  if (row.status === 'closed') {
    throw new IncidentError(
      'already-closed',
      msg('errlang.incident.already-closed', { id: row.id, closedAt: row.closed_at ?? '?' }),
    );
  }
  const at = isoInput(c.at, 'at');
  const by = text(c.by, 'auteur');
  const outcome = text(c.outcome, '--outcome');
  db.prepare(
    `UPDATE incidents SET status = 'closed', closed_at = ?, closed_by = ?, outcome = ? WHERE id = ?`,
  ).run(at, by, outcome, row.id);
  logEvent(db, { incidentId: row.id, at, recordedAt: at, by, kind: 'closed', detail: outcome });
  return incidentOf(db, existing(db, row.id));
}

export function selectIncidentEvents(db: Database.Database, id: string): IncidentEvent[] {
  return db
    .prepare<[string], IncidentEventRow>(
      `SELECT at, recorded_at, by, kind, step_id, clock_id, detail FROM incident_events WHERE incident_id = ?
       ORDER BY at, id`,
    )
    .all(id.trim().toUpperCase())
    .map(eventOf);
}
