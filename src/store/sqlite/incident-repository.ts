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
    return this.h.write("échec de l'ouverture de l'incident", () => insertIncident(this.h.db, i));
  }

  get(id: string): Incident | undefined {
    return this.h.read(`échec de la lecture de l'incident ${id}`, () => selectIncident(this.h.db, id));
  }

  list(filter: IncidentFilter = {}): Incident[] {
    return this.h.read('échec de la lecture des incidents', () => selectIncidents(this.h.db, filter));
  }

  setStep(id: string, stepId: string, u: IncidentStepUpdate): Incident {
    return this.h.write(`échec de la mise à jour de l'étape ${stepId} (${id})`, () =>
      updateStep(this.h.db, id, stepId, u),
    );
  }

  addNote(id: string, n: IncidentNoteInput): Incident {
    return this.h.write(`échec de l'enregistrement de la note (${id})`, () => insertNote(this.h.db, id, n));
  }

  recordObligationMet(id: string, m: ObligationMetInput): Incident {
    return this.h.write(`échec de l'enregistrement de l'obligation ${m.clockId} (${id})`, () =>
      insertObligationMet(this.h.db, id, m),
    );
  }

  close(id: string, c: CloseIncidentInput): Incident {
    return this.h.write(`échec de la clôture de l'incident ${id}`, () => updateClosed(this.h.db, id, c));
  }

  timeline(id: string): IncidentEvent[] {
    return this.h.read(`échec de la lecture de la chronologie de ${id}`, () =>
      selectIncidentEvents(this.h.db, id),
    );
  }
}
