import type { Hook } from '@oclif/core';
import os from 'node:os';
import path from 'node:path';
import { defaultDataDir } from '../app/shared/context.js';

type Category = 'cache' | 'config' | 'data';

/** oclif's directories, writable (the hook's `Config` type marks them read-only). */
export interface OclifDirs {
  dataDir: string;
  configDir: string;
  cacheDir: string;
  dirname: string;
  home: string;
  windows: boolean;
}

/** oclif's own default for `category` (what it uses when no VIGIE_*_DIR variable is set). */
export function oclifDefaultDir(
  config: Pick<OclifDirs, 'dirname' | 'home' | 'windows'>,
  category: Category,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base =
    env[`XDG_${category.toUpperCase()}_HOME`] ||
    (config.windows ? env['LOCALAPPDATA'] : undefined) ||
    path.join(config.home || os.homedir(), category === 'data' ? '.local/share' : `.${category}`);
  return path.join(base, config.dirname);
}

const within = (dir: string, root: string): boolean => {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/**
 * Keeps oclif's data, config and cache directories apart from vigie's data directory. oclif takes
 * its data directory from VIGIE_DATA_DIR (`<BIN>_DATA_DIR`), which is vigie's: it gets its own
 * default back. VIGIE_CONFIG_DIR and VIGIE_CACHE_DIR (oclif's) are kept unless they point into
 * vigie's data directory.
 */
export function separateOclifDirs(config: OclifDirs, vigieDataDir: string, env = process.env): void {
  config.dataDir = oclifDefaultDir(config, 'data', env);
  if (within(path.resolve(config.configDir), vigieDataDir))
    config.configDir = oclifDefaultDir(config, 'config', env);
  if (within(path.resolve(config.cacheDir), vigieDataDir))
    config.cacheDir = oclifDefaultDir(config, 'cache', env);
}

const hook: Hook.Init = async function () {
  // oclif's Config class has these writable; its hook interface only marks them read-only.
  separateOclifDirs(this.config, defaultDataDir());
};

export default hook;
