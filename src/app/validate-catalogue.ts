import { loadCatalogueFile } from '../config/index.js';
import { InvalidFileError, type CheckMeta, type Issue } from '../domain/index.js';
import { BUILTIN_CHECK_IDS } from '../engine/index.js';
import { CATALOGUE_FILE } from './load-catalogue.js';

export interface CatalogueReport {
  file: string;
  checks: CheckMeta[];
}

/**
 * Validates a check catalogue: the file itself, then its agreement with the code — every check
 * the engine can raise has an entry, and every entry is raised by some check.
 */
export function validateCatalogue(file: string = CATALOGUE_FILE): CatalogueReport {
  const catalogue = loadCatalogueFile(file);
  const issues: Issue[] = [];
  for (const id of BUILTIN_CHECK_IDS) {
    if (!catalogue.checks.has(id))
      issues.push({ path: 'checks', message: `le contrôle « ${id} » n’a pas d’entrée dans le catalogue` });
  }
  for (const id of catalogue.checks.keys()) {
    if (!BUILTIN_CHECK_IDS.includes(id))
      issues.push({
        path: 'checks',
        message: `l’entrée « ${id} » ne correspond à aucun contrôle implémenté`,
      });
  }
  if (issues.length)
    throw new InvalidFileError(file, issues, { hint: 'ajoutez ou retirez les entrées indiquées' });
  return { file, checks: [...catalogue.checks.values()] };
}
