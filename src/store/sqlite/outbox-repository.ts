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

  async reserve(e: OutboxReservation): Promise<{ entry: OutboxEntry; created: boolean }> {
    return this.h.write(msg('texts2.store.outbox.save', { key: e.key }), () => reserveOutbox(this.h.db, e));
  }

  async get(key: string): Promise<OutboxEntry | undefined> {
    return this.h.read(msg('texts2.store.outbox.read', { key }), () => getOutbox(this.h.db, key));
  }

  async claim(key: string, r: { at: string; until: string }): Promise<OutboxEntry | undefined> {
    return this.h.write(msg('texts2.store.outbox.save', { key }), () => claimOutbox(this.h.db, key, r));
  }

  async markSent(key: string, r: { at: string; messageId?: string }): Promise<void> {
    this.h.write(msg('texts2.store.outbox.save-sent', { key }), () => markOutboxSent(this.h.db, key, r));
  }

  async markFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): Promise<void> {
    this.h.write(msg('texts2.store.outbox.save-failure', { key }), () => markOutboxFailed(this.h.db, key, r));
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxEntry[]> {
    return this.h.read(msg('texts2.store.outbox.read-all'), () => listOutbox(this.h.db, filter));
  }
}
