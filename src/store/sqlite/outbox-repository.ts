import type { OutboxEntry, OutboxFilter, OutboxRepository, OutboxReservation } from '../outbox-repository.js';
import type { SqliteDatabase } from './database.js';
import { getOutbox, listOutbox, markOutboxFailed, markOutboxSent, reserveOutbox } from './outbox-records.js';

/** The mail outbox in SQLite. */
export class SqliteOutboxRepository implements OutboxRepository {
  constructor(private readonly h: SqliteDatabase) {}

  reserve(e: OutboxReservation): { entry: OutboxEntry; created: boolean } {
    return this.h.write(`échec de l'enregistrement du courriel ${e.key}`, () => reserveOutbox(this.h.db, e));
  }

  get(key: string): OutboxEntry | undefined {
    return this.h.read(`échec de la lecture du courriel ${key}`, () => getOutbox(this.h.db, key));
  }

  markSent(key: string, r: { at: string; messageId?: string }): void {
    this.h.write(`échec de l'enregistrement de l'envoi de ${key}`, () => markOutboxSent(this.h.db, key, r));
  }

  markFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): void {
    this.h.write(`échec de l'enregistrement de l'échec de ${key}`, () => markOutboxFailed(this.h.db, key, r));
  }

  list(filter: OutboxFilter = {}): OutboxEntry[] {
    return this.h.read('échec de la lecture de la file des courriels', () => listOutbox(this.h.db, filter));
  }
}
