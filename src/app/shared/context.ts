import path from 'node:path';
import type { VigieConfig } from '../../config/index.js';
import type { Clock } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import type { GithubClient } from '../../github/index.js';
import type { Mailer } from '../../mail/index.js';

/** The `mail:` section of vigie.yml, with the CA files of `trust.caFiles` an internal relay may need. */
export type MailConfig = NonNullable<VigieConfig['mail']> & { caFiles?: readonly string[] };

/** Builds the mail transport for a `mail:` section. */
export type MailerFactory = (mail: MailConfig) => Mailer;

/** What every use case needs from the outside world, resolved once by the CLI (flags > env > file > defaults). */
export interface AppContext {
  clock: Clock;
  lang: Lang;
  /** Data directory (SQLite database, demo output). */
  dataDir: string;
  /** Playbook library (default: the package's `playbooks/`, or VIGIE_PLAYBOOKS_DIR). */
  playbooksDir?: string;
  /**
   * The outside services a use case talks to, injected here and only here (tests, another transport);
   * absent, each use case builds the real adapter from vigie.yml and the environment.
   */
  mailer?: MailerFactory;
  /** GitHub client (default: the Octokit adapter with VIGIE_GITHUB_TOKEN and `github:` of vigie.yml). */
  github?: GithubClient;
}

/** `VIGIE_DATA_DIR`, else `./.vigie` under the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env['VIGIE_DATA_DIR'] ?? '.vigie');
}
