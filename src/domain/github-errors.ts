import { ExitCode } from './exit-code.js';
import { OperationalError, UsageError, VigieError } from './errors.js';

/** A GitHub call failed (network, API error, rate limit beyond the budget): exit 4. */
export class GithubError extends OperationalError {
  override name = 'GithubError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { hint?: string },
  ) {
    super(message, options);
  }
}

/** The repository is public: writing vulnerability details there would publish them. */
export class PublicRepositoryError extends UsageError {
  override name = 'PublicRepositoryError';
}

/** `github:` missing from vigie.yml, or VIGIE_GITHUB_TOKEN not set: exit 3. */
export class GithubConfigError extends VigieError {
  override name = 'GithubConfigError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
}
