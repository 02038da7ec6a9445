import type Database from 'better-sqlite3';
import type { GithubLink } from '../github-link-repository.js';
import { githubLinkOf, type GithubLinkRow } from '../github-link-rows.js';

/** The local map of GitHub issues (table of migration 5). */

export function selectGithubLinks(db: Database.Database): GithubLink[] {
  return db.prepare<[], GithubLinkRow>(`SELECT * FROM github_links ORDER BY subject`).all().map(githubLinkOf);
}

export function upsertGithubLink(db: Database.Database, link: GithubLink): void {
  db.prepare(
    `INSERT INTO github_links (subject, kind, issue_number, body_hash, state, updated_at)
     VALUES (@subject, @kind, @issueNumber, @bodyHash, @state, @updatedAt)
     ON CONFLICT (subject) DO UPDATE SET kind = excluded.kind, issue_number = excluded.issue_number,
       body_hash = excluded.body_hash, state = excluded.state, updated_at = excluded.updated_at`,
  ).run({ ...link, bodyHash: link.bodyHash ?? null });
}
