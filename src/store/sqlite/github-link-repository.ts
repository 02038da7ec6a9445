import { msg } from '../../i18n/index.js';
import type { GithubLink, GithubLinkRepository } from '../github-link-repository.js';
import type { SqliteDatabase } from './database.js';
import { selectGithubLinks, upsertGithubLink } from './github-link-records.js';

/** The local map of GitHub issues in SQLite. */
export class SqliteGithubLinkRepository implements GithubLinkRepository {
  constructor(private readonly h: SqliteDatabase) {}

  async list(): Promise<GithubLink[]> {
    return this.h.read(msg('texts2.store.github.read'), () => selectGithubLinks(this.h.db));
  }

  async save(link: GithubLink): Promise<void> {
    this.h.write(msg('texts2.store.github.save', { subject: link.subject }), () =>
      upsertGithubLink(this.h.db, link),
    );
  }
}
