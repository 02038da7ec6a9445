import { msg } from '../../i18n/index.js';
import type { Store } from '../store.js';
import { PgDaemonRepository } from './daemon-repository.js';
import { PgDiscoveryRepository } from './discovery-repository.js';
import { PgFindingRepository } from './finding-repository.js';
import { PgGithubLinkRepository } from './github-link-repository.js';
import { PgIncidentRepository } from './incident-repository.js';
import { migratePg } from './migrations.js';
import { PgOutboxRepository } from './outbox-repository.js';
import { PgDatabase, toPgStorageError, type PgConnectOptions } from './pg-database.js';
import { PgPlaybookRepository } from './playbook-repository.js';
import { PgReportRepository } from './report-repository.js';
import { PgRunRepository } from './run-repository.js';
import { PgWaiverRepository } from './waiver-repository.js';
import { PgReportQueryRepository } from './report-query-repository.js';

/** Every repository on one pool: they share its transactions, its locks and its error guard. */
function repositoriesOn(db: PgDatabase): Store {
  const runs = new PgRunRepository(db);
  return {
    runs,
    discovery: new PgDiscoveryRepository(db, runs),
    findings: new PgFindingRepository(db),
    waivers: new PgWaiverRepository(db),
    reports: new PgReportRepository(db),
    reportQueries: new PgReportQueryRepository(db),
    outbox: new PgOutboxRepository(db),
    daemon: new PgDaemonRepository(db),
    playbooks: new PgPlaybookRepository(db),
    incidents: new PgIncidentRepository(db),
    githubLinks: new PgGithubLinkRepository(db),
    close: () => db.close(),
  };
}

/**
 * Connects to PostgreSQL (`url`; tables in `options.schema`, default `vigie`), applies the pending
 * migrations and returns the store's repositories. Every failure is a StorageError naming the
 * database (password hidden) and what to do; a schema written by a newer vigie is refused, unchanged.
 */
export async function openPgStore(url: string, options: PgConnectOptions = {}): Promise<Store> {
  const db = await PgDatabase.connect(url, options);
  try {
    await migratePg(db);
  } catch (error) {
    await db.close();
    throw toPgStorageError(error, msg('errlang.store.open'), db.label);
  }
  return repositoriesOn(db);
}
