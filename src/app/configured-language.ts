import fs from 'node:fs';
import { loadConfig } from '../config/index.js';
import type { Lang } from '../i18n/index.js';

/**
 * The organisation's language from vigie.yml, when the file exists and is valid. A broken file is
 * not reported here: the command that needs the file reports it with every problem.
 */
export function configuredLanguage(file: string): Lang | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return loadConfig(file).organisation.language;
  } catch {
    return undefined;
  }
}
