import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError, UsageError } from '../../src/domain/index.js';
import {
  copyStore,
  DATABASE_FILE,
  openStore,
  openStoreAt,
  parseStoreLocation,
  type Store,
} from '../../src/store/index.js';
import { copyTables } from '../../src/store/copy-store.js';
import { openSqliteTables } from '../../src/store/sqlite/sqlite-tables.js';
import { STORE_TABLES } from '../../src/store/table-io.js';
import { populateHistory } from './store-history-fixture.js';

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-copy-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const dirOf = (name: string) => path.join(root, name);

async function withStore<T>(dir: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = openStore(dir);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** What a user sees of a history, through the repositories (not the tables the copy wrote). */
async function view(dir: string): Promise<unknown> {
  return withStore(dir, viewOf);
}

async function viewOf(s: Store): Promise<unknown> {
  {
    const findings = await s.findings.list({ now: '2025-03-04T00:00:00.000Z' });
    return {
      runs: await s.runs.list(),
      run: await s.runs.get('r3'),
      findings,
      timelines: await Promise.all(findings.map((f) => s.findings.timeline(f.fingerprint))),
      waivers: await s.waivers.list(),
      report: await s.reports.last(),
      outbox: await s.outbox.list(),
      jobs: await s.daemon.listJobs(),
      heartbeat: await s.daemon.readHeartbeat(),
      reviews: await s.playbooks.listReviews(),
      exercises: await s.playbooks.listExercises(),
      incidents: await s.incidents.list(),
      incidentTimeline: await s.incidents.timeline('2025-001'),
      links: await s.githubLinks.list(),
      names: await s.discovery.list(),
    };
  }
}

describe('vigie store copy (SQLite to SQLite)', () => {
  it('lists every table of the SQLite schema, so a new table cannot be forgotten by the copy', () => {
    const dir = dirOf('a');
    openStore(dir);
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const tables = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    db.close();
    expect([...tables].sort()).toEqual([...STORE_TABLES].sort());
  });

  it('copies a whole history: the copy reads back the same through every repository, with row counts', async () => {
    await withStore(dirOf('a'), populateHistory);
    const before = await view(dirOf('a'));
    const result = await copyStore(
      parseStoreLocation(`sqlite:${dirOf('a')}`),
      parseStoreLocation(dirOf('b')),
    );
    expect(await view(dirOf('b'))).toEqual(before);
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
    expect(rows['runs']).toBe(5);
    expect(rows['run_staged_findings']).toBe(1);
    expect(rows['incident_steps']).toBe(2);
    expect(result.rows).toBe(result.tables.reduce((s, t) => s + t.rows, 0));
    // Generated keys go on after the copied rows: a new exercise does not collide.
    await withStore(dirOf('b'), async (s) => {
      const ex = await s.playbooks.recordExercise({
        playbookId: 'PB-002',
        date: '2025-03-05',
        kind: 'technical',
        participants: 2,
        findings: 'RAS',
        recordedAt: '2025-03-05T10:00:00.000Z',
        by: 'dsi',
      });
      expect(ex.id).toBe(2);
    });
  });

  it('refuses a target that already holds a history, and changes nothing in it', async () => {
    await withStore(dirOf('a'), populateHistory);
    await withStore(dirOf('b'), async (s) => {
      await s.reports.record({ at: '2025-01-01T00:00:00.000Z', format: 'md' });
    });
    const err = await copyStore(parseStoreLocation(dirOf('a')), parseStoreLocation(dirOf('b'))).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).message).toMatch(/reports/);
    expect((err as StorageError).exitCode).toBe(4);
    expect(await withStore(dirOf('b'), async (s) => (await s.runs.list()).length)).toBe(0);
  });

  it('refuses to copy a store onto itself', async () => {
    await expect(
      copyStore(parseStoreLocation(dirOf('a')), parseStoreLocation(`sqlite:${dirOf('a')}/vigie.db`)),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('keeps nothing in the target when a table does not arrive whole (checksum before commit)', async () => {
    await withStore(dirOf('a'), populateHistory);
    const source = await openSqliteTables(dirOf('a'));
    const target = await openSqliteTables(dirOf('b'));
    // A target that silently loses the last finding event it is given.
    const lossy: typeof target = {
      ...target,
      transaction: (fn, mode) =>
        target.transaction(
          (tx) =>
            fn({
              ...tx,
              insert: (table, cols, rows) =>
                tx.insert(table, cols, table === 'finding_events' ? rows.slice(0, -1) : rows),
            }),
          mode,
        ),
    };
    const err = await copyTables(source, lossy).catch((e: unknown) => e);
    await source.close();
    await target.close();
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).message).toMatch(/finding_events/);
    expect(await withStore(dirOf('b'), async (s) => (await s.runs.list()).length)).toBe(0);
  });

  it('reads locations as the user writes them', () => {
    expect(parseStoreLocation('sqlite:/var/lib/vigie')).toEqual({
      kind: 'sqlite',
      dataDir: '/var/lib/vigie',
    });
    expect(parseStoreLocation('/var/lib/vigie/vigie.db')).toEqual({
      kind: 'sqlite',
      dataDir: '/var/lib/vigie',
    });
    expect(parseStoreLocation('postgres://vigie:s3cret@db:5432/vigie?schema=commune_a')).toEqual({
      kind: 'postgres',
      url: 'postgres://vigie:s3cret@db:5432/vigie',
      schema: 'commune_a',
    });
    expect(() => parseStoreLocation('mysql://db/vigie')).toThrow(UsageError);
    expect(() => parseStoreLocation('postgres://[bad')).toThrow(UsageError);
  });
});

describe('vigie store copy (SQLite to PostgreSQL and back)', () => {
  const url = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `t_store_copy_${process.pid}_${Date.now().toString(36)}`;
  const pgUrl = `${url}?schema=${schema}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('moves a whole history into PostgreSQL and back without loss, and PostgreSQL goes on from it', async () => {
    await withStore(dirOf('a'), populateHistory);
    const before = await view(dirOf('a'));
    const there = await copyStore(parseStoreLocation(dirOf('a')), parseStoreLocation(pgUrl));
    const onPg = await openStoreAt(parseStoreLocation(pgUrl));
    try {
      expect(await viewOf(onPg)).toEqual(before);
    } finally {
      await onPg.close();
    }
    const back = await copyStore(parseStoreLocation(pgUrl), parseStoreLocation(dirOf('c')));
    expect(await view(dirOf('c'))).toEqual(before);
    // The same rows and checksums in every direction.
    expect(back.tables).toEqual(there.tables);
    // A second copy into the now-full PostgreSQL schema is refused, and leaves it as it was.
    await expect(copyStore(parseStoreLocation(dirOf('a')), parseStoreLocation(pgUrl))).rejects.toThrow(
      /runs|findings/,
    );
    // Generated keys go on after the copied ones on PostgreSQL too.
    const again = await openStoreAt(parseStoreLocation(pgUrl));
    try {
      const ex = await again.playbooks.recordExercise({
        playbookId: 'PB-002',
        date: '2025-03-05',
        kind: 'technical',
        participants: 2,
        findings: 'RAS',
        recordedAt: '2025-03-05T10:00:00.000Z',
        by: 'dsi',
      });
      expect(ex.id).toBe(2);
    } finally {
      await again.close();
    }
  });

  it('names the database without its password when PostgreSQL cannot be reached', async () => {
    const err = await copyStore(
      parseStoreLocation(dirOf('a')),
      parseStoreLocation('postgres://vigie:s3cret@127.0.0.2:1/vigie'),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).exitCode).toBe(4);
    expect(String((err as StorageError).message)).not.toContain('s3cret');
    expect(String((err as StorageError).hint)).not.toContain('s3cret');
  });
});
