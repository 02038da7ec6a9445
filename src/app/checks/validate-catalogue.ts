import fs from 'node:fs';
import { loadCatalogueFile, loadConfig } from '../../config/index.js';
import {
  InvalidFileError,
  serviceCheckMetas,
  textIssue,
  type CheckMeta,
  type Issue,
} from '../../domain/index.js';
import { BUILTIN_CHECK_IDS } from '../../engine/plugins.js';
import { msg } from '../../i18n/index.js';
import { builtinServices, CATALOGUE_FILE, withChecks } from '../shared/load-catalogue.js';
import { assertPlaybookReferences, defaultPlaybooksDir } from '../shared/playbook-library.js';
import { customCheckMeta, customChecksDirs, loadAllCustomChecks } from '../shared/validate-custom-checks.js';

export interface CatalogueReport {
  file: string;
  /** Every check: built-in, one per risky service, and custom. */
  checks: CheckMeta[];
  services: number;
  custom: number;
}

/**
 * Validates the check library: the catalogue file and its agreement with the code (every check
 * the engine can raise has an entry, and every entry is raised by some check), the risky-service
 * catalogue, and the custom checks (the package's and those of `customDirs`), and the cross-references
 * with the playbook library both ways (a check's `playbook:` names an existing playbook, a playbook's
 * trigger names a known check). Every problem at once, each with file, path and line; exit 3.
 */
export function validateCatalogue(
  file: string = CATALOGUE_FILE,
  extraCustomDirs: readonly string[] = [],
  inventoryFile?: string,
  playbooksDir: string = defaultPlaybooksDir(),
): CatalogueReport {
  // The custom directories of vigie.yml count too, when there is one.
  const configured =
    inventoryFile && fs.existsSync(inventoryFile) ? (loadConfig(inventoryFile).checks?.custom ?? []) : [];
  const customDirs = [...configured, ...extraCustomDirs];
  const catalogue = loadCatalogueFile(file);
  const issues: Issue[] = [];
  for (const id of BUILTIN_CHECK_IDS) {
    if (!catalogue.checks.has(id))
      issues.push(textIssue('checks', msg('texts2.catalogue.missing-entry', { id })));
  }
  for (const id of catalogue.checks.keys()) {
    if (!BUILTIN_CHECK_IDS.includes(id))
      issues.push(textIssue('checks', msg('texts2.catalogue.unknown-entry', { id })));
  }
  if (issues.length) throw new InvalidFileError(file, issues, { hint: msg('texts2.catalogue.hint') });
  const services = builtinServices();
  const custom = loadAllCustomChecks(customChecksDirs({ checks: { custom: customDirs } })).checks;
  const all = withChecks(withChecks(catalogue, serviceCheckMetas(services)), custom.map(customCheckMeta));
  assertPlaybookReferences({
    dir: playbooksDir,
    checks: all.checks.values(),
    catalogueFile: file,
    customChecks: custom,
  });
  return { file, checks: [...all.checks.values()], services: services.services.size, custom: custom.length };
}
