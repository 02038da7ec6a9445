import fs from 'node:fs';
import { msg } from '../../i18n/index.js';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../../domain/index.js';
import { ensurePrivateDir, tightenFileMode, touchPrivateFile } from '../../files/index.js';
import type { Store } from '../store.js';
import { SqliteDaemonRepository } from './daemon-repository.js';
import { SqliteDiscoveryRepository } from './discovery-repository.js';
import { SqliteDatabase } from './database.js';
import { SqliteFindingRepository } from './finding-repository.js';
import { SqliteGithubLinkRepository } from './github-link-repository.js';
import { SqliteIncidentRepository } from './incident-repository.js';
import { applyMigrations, SCHEMA_VERSION } from './migrations.js';
import { SqliteOutboxRepository } from './outbox-repository.js';
import { SqlitePlaybookRepository } from './playbook-repository.js';
import { SqliteReportRepository } from './report-repository.js';
import { SqliteRunRepository } from './run-repository.js';
import { guard, toStorageError } from './storage-failure.js';
import { SqliteWaiverRepository } from './waiver-repository.js';
import { SqliteReportQueryRepository } from './report-query-repository.js';

export const DATABASE_FILE = 'vigie.db';

export interface OpenStoreOptions {
  /** How long a write waits for another process holding the lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** Whether the data directory holds a store already (reading never creates one). */
export function storeExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DATABASE_FILE));
}

/** Every repository on one handle: they share its transactions and its error guard. */
function repositoriesOn(h: SqliteDatabase): Store {
  const runs = new SqliteRunRepository(h);
  return {
    runs,
    discovery: new SqliteDiscoveryRepository(h, runs),
    findings: new SqliteFindingRepository(h),
    waivers: new SqliteWaiverRepository(h),
    reports: new SqliteReportRepository(h),
    reportQueries: new SqliteReportQueryRepository(h),
    outbox: new SqliteOutboxRepository(h),
    daemon: new SqliteDaemonRepository(h),
    playbooks: new SqlitePlaybookRepository(h),
    incidents: new SqliteIncidentRepository(h),
    githubLinks: new SqliteGithubLinkRepository(h),
    close: async () => h.close(),
  };
}

/** The database and the files SQLite keeps beside it in WAL mode. */
const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/**
 * Opens (creating it if needed) `${dataDir}/vigie.db`: WAL journal, foreign keys on, busy timeout,
 * pending migrations applied; returns its repositories. Every failure is a StorageError naming the
 * file and what to do.
 * The data directory is created 0700; the database is created 0600 before SQLite opens it (SQLite
 * gives its -wal and -shm the database's mode), and all three are made private again once open.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  guard(msg('errlang.store.create-dir'), dataDir, () => {
    ensurePrivateDir(dataDir);
    if (!fs.statSync(dataDir).isDirectory()) {
      throw new StorageError(msg('errlang.store.not-a-dir', { dir: dataDir }), {
        hint: msg('errlang.store.not-a-dir.hint'),
      });
    }
  });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = guard(msg('errlang.store.open'), file, () => {
    touchPrivateFile(file);
    return new Database(file, { timeout: busyTimeoutMs });
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    db.pragma('synchronous = NORMAL');
    const result = applyMigrations(db);
    for (const f of databaseFiles(file)) tightenFileMode(f);
    if (result.status === 'too-new') {
      throw new StorageError(
        msg('errlang.store.newer', { file, version: result.version, known: SCHEMA_VERSION }),
        { hint: msg('errlang.store.newer.hint') },
      );
    }
    return repositoriesOn(new SqliteDatabase(db, file));
  } catch (error) {
    db.close();
    throw toStorageError(error, msg('errlang.store.open'), file);
  }
}
