import { join } from 'node:path';
import { loadCustomChecks, type CustomChecksLoaded } from '../../config/index.js';
import type { CheckMeta, CustomCheck } from '../../domain/index.js';
import { builtinCatalogue, CHECKS_DIR } from './load-catalogue.js';

/** The package's own custom checks (the shipped examples), both from src/ (tsx) and dist/. */
export const DEFAULT_CUSTOM_CHECKS_DIR = join(CHECKS_DIR, 'custom');

/** Where custom checks are read from: the package's `checks/custom/`, then the directories of `vigie.yml`. */
export function customChecksDirs(config?: { checks?: { custom?: readonly string[] } | undefined }): string[] {
  return [DEFAULT_CUSTOM_CHECKS_DIR, ...(config?.checks?.custom ?? [])];
}

/**
 * Loads and validates the custom checks of `dirs` (default: the package's own): every problem at
 * once in an `InvalidFileError` (exit 3). The package's directory may be missing; any other may not.
 */
export function loadAllCustomChecks(dirs: readonly string[] = customChecksDirs()): CustomChecksLoaded {
  // The catalogue lists every built-in check (`vigie checks validate` holds it to the engine's list).
  const builtinIds = new Set(builtinCatalogue().checks.keys());
  return loadCustomChecks(dirs, { builtinIds, optionalDirs: [DEFAULT_CUSTOM_CHECKS_DIR] });
}

/** A custom check as the catalogue lists it (`vigie checks list`), beside the built-in ones. */
export function customCheckMeta(c: CustomCheck): CheckMeta {
  return {
    id: c.id,
    category: c.kind === 'http' ? 'http' : 'services',
    severity: c.severity,
    title: c.title,
    evidence: c.evidence,
    remediation: c.remediation,
    references: c.references,
    ...(c.playbook === undefined ? {} : { playbook: c.playbook }),
  };
}
