import type { GithubLinkRepository } from '../github-link-repository.js';
import type { PgDatabase } from './pg-database.js';
import { notYetRepository } from './placeholder.js';

/** PLACEHOLDER, replaced by the pg-register branch: every method fails with a StorageError. */
export const PgGithubLinkRepository = function PgGithubLinkRepository(_db: PgDatabase): GithubLinkRepository {
  return notYetRepository<GithubLinkRepository>('githubLinks');
} as unknown as new (db: PgDatabase) => GithubLinkRepository;
