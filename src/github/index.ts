export type {
  GithubClient,
  GithubIssue,
  GithubIssueInput,
  GithubIssueUpdate,
  GithubRepository,
} from './github-client.js';
export { createGithubClient } from './octokit-client.js';
export type { GithubClientOptions } from './octokit-client.js';
export { scrubSecret } from './scrub-secret.js';
