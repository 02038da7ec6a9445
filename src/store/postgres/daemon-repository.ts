import type { DaemonRepository } from '../daemon-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgDaemonRepository = function PgDaemonRepository(_db: PgDatabase): DaemonRepository {
  return notYetRepository<DaemonRepository>('daemon');
} as unknown as new (db: PgDatabase) => DaemonRepository;
