import path from 'node:path';
import type { Clock } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';

/** What every use case needs from the outside world, resolved once by the CLI (flags > env > file > defaults). */
export interface AppContext {
  clock: Clock;
  lang: Lang;
  /** Data directory (SQLite database, demo output). */
  dataDir: string;
  /** Playbook library (default: the package's `playbooks/`, or VIGIE_PLAYBOOKS_DIR). */
  playbooksDir?: string;
}

/** `VIGIE_DATA_DIR`, else `./.vigie` under the working directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env['VIGIE_DATA_DIR'] ?? '.vigie');
}
