import type Database from 'better-sqlite3';
import type { Incident, IncidentEvent } from '../../domain/index.js';
import type {
  CloseIncidentInput,
  IncidentFilter,
  IncidentNoteInput,
  IncidentStepUpdate,
  ObligationMetInput,
  OpenIncidentInput,
} from '../incident-repository.js';
import {
  alreadyClosed,
  alreadyMet,
  checkedOpening,
  closeChange,
  eventParams,
  incidentEventOf,
  incidentOf,
  noteChange,
  obligationChange,
  openingRows,
  stepChange,
  storedId,
  unknownIncident,
  unknownStep,
  type IncidentEventRow,
  type IncidentEventValues,
  type IncidentRow,
  type NoteRow,
  type ObligationRow,
  type StepRow,
} from '../incident-rows.js';

/** Incidents, their steps, notes, obligations met and append-only log (tables of migration 3). */

function withDetails(db: Database.Database, row: IncidentRow): Incident {
  const steps = db
    .prepare<[string], StepRow>(`SELECT * FROM incident_steps WHERE incident_id = ? ORDER BY seq`)
    .all(row.id);
  const notes = db
    .prepare<[string], NoteRow>(
      `SELECT at, by, text FROM incident_notes WHERE incident_id = ? ORDER BY at, id`,
    )
    .all(row.id);
  const obligations = db
    .prepare<[string], ObligationRow>(
      `SELECT clock_id, met_at, recorded_at, recorded_by FROM incident_obligations WHERE incident_id = ?
       ORDER BY met_at, clock_id`,
    )
    .all(row.id);
  return incidentOf(row, steps, notes, obligations);
}

function logEvent(db: Database.Database, e: IncidentEventValues): void {
  db.prepare(
    `INSERT INTO incident_events (incident_id, at, recorded_at, by, kind, step_id, clock_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...eventParams(e));
}

function selectRow(db: Database.Database, id: string): IncidentRow | undefined {
  return db.prepare<[string], IncidentRow>(`SELECT * FROM incidents WHERE id = ?`).get(storedId(id));
}

function existing(db: Database.Database, id: string): IncidentRow {
  const row = selectRow(db, id);
  if (row === undefined) throw unknownIncident(id);
  return row;
}

export function insertIncident(db: Database.Database, i: OpenIncidentInput): Incident {
  const opening = checkedOpening(i);
  const last = db
    .prepare<[number], { seq: number | null }>(`SELECT MAX(seq) AS seq FROM incidents WHERE year = ?`)
    .get(i.year);
  const rows = openingRows(i, opening, (last?.seq ?? 0) + 1);
  db.prepare(
    `INSERT INTO incidents (id, year, seq, playbook_id, title, severity, aware_at, opened_at, opened_by, personal_data,
                            nis2_significant, status, from_fingerprint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
  ).run(...rows.incident);
  const insertStep = db.prepare(
    `INSERT INTO incident_steps (incident_id, seq, step_id, phase, text, state) VALUES (?, ?, ?, ?, ?, 'pending')`,
  );
  for (const step of rows.steps) insertStep.run(...step);
  for (const event of rows.events) logEvent(db, event);
  return withDetails(db, existing(db, rows.id));
}

export function selectIncident(db: Database.Database, id: string): Incident | undefined {
  const row = selectRow(db, id);
  return row === undefined ? undefined : withDetails(db, row);
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
    .map((row) => withDetails(db, row));
}

export function updateStep(
  db: Database.Database,
  id: string,
  stepId: string,
  u: IncidentStepUpdate,
): Incident {
  const row = existing(db, id);
  const wanted = storedId(stepId);
  const step = db
    .prepare<[string, string], StepRow>(`SELECT * FROM incident_steps WHERE incident_id = ? AND step_id = ?`)
    .get(row.id, wanted);
  if (step === undefined) throw unknownStep(row.id, stepId);
  const change = stepChange(row.id, wanted, u);
  db.prepare(
    `UPDATE incident_steps SET state = ?, at = ?, by = ?, note = COALESCE(?, note) WHERE incident_id = ? AND step_id = ?`,
  ).run(u.state, change.at, change.by, change.note, row.id, wanted);
  logEvent(db, change.event);
  return withDetails(db, row);
}

export function insertNote(db: Database.Database, id: string, n: IncidentNoteInput): Incident {
  const row = existing(db, id);
  const change = noteChange(row.id, n);
  db.prepare(`INSERT INTO incident_notes (incident_id, at, by, text) VALUES (?, ?, ?, ?)`).run(
    row.id,
    change.at,
    change.by,
    change.text,
  );
  logEvent(db, change.event);
  return withDetails(db, row);
}

export function insertObligationMet(db: Database.Database, id: string, m: ObligationMetInput): Incident {
  const row = existing(db, id);
  const change = obligationChange(row.id, m);
  const already = db
    .prepare<[string, string], ObligationRow>(
      `SELECT * FROM incident_obligations WHERE incident_id = ? AND clock_id = ?`,
    )
    .get(row.id, m.clockId);
  if (already !== undefined) throw alreadyMet(row.id, m.clockId, already);
  db.prepare(
    `INSERT INTO incident_obligations (incident_id, clock_id, met_at, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)`,
  ).run(row.id, m.clockId, change.metAt, change.at, change.by);
  logEvent(db, change.event);
  return withDetails(db, row);
}

export function updateClosed(db: Database.Database, id: string, c: CloseIncidentInput): Incident {
  const row = existing(db, id);
  if (row.status === 'closed') throw alreadyClosed(row);
  const change = closeChange(row.id, c);
  db.prepare(
    `UPDATE incidents SET status = 'closed', closed_at = ?, closed_by = ?, outcome = ? WHERE id = ?`,
  ).run(change.at, change.by, change.outcome, row.id);
  logEvent(db, change.event);
  return withDetails(db, existing(db, row.id));
}

export function selectIncidentEvents(db: Database.Database, id: string): IncidentEvent[] {
  return db
    .prepare<[string], IncidentEventRow>(
      `SELECT at, recorded_at, by, kind, step_id, clock_id, detail FROM incident_events WHERE incident_id = ?
       ORDER BY at, id`,
    )
    .all(storedId(id))
    .map(incidentEventOf);
}
