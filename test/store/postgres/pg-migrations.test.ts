import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/domain/index.js';
import { migratePg, PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../../src/store/postgres/migrations.js';
import { PgDatabase } from '../../../src/store/postgres/pg-database.js';
import { openPgStore } from '../../../src/store/postgres/open-pg-store.js';
import { assessed, finding, run, T1, WWW } from '../store-fixtures.js';
import { TEST_DATABASE_URL, usePgStores } from './pg-fixtures.js';

const t = usePgStores('migrations');

const expired = finding('tls.cert.expired', WWW, 443);
const first = run('r1', T1, [assessed(WWW, 443, { 'tls.cert.expired': 'fail' })], [expired]);

async function tablesOf(schema: string): Promise<string[]> {
  const admin = await t.admin();
  const r = await admin.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return r.rows.map((row) => row.table_name);
}

async function versionOf(schema: string): Promise<{ version: number; migrated_at: string }[]> {
  const admin = await t.admin();
  return (await admin.query(`SELECT version, migrated_at FROM ${schema}.vigie_schema`)).rows as {
    version: number;
    migrated_at: string;
  }[];
}

async function errorOf(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a StorageError');
}

describe('PostgreSQL migrations', () => {
  it('create every table once, record the version, and change nothing when run again', async () => {
    const schema = t.schema();
    const store = await t.open(schema);
    const created = PG_MIGRATIONS.flatMap((m) => m.statements).flatMap(
      (ddl) => /^CREATE TABLE (\w+)/.exec(ddl)?.[1] ?? [],
    );
    expect(created.length).toBeGreaterThanOrEqual(8);
    expect(await tablesOf(schema)).toEqual([...created, 'vigie_schema'].sort());
    const [row] = await versionOf(schema);
    expect(row?.version).toBe(PG_SCHEMA_VERSION);
    await store.runs.save(first);

    const db = await PgDatabase.connect(TEST_DATABASE_URL, { schema });
    try {
      expect(await migratePg(db)).toEqual({ status: 'up-to-date', version: PG_SCHEMA_VERSION });
    } finally {
      await db.close();
    }
    const again = await t.open(schema);
    expect((await again.runs.list()).map((r) => r.id)).toEqual(['r1']);
    expect(await versionOf(schema)).toEqual([row]);
  });

  it('let processes starting at once on an empty schema take turns: one migrates, the others find it done', async () => {
    const schema = t.schema();
    const stores = await Promise.all([1, 2, 3, 4].map(() => t.open(schema)));
    expect(stores).toHaveLength(4);
    expect(await versionOf(schema)).toHaveLength(1);
    await stores[0]!.runs.save(first);
    expect((await stores[3]!.runs.list()).map((r) => r.id)).toEqual(['r1']);
  });

  it('refuse a schema written by a newer vigie, with exit 4 and a hint, and change nothing', async () => {
    const schema = t.schema();
    const store = await t.open(schema);
    await store.runs.save(first);
    const admin = await t.admin();
    await admin.query(`UPDATE ${schema}.vigie_schema SET version = $1`, [PG_SCHEMA_VERSION + 1]);
    const before = await versionOf(schema);
    const tables = await tablesOf(schema);

    const error = await errorOf(
      openPgStore(TEST_DATABASE_URL.replace('//', '//postgres:s3cr3t@'), { schema }),
    );
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/plus récente/);
    expect(error.message).toContain(`v${PG_SCHEMA_VERSION + 1}`);
    expect(error.message).toContain(schema);
    expect(error.message).not.toContain('s3cr3t');
    expect(String(error.hint)).toMatch(/mettez à jour vigie/);
    expect(await versionOf(schema)).toEqual(before);
    expect(await tablesOf(schema)).toEqual(tables);
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r1']);
  });

  it('apply only the pending steps, and leave nothing of a step that fails', async () => {
    const schema = t.schema();
    const db = await PgDatabase.connect(TEST_DATABASE_URL, { schema });
    try {
      const v1 = [{ version: 1, description: 'a', statements: ['CREATE TABLE a (x INTEGER)'] }];
      expect(await migratePg(db, v1)).toEqual({ status: 'migrated', from: 0, to: 1 });
      const broken = [
        ...v1,
        {
          version: 2,
          description: 'b',
          statements: ['CREATE TABLE b (x INTEGER)', 'CREATE TABLE c (x NOPE)'],
        },
      ];
      const error = await errorOf(migratePg(db, broken));
      expect(error.message).toContain(schema);
      expect(await tablesOf(schema)).toEqual(['a', 'vigie_schema']);
      expect((await versionOf(schema)).map((r) => r.version)).toEqual([1]);
      const fixed = [...v1, { version: 2, description: 'b', statements: ['CREATE TABLE b (x INTEGER)'] }];
      expect(await migratePg(db, fixed)).toEqual({ status: 'migrated', from: 1, to: 2 });
      expect(await tablesOf(schema)).toEqual(['a', 'b', 'vigie_schema']);
    } finally {
      await db.close();
    }
    // A failed first migration leaves not even the version table.
    const empty = t.schema();
    const db2 = await PgDatabase.connect(TEST_DATABASE_URL, { schema: empty });
    try {
      await errorOf(
        migratePg(db2, [{ version: 1, description: 'x', statements: ['CREATE TABLE d (x NOPE)'] }]),
      );
      expect(await tablesOf(empty)).toEqual([]);
    } finally {
      await db2.close();
    }
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
  });
});
