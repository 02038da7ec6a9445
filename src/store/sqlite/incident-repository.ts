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

  open(i: OpenIncidentInput): Incident {
    return this.h.write(msg('texts2.store.incident.open'), () => insertIncident(this.h.db, i));
  }

  get(id: string): Incident | undefined {
    return this.h.read(msg('texts2.store.incident.read', { id }), () => selectIncident(this.h.db, id));
  }

  list(filter: IncidentFilter = {}): Incident[] {
    return this.h.read(msg('texts2.store.incident.read-all'), () => selectIncidents(this.h.db, filter));
  }

  setStep(id: string, stepId: string, u: IncidentStepUpdate): Incident {
    return this.h.write(msg('texts2.store.incident.update-step', { stepId, id }), () =>
      updateStep(this.h.db, id, stepId, u),
    );
  }

  addNote(id: string, n: IncidentNoteInput): Incident {
    return this.h.write(msg('texts2.store.incident.save-note', { id }), () => insertNote(this.h.db, id, n));
  }

  recordObligationMet(id: string, m: ObligationMetInput): Incident {
    return this.h.write(msg('texts2.store.incident.save-obligation', { clockId: m.clockId, id }), () =>
      insertObligationMet(this.h.db, id, m),
    );
  }

  close(id: string, c: CloseIncidentInput): Incident {
    return this.h.write(msg('texts2.store.incident.close', { id }), () => updateClosed(this.h.db, id, c));
  }

  timeline(id: string): IncidentEvent[] {
    return this.h.read(msg('texts2.store.incident.read-timeline', { id }), () =>
      selectIncidentEvents(this.h.db, id),
    );
  }
}
