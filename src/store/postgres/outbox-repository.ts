import type { OutboxRepository } from '../outbox-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgOutboxRepository = function PgOutboxRepository(_db: PgDatabase): OutboxRepository {
  return notYetRepository<OutboxRepository>('outbox');
} as unknown as new (db: PgDatabase) => OutboxRepository;
