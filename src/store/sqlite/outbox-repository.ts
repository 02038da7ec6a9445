import { msg } from '../../i18n/index.js';
import type { OutboxEntry, OutboxFilter, OutboxRepository, OutboxReservation } from '../outbox-repository.js';
import type { SqliteDatabase } from './database.js';
import {
  claimOutbox,
  getOutbox,
  listOutbox,
  markOutboxFailed,
  markOutboxSent,
  reserveOutbox,
} from './outbox-records.js';

/** The mail outbox in SQLite. */
export class SqliteOutboxRepository implements OutboxRepository {
  constructor(private readonly h: SqliteDatabase) {}

  reserve(e: OutboxReservation): { entry: OutboxEntry; created: boolean } {
    return this.h.write(msg('texts2.store.outbox.save', { key: e.key }), () => reserveOutbox(this.h.db, e));
  }

  get(key: string): OutboxEntry | undefined {
    return this.h.read(msg('texts2.store.outbox.read', { key }), () => getOutbox(this.h.db, key));
  }

  claim(key: string, r: { at: string; until: string }): OutboxEntry | undefined {
    return this.h.write(msg('texts2.store.outbox.save', { key }), () => claimOutbox(this.h.db, key, r));
  }

  markSent(key: string, r: { at: string; messageId?: string }): void {
    this.h.write(msg('texts2.store.outbox.save-sent', { key }), () => markOutboxSent(this.h.db, key, r));
  }

  markFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): void {
    this.h.write(msg('texts2.store.outbox.save-failure', { key }), () => markOutboxFailed(this.h.db, key, r));
  }

  list(filter: OutboxFilter = {}): OutboxEntry[] {
    return this.h.read(msg('texts2.store.outbox.read-all'), () => listOutbox(this.h.db, filter));
  }
}
