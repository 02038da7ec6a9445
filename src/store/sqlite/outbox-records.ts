import type Database from 'better-sqlite3';
import type { OutboxEntry, OutboxFilter, OutboxKind } from '../outbox-repository.js';
import { outboxEntryOf, outboxMatches, type OutboxRow } from '../outbox-rows.js';

/** Mail outbox (table of migration 4). */

export function reserveOutbox(
  db: Database.Database,
  e: { key: string; kind: OutboxKind; subject: string; recipients: readonly string[]; at: string },
): { entry: OutboxEntry; created: boolean } {
  const info = db
    .prepare(
      `INSERT OR IGNORE INTO mail_outbox (key, kind, subject, recipients_json, created_at, state, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    )
    .run(e.key, e.kind, e.subject, JSON.stringify(e.recipients), e.at, e.at);
  return { entry: getOutbox(db, e.key) as OutboxEntry, created: info.changes === 1 };
}

export function getOutbox(db: Database.Database, key: string): OutboxEntry | undefined {
  const row = db.prepare<[string], OutboxRow>(`SELECT * FROM mail_outbox WHERE key = ?`).get(key);
  return row ? outboxEntryOf(row) : undefined;
}

export function claimOutbox(
  db: Database.Database,
  key: string,
  r: { at: string; until: string },
): OutboxEntry | undefined {
  const info = db
    .prepare(
      `UPDATE mail_outbox SET next_attempt_at = ?
       WHERE key = ? AND state <> 'sent' AND coalesce(next_attempt_at, created_at) <= ?`,
    )
    .run(r.until, key, r.at);
  return info.changes === 1 ? getOutbox(db, key) : undefined;
}

export function markOutboxSent(
  db: Database.Database,
  key: string,
  r: { at: string; messageId?: string },
): void {
  db.prepare(
    `UPDATE mail_outbox SET state = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, last_attempt_at = ?,
       next_attempt_at = NULL, last_error = NULL WHERE key = ? AND state <> 'sent'`,
  ).run(r.at, r.messageId ?? null, r.at, key);
}

export function markOutboxFailed(
  db: Database.Database,
  key: string,
  r: { at: string; error: string; nextAttemptAt: string },
): void {
  db.prepare(
    `UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, last_error = ?
     WHERE key = ? AND state <> 'sent'`,
  ).run(r.at, r.nextAttemptAt, r.error, key);
}

export function listOutbox(db: Database.Database, f: OutboxFilter): OutboxEntry[] {
  return db
    .prepare<[], OutboxRow>(`SELECT * FROM mail_outbox ORDER BY created_at, key`)
    .all()
    .map(outboxEntryOf)
    .filter((e) => outboxMatches(e, f));
}
