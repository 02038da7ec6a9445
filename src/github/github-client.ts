/** What vigie needs from GitHub: the app sees this interface, never Octokit. */

export interface GithubRepository {
  fullName: string;
  private: boolean;
  htmlUrl?: string;
}

export interface GithubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  htmlUrl?: string;
}

export interface GithubIssueInput {
  title: string;
  body: string;
  labels: string[];
}

export interface GithubIssueUpdate {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  labels?: string[];
}

export interface GithubClient {
  getRepository(): Promise<GithubRepository>;
  /** Every issue (open and closed, pull requests left out) carrying `label`, all pages. */
  listIssues(label: string): Promise<GithubIssue[]>;
  createIssue(issue: GithubIssueInput): Promise<GithubIssue>;
  updateIssue(issueNumber: number, update: GithubIssueUpdate): Promise<GithubIssue>;
  createComment(issueNumber: number, body: string): Promise<void>;
  /** Creates those of `names` the repository lacks. */
  ensureLabels(names: readonly string[]): Promise<void>;
}
