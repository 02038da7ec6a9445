/** Where a finding or an incident is mirrored on GitHub (`subject`: `finding:<fingerprint>`, `incident:<id>`). */
export interface GithubLink {
  subject: string;
  kind: 'finding' | 'incident';
  issueNumber: number;
  /** Hash of the issue body vigie last wrote (or found). */
  bodyHash?: string;
  state: 'open' | 'closed';
  updatedAt: string;
}

/** The local map of GitHub issues. */
export interface GithubLinkRepository {
  /** By subject. */
  list(): Promise<GithubLink[]>;
  /** Records (or replaces) one link: called after each GitHub call that succeeded. */
  save(link: GithubLink): Promise<void>;
}
