import type { PlaybookRepository } from '../playbook-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgPlaybookRepository = function PgPlaybookRepository(_db: PgDatabase): PlaybookRepository {
  return notYetRepository<PlaybookRepository>('playbooks');
} as unknown as new (db: PgDatabase) => PlaybookRepository;
