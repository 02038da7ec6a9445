import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { DATABASE_FILE, openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/index.js';
import { openPgStore } from '../../../src/store/postgres/open-pg-store.js';

export const TEST_DATABASE_URL =
  process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * PostgreSQL stores for one test file: each `open` on a fresh schema of its own (unique per file and
 * process), every schema dropped in afterAll; SQLite stores in temporary directories beside them.
 */
export function usePgStores(file: string): {
  /** A new schema name (not created yet). */
  schema: () => string;
  /** A store on a new schema, or on `schema` when given. */
  open: (schema?: string) => Promise<Store>;
  /** A SQLite store in a new temporary directory, and the path of its database file. */
  openSqlite: () => { store: Store; file: string };
  /** An admin connection to the test database (ended in afterAll). */
  admin: () => Promise<pg.Client>;
} {
  const prefix = `t_${file.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let count = 0;
  const schemas = new Set<string>();
  const stores: Store[] = [];
  const dirs: string[] = [];
  let client: pg.Client | undefined;

  const admin = async (): Promise<pg.Client> => {
    if (client === undefined) {
      client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
      client.on('error', () => undefined);
      await client.connect();
    }
    return client;
  };

  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  afterAll(async () => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    const c = await admin();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await c.end();
  });

  const schema = (): string => {
    const name = `${prefix}_${++count}`;
    schemas.add(name);
    return name;
  };

  return {
    schema,
    admin,
    open: async (name = schema()) => {
      schemas.add(name);
      const store = await openPgStore(TEST_DATABASE_URL, { schema: name });
      stores.push(store);
      return store;
    },
    openSqlite: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-pgcore-'));
      dirs.push(dir);
      const store = openStore(dir);
      stores.push(store);
      return { store, file: path.join(dir, DATABASE_FILE) };
    },
  };
}

/** The columns of a SQLite table, in order. */
export function sqliteColumns(file: string, table: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
      .all()
      .map((c) => c.name);
  } finally {
    db.close();
  }
}

/** Every row of a SQLite table, by its columns, in `order`. */
export function sqliteRows(
  file: string,
  table: string,
  order: string,
  columns = '*',
): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], Record<string, unknown>>(`SELECT ${columns} FROM ${table} ORDER BY ${order}`).all();
  } finally {
    db.close();
  }
}

/** Every row of a PostgreSQL table, by `columns`, in `order`; BIGINTs (text in pg) as numbers. */
export async function pgRows(
  c: pg.Client,
  schema: string,
  table: string,
  columns: readonly string[],
  order: string,
): Promise<Record<string, unknown>[]> {
  const r = await c.query<Record<string, unknown>>(
    `SELECT ${columns.join(', ')} FROM ${schema}.${table} ORDER BY ${order}`,
  );
  const bigints = new Set(r.fields.filter((f) => f.dataTypeID === 20).map((f) => f.name));
  return r.rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, bigints.has(k) && v !== null ? Number(v) : v]),
    ),
  );
}
