import { StorageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { lockFor } from './locks.js';
import type { PgDatabase } from './pg-database.js';
import { CORE_DDL } from './schema/core.js';
import { REGISTER_DDL } from './schema/register.js';

/**
 * One schema step of the PostgreSQL store. Append-only, as SQLite's: a released step is never
 * edited, a change is a new step. PostgreSQL numbers its own versions: version 1 is SQLite's
 * schema at its version 7.
 */
export interface PgMigration {
  version: number;
  description: string;
  statements: readonly string[];
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description:
      'every table of SQLite schema v7: runs, findings, waivers, discovery, registers, outbox, daemon',
    statements: [...CORE_DDL, ...REGISTER_DDL],
  },
  {
    version: 2,
    description: 'leases (SQLite migration 8): work one process does at a time across processes',
    statements: [
      `CREATE TABLE leases (
         name        TEXT COLLATE "C" PRIMARY KEY,
         owner       TEXT COLLATE "C" NOT NULL,
         until       TEXT COLLATE "C" NOT NULL,
         acquired_at TEXT COLLATE "C" NOT NULL
       )`,
    ],
  },
];

/** The schema version this build of vigie writes on PostgreSQL. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export type PgMigrationResult =
  { status: 'up-to-date'; version: number } | { status: 'migrated'; from: number; to: number };

/** The version table: one row, the schema version of the tables beside it. */
const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS vigie_schema (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  version     INTEGER NOT NULL CHECK (version >= 0),
  migrated_at TEXT NOT NULL
)`;

/**
 * Applies the pending migrations in order, in one transaction under an advisory lock (two processes
 * starting at once: the second waits, then finds the schema up to date). A schema written by a newer
 * vigie is refused with a StorageError, and nothing is changed; a failed step leaves nothing behind.
 */
export async function migratePg(
  db: PgDatabase,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<PgMigrationResult> {
  const target = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return db.write(msg('pgcore.migrate', { schema: db.schema }), async (q): Promise<PgMigrationResult> => {
    await lockFor(q, db, 'migrate');
    await q.run(VERSION_TABLE);
    const row = await q.one<{ version: number }>(`SELECT version FROM vigie_schema WHERE id = 1`);
    const from = row?.version ?? 0;
    if (from > target) {
      throw new StorageError(
        msg('pgcore.newer', { url: db.label, schema: db.schema, version: from, known: target }),
        { hint: msg('pgcore.newer.hint') },
      );
    }
    if (from === target) return { status: 'up-to-date', version: from };
    const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      for (const statement of m.statements) await q.run(statement);
    }
    await q.run(
      `INSERT INTO vigie_schema (id, version, migrated_at) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, migrated_at = excluded.migrated_at`,
      [target, now().toISOString()],
    );
    return { status: 'migrated', from, to: target };
  });
}
