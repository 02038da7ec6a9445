import path from 'node:path';
import Database from 'better-sqlite3';
import { msg } from '../../i18n/index.js';
import { ROWID_TABLES, type TableIo, type TableWriter } from '../table-io.js';
import { DATABASE_FILE, openStore } from './open-store.js';
import { guard } from './storage-failure.js';

const BATCH = 1000;
const NAME = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad identifier: ${name}`);
  return `"${name}"`;
}

async function readBatches(
  db: Database.Database,
  table: string,
  columns: readonly string[],
  onBatch: (rows: unknown[][]) => Promise<void>,
): Promise<void> {
  // Read a page at a time (the connection must be free between pages for the writer's awaits).
  let offset = 0;
  for (;;) {
    const page = db
      .prepare(`SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)} ORDER BY rowid LIMIT ? OFFSET ?`)
      .raw(true)
      .all(BATCH, offset) as unknown[][];
    if (page.length === 0) break;
    await onBatch(page);
    offset += page.length;
    if (page.length < BATCH) break;
  }
}

/**
 * The SQLite store of a data directory, table by table (migrated to the current version first, as
 * every command does). Transactions are explicit BEGIN/COMMIT on the one connection, so they may
 * span the awaits of a copy.
 */
export async function openSqliteTables(dataDir: string): Promise<TableIo> {
  await openStore(dataDir).close();
  const file = path.join(dataDir, DATABASE_FILE);
  const db = guard(msg('errlang.store.open'), file, () => new Database(file, { timeout: 5000 }));
  db.pragma('foreign_keys = ON');
  const what = msg('storecopy.what');
  const count = (table: string): Promise<number> =>
    Promise.resolve(
      guard(
        what,
        file,
        () => (db.prepare(`SELECT count(*) AS n FROM ${ident(table)}`).get() as { n: number }).n,
      ),
    );
  const read = (table: string, columns: readonly string[], onBatch: (rows: unknown[][]) => Promise<void>) =>
    readBatches(db, table, columns, onBatch);
  const writer: TableWriter = {
    insert(table, columns, rows) {
      guard(what, file, () => {
        const stmt = db.prepare(
          `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of rows) stmt.run(...row);
      });
      return Promise.resolve();
    },
    read,
    count,
    afterInsert: () => Promise.resolve(),
  };
  return {
    label: file,
    columns(table) {
      return Promise.resolve(
        guard(what, file, () => [
          ...(db.prepare(`PRAGMA table_info(${ident(table)})`).all() as { name: string }[]).map(
            (c) => c.name,
          ),
          ...(ROWID_TABLES.includes(table) ? ['rowid'] : []),
        ]),
      );
    },
    count,
    read,
    async transaction(fn, mode) {
      guard(what, file, () => db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN'));
      try {
        const result = await fn(writer);
        guard(what, file, () => db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    close() {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}
