import type { GithubLink } from './github-link-repository.js';

/** The `github_links` row and its mapping, the same for every backend. */

export interface GithubLinkRow {
  subject: string;
  kind: string;
  issue_number: number;
  body_hash: string | null;
  state: string;
  updated_at: string;
}

export function githubLinkOf(r: GithubLinkRow): GithubLink {
  return {
    subject: r.subject,
    kind: r.kind as GithubLink['kind'],
    issueNumber: r.issue_number,
    ...(r.body_hash === null ? {} : { bodyHash: r.body_hash }),
    state: r.state as GithubLink['state'],
    updatedAt: r.updated_at,
  };
}
