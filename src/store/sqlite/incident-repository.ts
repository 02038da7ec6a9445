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
import type { SqliteDatabase } from './database.js';
import {
  insertIncident,
  insertNote,
  insertObligationMet,
  selectIncident,
  selectIncidentEvents,
  selectIncidents,
  updateClosed,
  updateStep,
} from './incident-records.js';

/** Incidents in SQLite. */
export class SqliteIncidentRepository implements IncidentRepository {
  constructor(private readonly h: SqliteDatabase) {}

  async open(i: OpenIncidentInput): Promise<Incident> {
    return this.h.write(msg('texts2.store.incident.open'), () => insertIncident(this.h.db, i));
  }

  async get(id: string): Promise<Incident | undefined> {
    return this.h.read(msg('texts2.store.incident.read', { id }), () => selectIncident(this.h.db, id));
  }

  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    return this.h.read(msg('texts2.store.incident.read-all'), () => selectIncidents(this.h.db, filter));
  }

  async setStep(id: string, stepId: string, u: IncidentStepUpdate): Promise<Incident> {
    return this.h.write(msg('texts2.store.incident.update-step', { stepId, id }), () =>
      updateStep(this.h.db, id, stepId, u),
    );
  }

  async addNote(id: string, n: IncidentNoteInput): Promise<Incident> {
    return this.h.write(msg('texts2.store.incident.save-note', { id }), () => insertNote(this.h.db, id, n));
  }

  async recordObligationMet(id: string, m: ObligationMetInput): Promise<Incident> {
    return this.h.write(msg('texts2.store.incident.save-obligation', { clockId: m.clockId, id }), () =>
      insertObligationMet(this.h.db, id, m),
    );
  }

  async close(id: string, c: CloseIncidentInput): Promise<Incident> {
    return this.h.write(msg('texts2.store.incident.close', { id }), () => updateClosed(this.h.db, id, c));
  }

  async timeline(id: string): Promise<IncidentEvent[]> {
    return this.h.read(msg('texts2.store.incident.read-timeline', { id }), () =>
      selectIncidentEvents(this.h.db, id),
    );
  }
}
