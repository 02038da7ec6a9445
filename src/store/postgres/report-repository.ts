import type { ReportRepository } from '../report-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgReportRepository = function PgReportRepository(_db: PgDatabase): ReportRepository {
  return notYetRepository<ReportRepository>('reports');
} as unknown as new (db: PgDatabase) => ReportRepository;
