import { msg } from '../../i18n/index.js';
import type { OutboxEntry, OutboxFilter, OutboxRepository, OutboxReservation } from '../outbox-repository.js';
import { outboxEntryOf, outboxMatches, type OutboxRow } from '../outbox-rows.js';
import type { PgDatabase, PgQuery } from './pg-database.js';

async function selectEntry(q: PgQuery, key: string): Promise<OutboxEntry | undefined> {
  const row = await q.one<OutboxRow>(`SELECT * FROM mail_outbox WHERE key = $1`, [key]);
  return row === undefined ? undefined : outboxEntryOf(row);
}

/**
 * The mail outbox in PostgreSQL. Exactly once across processes: a reservation is one
 * `INSERT … ON CONFLICT DO NOTHING`, so of two processes reserving the same key at once, one creates
 * the entry and the other waits for it to commit, then finds it (`created` false).
 */
export class PgOutboxRepository implements OutboxRepository {
  constructor(private readonly db: PgDatabase) {}

  reserve(e: OutboxReservation): Promise<{ entry: OutboxEntry; created: boolean }> {
    return this.db.write(msg('texts2.store.outbox.save', { key: e.key }), async (q) => {
      const inserted = await q.one<OutboxRow>(
        `INSERT INTO mail_outbox (key, kind, subject, recipients_json, created_at, state, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $5)
         ON CONFLICT (key) DO NOTHING RETURNING *`,
        [e.key, e.kind, e.subject, JSON.stringify(e.recipients), e.at],
      );
      if (inserted !== undefined) return { entry: outboxEntryOf(inserted), created: true };
      return { entry: (await selectEntry(q, e.key)) as OutboxEntry, created: false };
    });
  }

  get(key: string): Promise<OutboxEntry | undefined> {
    return this.db.read(msg('texts2.store.outbox.read', { key }), (q) => selectEntry(q, key));
  }

  /** One `UPDATE … RETURNING`: of two processes claiming at once, the second finds the entry no longer due. */
  async claim(key: string, r: { at: string; until: string }): Promise<OutboxEntry | undefined> {
    const row = await this.db.write(msg('texts2.store.outbox.save', { key }), (q) =>
      q.one<OutboxRow>(
        `UPDATE mail_outbox SET next_attempt_at = $1
         WHERE key = $2 AND state <> 'sent' AND coalesce(next_attempt_at, created_at) <= $3 RETURNING *`,
        [r.until, key, r.at],
      ),
    );
    return row === undefined ? undefined : outboxEntryOf(row);
  }

  async markSent(key: string, r: { at: string; messageId?: string }): Promise<void> {
    await this.db.write(msg('texts2.store.outbox.save-sent', { key }), (q) =>
      q.run(
        `UPDATE mail_outbox SET state = 'sent', sent_at = $1, message_id = $2, attempts = attempts + 1,
           last_attempt_at = $1, next_attempt_at = NULL, last_error = NULL WHERE key = $3 AND state <> 'sent'`,
        [r.at, r.messageId ?? null, key],
      ),
    );
  }

  async markFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): Promise<void> {
    await this.db.write(msg('texts2.store.outbox.save-failure', { key }), (q) =>
      q.run(
        `UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, last_attempt_at = $1, next_attempt_at = $2,
           last_error = $3 WHERE key = $4 AND state <> 'sent'`,
        [r.at, r.nextAttemptAt, r.error, key],
      ),
    );
  }

  async list(filter: OutboxFilter = {}): Promise<OutboxEntry[]> {
    const rows = await this.db.read(msg('texts2.store.outbox.read-all'), (q) =>
      q.rows<OutboxRow>(`SELECT * FROM mail_outbox ORDER BY created_at, key`),
    );
    return rows.map(outboxEntryOf).filter((e) => outboxMatches(e, filter));
  }
}
