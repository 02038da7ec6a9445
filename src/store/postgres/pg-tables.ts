import type pg from 'pg';
import { msg } from '../../i18n/index.js';
import type { TableIo, TableWriter } from '../table-io.js';
import { PgDatabase, toPgStorageError, type PgConnectOptions } from './pg-database.js';
import { openPgStore } from './open-pg-store.js';

const BATCH = 1000;
/** PostgreSQL binds at most 65 535 parameters in one statement. */
const MAX_PARAMS = 60_000;
const NAME = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad identifier: ${name}`);
  return `"${name}"`;
}

async function readWith(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  onBatch: (rows: unknown[][]) => Promise<void>,
): Promise<void> {
  // A cursor inside the caller's transaction: one snapshot, a page at a time.
  await client.query(
    `DECLARE vigie_copy NO SCROLL CURSOR FOR SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}`,
  );
  try {
    for (;;) {
      const page = await client.query<unknown[]>({
        text: `FETCH ${BATCH} FROM vigie_copy`,
        rowMode: 'array',
      });
      if (page.rows.length === 0) break;
      await onBatch(page.rows);
    }
  } finally {
    await client.query('CLOSE vigie_copy');
  }
}

/**
 * A PostgreSQL store, table by table (migrated to the current version first). A transaction holds
 * one connection; reads outside one use another.
 */
export async function openPgTables(url: string, options: PgConnectOptions = {}): Promise<TableIo> {
  await (await openPgStore(url, options)).close();
  const db = await PgDatabase.connect(url, { ...options, max: 2 });
  const what = msg('storecopy.what');
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toPgStorageError(error, what, db.label);
    }
  };
  const countOn = (c: pg.Pool | pg.PoolClient, table: string): Promise<number> =>
    guarded(async () =>
      Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`)).rows[0]?.n ?? 0),
    );
  const writerOn = (client: pg.PoolClient): TableWriter => ({
    insert: (table, columns, rows) =>
      guarded(async () => {
        const per = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
        for (let i = 0; i < rows.length; i += per) {
          const chunk = rows.slice(i, i + per);
          const values = chunk
            .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
            .join(', ');
          await client.query(
            `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`,
            chunk.flat(),
          );
        }
      }),
    read: (table, columns, onBatch) => guarded(() => readWith(client, table, columns, onBatch)),
    count: (table) => countOn(client, table),
    afterInsert: (table) =>
      guarded(async () => {
        const generated = await client.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2
              AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
          [db.schema, table],
        );
        for (const { column_name: col } of generated.rows) {
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(max(${ident(col)}), 1), max(${ident(col)}) IS NOT NULL)
               FROM ${ident(table)}`,
            [`${db.schema}.${table}`, col],
          );
        }
      }),
  });
  return {
    label: `${db.label} (schema ${db.schema})`,
    columns: (table) =>
      guarded(async () =>
        (
          await db.pool.query<{ column_name: string }>(
            `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
              ORDER BY ordinal_position`,
            [db.schema, table],
          )
        ).rows.map((r) => r.column_name),
      ),
    count: (table) => countOn(db.pool, table),
    read: (table, columns, onBatch) =>
      guarded(async () => {
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await readWith(client, table, columns, onBatch);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }),
    async transaction(fn, mode) {
      const client = await guarded(() => db.pool.connect());
      try {
        await guarded(() =>
          client.query(mode === 'write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
        );
        const result = await fn(writerOn(client));
        await guarded(() => client.query('COMMIT'));
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => db.close(),
  };
}
