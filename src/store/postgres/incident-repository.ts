import { msg } from '../../i18n/index.js';
import type { Incident, IncidentEvent } from '../../domain/index.js';
import type {
  CloseIncidentInput,
  IncidentFilter,
  IncidentNoteInput,
  IncidentRepository,
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
import type { PgDatabase, PgQuery } from './pg-database.js';

/** An incident's row with its steps, notes and obligations, read in one statement (one snapshot). */
type DetailedRow = IncidentRow & { steps: StepRow[]; notes: NoteRow[]; obligations: ObligationRow[] };

const DETAILED = `
  SELECT i.*,
    (SELECT coalesce(json_agg(s ORDER BY s.seq), '[]') FROM incident_steps s WHERE s.incident_id = i.id) AS steps,
    (SELECT coalesce(json_agg(json_build_object('at', n.at, 'by', n."by", 'text', n.text) ORDER BY n.at, n.id), '[]')
       FROM incident_notes n WHERE n.incident_id = i.id) AS notes,
    (SELECT coalesce(json_agg(json_build_object('clock_id', o.clock_id, 'met_at', o.met_at,
                                                'recorded_at', o.recorded_at, 'recorded_by', o.recorded_by)
                              ORDER BY o.met_at, o.clock_id), '[]')
       FROM incident_obligations o WHERE o.incident_id = i.id) AS obligations
  FROM incidents i`;

const detailed = (r: DetailedRow): Incident => incidentOf(r, r.steps, r.notes, r.obligations);

async function selectIncident(q: PgQuery, id: string): Promise<Incident | undefined> {
  const row = await q.one<DetailedRow>(`${DETAILED} WHERE i.id = $1`, [storedId(id)]);
  return row === undefined ? undefined : detailed(row);
}

/** The incident's row, locked until the end of the transaction (changes to one incident take turns). */
async function existing(q: PgQuery, id: string): Promise<IncidentRow> {
  const row = await q.one<IncidentRow>(`SELECT * FROM incidents WHERE id = $1 FOR UPDATE`, [storedId(id)]);
  if (row === undefined) throw unknownIncident(id);
  return row;
}

async function reread(q: PgQuery, id: string): Promise<Incident> {
  return (await selectIncident(q, id)) as Incident;
}

async function logEvent(q: PgQuery, e: IncidentEventValues): Promise<void> {
  await q.run(
    `INSERT INTO incident_events (incident_id, at, recorded_at, "by", kind, step_id, clock_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    eventParams(e),
  );
}

/** Incidents in PostgreSQL. */
export class PgIncidentRepository implements IncidentRepository {
  constructor(private readonly db: PgDatabase) {}

  open(i: OpenIncidentInput): Promise<Incident> {
    return this.db.write(msg('texts2.store.incident.open'), async (q) => {
      const opening = checkedOpening(i);
      // Two processes opening an incident the same year take turns for its number.
      await q.run(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `vigie.incident-numbers:${this.db.schema}:${i.year}`,
      ]);
      const last = await q.one<{ seq: number | null }>(
        `SELECT MAX(seq) AS seq FROM incidents WHERE year = $1`,
        [i.year],
      );
      const rows = openingRows(i, opening, (last?.seq ?? 0) + 1);
      await q.run(
        `INSERT INTO incidents (id, year, seq, playbook_id, title, severity, aware_at, opened_at, opened_by,
                                personal_data, nis2_significant, status, from_fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12)`,
        rows.incident,
      );
      for (const step of rows.steps) {
        await q.run(
          `INSERT INTO incident_steps (incident_id, seq, step_id, phase, text, state)
           VALUES ($1, $2, $3, $4, $5, 'pending')`,
          step,
        );
      }
      for (const event of rows.events) await logEvent(q, event);
      return reread(q, rows.id);
    });
  }

  get(id: string): Promise<Incident | undefined> {
    return this.db.read(msg('texts2.store.incident.read', { id }), (q) => selectIncident(q, id));
  }

  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    const status = filter.status;
    if (status !== undefined && status.length === 0) return [];
    const order = `ORDER BY i.opened_at DESC, i.year DESC, i.seq DESC`;
    const rows = await this.db.read(msg('texts2.store.incident.read-all'), (q) =>
      status === undefined
        ? q.rows<DetailedRow>(`${DETAILED} ${order}`)
        : q.rows<DetailedRow>(`${DETAILED} WHERE i.status = ANY($1::text[]) ${order}`, [status]),
    );
    return rows.map(detailed);
  }

  setStep(id: string, stepId: string, u: IncidentStepUpdate): Promise<Incident> {
    return this.db.write(msg('texts2.store.incident.update-step', { stepId, id }), async (q) => {
      const row = await existing(q, id);
      const wanted = storedId(stepId);
      const step = await q.one<StepRow>(
        `SELECT * FROM incident_steps WHERE incident_id = $1 AND step_id = $2`,
        [row.id, wanted],
      );
      if (step === undefined) throw unknownStep(row.id, stepId);
      const change = stepChange(row.id, wanted, u);
      await q.run(
        `UPDATE incident_steps SET state = $1, at = $2, "by" = $3, note = COALESCE($4, note)
         WHERE incident_id = $5 AND step_id = $6`,
        [u.state, change.at, change.by, change.note, row.id, wanted],
      );
      await logEvent(q, change.event);
      return reread(q, row.id);
    });
  }

  addNote(id: string, n: IncidentNoteInput): Promise<Incident> {
    return this.db.write(msg('texts2.store.incident.save-note', { id }), async (q) => {
      const row = await existing(q, id);
      const change = noteChange(row.id, n);
      await q.run(`INSERT INTO incident_notes (incident_id, at, "by", text) VALUES ($1, $2, $3, $4)`, [
        row.id,
        change.at,
        change.by,
        change.text,
      ]);
      await logEvent(q, change.event);
      return reread(q, row.id);
    });
  }

  recordObligationMet(id: string, m: ObligationMetInput): Promise<Incident> {
    return this.db.write(
      msg('texts2.store.incident.save-obligation', { clockId: m.clockId, id }),
      async (q) => {
        const row = await existing(q, id);
        const change = obligationChange(row.id, m);
        const already = await q.one<ObligationRow>(
          `SELECT * FROM incident_obligations WHERE incident_id = $1 AND clock_id = $2`,
          [row.id, m.clockId],
        );
        if (already !== undefined) throw alreadyMet(row.id, m.clockId, already);
        await q.run(
          `INSERT INTO incident_obligations (incident_id, clock_id, met_at, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5)`,
          [row.id, m.clockId, change.metAt, change.at, change.by],
        );
        await logEvent(q, change.event);
        return reread(q, row.id);
      },
    );
  }

  close(id: string, c: CloseIncidentInput): Promise<Incident> {
    return this.db.write(msg('texts2.store.incident.close', { id }), async (q) => {
      const row = await existing(q, id);
      if (row.status === 'closed') throw alreadyClosed(row);
      const change = closeChange(row.id, c);
      await q.run(
        `UPDATE incidents SET status = 'closed', closed_at = $1, closed_by = $2, outcome = $3 WHERE id = $4`,
        [change.at, change.by, change.outcome, row.id],
      );
      await logEvent(q, change.event);
      return reread(q, row.id);
    });
  }

  async timeline(id: string): Promise<IncidentEvent[]> {
    const rows = await this.db.read(msg('texts2.store.incident.read-timeline', { id }), (q) =>
      q.rows<IncidentEventRow>(
        `SELECT at, recorded_at, "by", kind, step_id, clock_id, detail FROM incident_events WHERE incident_id = $1
         ORDER BY at, id`,
        [storedId(id)],
      ),
    );
    return rows.map(incidentEventOf);
  }
}
