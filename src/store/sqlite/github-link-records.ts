import type Database from 'better-sqlite3';
import type { GithubLink } from '../github-link-repository.js';

/** The local map of GitHub issues (table of migration 5). */

interface GithubLinkRow {
  subject: string;
  kind: string;
  issue_number: number;
  body_hash: string | null;
  state: string;
  updated_at: string;
}

export function selectGithubLinks(db: Database.Database): GithubLink[] {
  return db
    .prepare<[], GithubLinkRow>(`SELECT * FROM github_links ORDER BY subject`)
    .all()
    .map((r) => ({
      subject: r.subject,
      kind: r.kind as GithubLink['kind'],
      issueNumber: r.issue_number,
      ...(r.body_hash === null ? {} : { bodyHash: r.body_hash }),
      state: r.state as GithubLink['state'],
      updatedAt: r.updated_at,
    }));
}

export function upsertGithubLink(db: Database.Database, link: GithubLink): void {
  db.prepare(
    `INSERT INTO github_links (subject, kind, issue_number, body_hash, state, updated_at)
     VALUES (@subject, @kind, @issueNumber, @bodyHash, @state, @updatedAt)
     ON CONFLICT (subject) DO UPDATE SET kind = excluded.kind, issue_number = excluded.issue_number,
       body_hash = excluded.body_hash, state = excluded.state, updated_at = excluded.updated_at`,
  ).run({ ...link, bodyHash: link.bodyHash ?? null });
}
