import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DATABASE_FILE, openStore, type Store } from '../../../src/store/index.js';
import { PgDaemonRepository } from '../../../src/store/postgres/daemon-repository.js';
import { PgGithubLinkRepository } from '../../../src/store/postgres/github-link-repository.js';
import { PgIncidentRepository } from '../../../src/store/postgres/incident-repository.js';
import { PgOutboxRepository } from '../../../src/store/postgres/outbox-repository.js';
import { PgDatabase } from '../../../src/store/postgres/pg-database.js';
import { PgPlaybookRepository } from '../../../src/store/postgres/playbook-repository.js';
import { PgReportRepository } from '../../../src/store/postgres/report-repository.js';
import { REGISTER_DDL } from '../../../src/store/postgres/schema/register.js';

export const TEST_DATABASE_URL =
  process.env.VIGIE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The register tables, in an order their foreign keys accept. */
export const REGISTER_TABLES = [
  'reports',
  'playbook_reviews',
  'playbook_exercises',
  'incidents',
  'incident_steps',
  'incident_notes',
  'incident_obligations',
  'incident_events',
  'mail_outbox',
  'daemon_jobs',
  'daemon_heartbeat',
  'github_links',
] as const;

/** The repositories this branch implements, as the Store names them. */
export type Register = Pick<
  Store,
  'reports' | 'outbox' | 'daemon' | 'playbooks' | 'incidents' | 'githubLinks'
>;

export function pgRegister(db: PgDatabase): Register {
  return {
    reports: new PgReportRepository(db),
    outbox: new PgOutboxRepository(db),
    daemon: new PgDaemonRepository(db),
    playbooks: new PgPlaybookRepository(db),
    incidents: new PgIncidentRepository(db),
    githubLinks: new PgGithubLinkRepository(db),
  };
}

/**
 * One schema for a test file, made of REGISTER_DDL in beforeAll and dropped in afterAll; emptied
 * (identities restarted, so ids match a fresh SQLite store's) before each test. `connect` opens more
 * pools on it (another process, as far as PostgreSQL can tell); SQLite stores in temporary
 * directories beside it.
 */
export function usePgRegister(file: string): {
  schema: () => string;
  db: () => PgDatabase;
  pg: () => Register;
  connect: () => Promise<PgDatabase>;
  /** A SQLite store in a new temporary directory, and the path of its database file. */
  sqlite: () => { store: Store; file: string };
  /** A client of its own, its search_path on the schema. */
  admin: () => pg.Client;
} {
  const schema = `t_register_${file}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let client: pg.Client | undefined;
  let main: PgDatabase | undefined;
  const extra: PgDatabase[] = [];
  const stores: Store[] = [];
  const dirs: string[] = [];

  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used before beforeAll');
    return value;
  };

  beforeAll(async () => {
    client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    for (const statement of REGISTER_DDL) await client.query(statement);
    main = await PgDatabase.connect(TEST_DATABASE_URL, { schema });
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    for (const db of extra.splice(0)) await db.close();
    // The triggers refusing TRUNCATE do not fire for a replica session: the only way to empty the log.
    const c = need(client);
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL session_replication_role = replica');
      await c.query(
        `TRUNCATE ${REGISTER_TABLES.map((table) => `${schema}.${table}`).join(', ')} RESTART IDENTITY`,
      );
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK');
      throw error;
    }
  });
  afterAll(async () => {
    await main?.close();
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  return {
    schema: () => schema,
    db: () => need(main),
    pg: () => pgRegister(need(main)),
    connect: async () => {
      const db = await PgDatabase.connect(TEST_DATABASE_URL, { schema });
      extra.push(db);
      return db;
    },
    sqlite: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-pg-register-'));
      dirs.push(dir);
      const store = openStore(dir);
      stores.push(store);
      return { store, file: path.join(dir, DATABASE_FILE) };
    },
    admin: () => need(client),
  };
}

/** What a call gave: its value, or the error's class, code, exit code and message. */
export async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await call() };
  } catch (error) {
    const e = error as Error & { code?: unknown; exitCode?: unknown };
    return { error: e.name, code: e.code, exitCode: e.exitCode, message: e.message };
  }
}
