import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VigieConfig } from '../../config/index.js';
import type { Clock } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import type { GithubClient } from '../../github/index.js';
import type { Mailer } from '../../mail/index.js';
import type { Store } from '../../store/index.js';

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
  /**
   * A shared PostgreSQL store (VIGIE_DATABASE_URL, else `store.url` of vigie.yml); absent, the
   * SQLite database of `dataDir`. May hold a password: never printed (see `describeLocation`).
   */
  storeUrl?: string;
  /**
   * The organisation selected by `--org` (or VIGIE_ORG), when the deployment serves several:
   * `dataDir` and `storeUrl` are then its own; the base ones stay here (registry, other members).
   */
  organisation?: { id: string; baseDataDir: string; baseStoreUrl?: string };
  /** Playbook library (default: the package's `playbooks/`, or VIGIE_PLAYBOOKS_DIR). */
  playbooksDir?: string;
  /**
   * The outside services a use case talks to, injected here and only here (tests, another transport);
   * absent, each use case builds the real adapter from vigie.yml and the environment.
   */
  mailer?: MailerFactory;
  /** GitHub client (default: the Octokit adapter with VIGIE_GITHUB_TOKEN and `github:` of vigie.yml). */
  github?: GithubClient;
  /**
   * A store opened once and kept by a long-lived process (a worker and its thousands of jobs):
   * `openAppStore` hands it out and its users' `close()` leaves it open; its owner closes it.
   */
  sharedStore?: Store;
}

/** Where the data directory came from (the first that applies, in this order). */
export type DataDirSource = 'VIGIE_DATA_DIR' | 'STATE_DIRECTORY' | 'legacy' | 'XDG_STATE_HOME' | 'home';

export interface ResolvedDataDir {
  dir: string;
  source: DataDirSource;
}

/**
 * The data directory, whatever directory vigie is started from: `VIGIE_DATA_DIR`; else systemd's
 * `STATE_DIRECTORY` (set by `StateDirectory=`; its first entry); else an existing `./.vigie` (the
 * former default, kept with a notice so that no history is lost); else `$XDG_STATE_HOME/vigie`
 * (an absolute path only, as the XDG specification says); else `~/.local/state/vigie`.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  home = os.homedir(),
): ResolvedDataDir {
  const explicit = env['VIGIE_DATA_DIR'];
  if (explicit) return { dir: path.resolve(cwd, explicit), source: 'VIGIE_DATA_DIR' };
  const state = env['STATE_DIRECTORY']?.split(':')[0];
  if (state && path.isAbsolute(state)) return { dir: state, source: 'STATE_DIRECTORY' };
  const legacy = path.join(cwd, '.vigie');
  if (isDirectory(legacy)) return { dir: legacy, source: 'legacy' };
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return { dir: path.join(xdg, 'vigie'), source: 'XDG_STATE_HOME' };
  return { dir: path.join(home, '.local', 'state', 'vigie'), source: 'home' };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The data directory (`resolveDataDir`). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolveDataDir(env, cwd).dir;
}
