import { msg } from '../../i18n/index.js';
import type { GithubLink, GithubLinkRepository } from '../github-link-repository.js';
import { githubLinkOf, type GithubLinkRow } from '../github-link-rows.js';
import type { PgDatabase } from './pg-database.js';

/** The local map of GitHub issues in PostgreSQL. */
export class PgGithubLinkRepository implements GithubLinkRepository {
  constructor(private readonly db: PgDatabase) {}

  async list(): Promise<GithubLink[]> {
    const rows = await this.db.read(msg('texts2.store.github.read'), (q) =>
      q.rows<GithubLinkRow>(`SELECT * FROM github_links ORDER BY subject`),
    );
    return rows.map(githubLinkOf);
  }

  async save(link: GithubLink): Promise<void> {
    await this.db.write(msg('texts2.store.github.save', { subject: link.subject }), (q) =>
      q.run(
        `INSERT INTO github_links (subject, kind, issue_number, body_hash, state, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (subject) DO UPDATE SET kind = excluded.kind, issue_number = excluded.issue_number,
           body_hash = excluded.body_hash, state = excluded.state, updated_at = excluded.updated_at`,
        [link.subject, link.kind, link.issueNumber, link.bodyHash ?? null, link.state, link.updatedAt],
      ),
    );
  }
}
