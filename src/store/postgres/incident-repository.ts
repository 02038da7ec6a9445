import type { IncidentRepository } from '../incident-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgIncidentRepository = function PgIncidentRepository(_db: PgDatabase): IncidentRepository {
  return notYetRepository<IncidentRepository>('incidents');
} as unknown as new (db: PgDatabase) => IncidentRepository;
