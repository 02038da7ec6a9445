import type { PgDatabase, PgQuery } from './pg-database.js';

/**
 * Transaction-level advisory locks (released at COMMIT or ROLLBACK), one key per purpose and per
 * schema: two vigie processes sharing a database take turns where SQLite would take its one write
 * lock.
 */
export type LockPurpose = 'migrate' | 'history';

/** Waits for the lock of `purpose` on the store's schema, until the end of the current transaction. */
export async function lockFor(q: PgQuery, db: PgDatabase, purpose: LockPurpose): Promise<void> {
  await q.run(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`vigie.${purpose}:${db.schema}`]);
}
