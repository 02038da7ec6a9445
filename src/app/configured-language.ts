import fs from 'node:fs';
import { loadConfig } from '../config/index.js';
import type { Lang } from '../i18n/index.js';

/** What vigie.yml sets for every command: the organisation's language and its playbook library. */
export interface ConfiguredDefaults {
  lang?: Lang;
  /** `playbooks.dir`, absolute. */
  playbooksDir?: string;
}

/**
 * The settings of vigie.yml that every command uses, when the file exists and is valid. A broken file
 * is not reported here: the command that needs the file reports it with every problem.
 */
export function configuredDefaults(file: string): ConfiguredDefaults {
  if (!fs.existsSync(file)) return {};
  try {
    const config = loadConfig(file);
    return {
      lang: config.organisation.language,
      ...(config.playbooks === undefined ? {} : { playbooksDir: config.playbooks.dir }),
    };
  } catch {
    return {};
  }
}

/** The organisation's language from vigie.yml, when the file exists and is valid. */
export function configuredLanguage(file: string): Lang | undefined {
  return configuredDefaults(file).lang;
}
