import fs from 'node:fs';
import { readConfigHints } from '../../config/index.js';
import type { Lang } from '../../i18n/index.js';

/** What vigie.yml sets for every command: the organisation's language and its playbook library. */
export interface ConfiguredDefaults {
  lang?: Lang;
  /** `playbooks.dir`, absolute. */
  playbooksDir?: string;
  /** `store.url`: a PostgreSQL URL without its password. */
  storeUrl?: string;
}

/**
 * The settings of vigie.yml that every command uses, when the file exists and reads as YAML. The rest
 * of the file is not checked here: the command that needs the file reports its problems, in the
 * language it names.
 */
export function configuredDefaults(file: string): ConfiguredDefaults {
  if (!fs.existsSync(file)) return {};
  const hints = readConfigHints(file);
  return {
    ...(hints.language === undefined ? {} : { lang: hints.language }),
    ...(hints.playbooksDir === undefined ? {} : { playbooksDir: hints.playbooksDir }),
    ...(hints.storeUrl === undefined ? {} : { storeUrl: hints.storeUrl }),
  };
}

/** The organisation's language from vigie.yml, when the file exists and is valid. */
export function configuredLanguage(file: string): Lang | undefined {
  return configuredDefaults(file).lang;
}
