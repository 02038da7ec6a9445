import { fileURLToPath } from 'node:url';
import { loadCatalogueFile, loadServiceCatalogue } from '../../config/index.js';
import {
  serviceCheckMetas,
  type Catalogue,
  type CheckMeta,
  type ServiceCatalogue,
} from '../../domain/index.js';

/** checks/ at the package root, both from src/ (tsx) and dist/. */
export const CHECKS_DIR = fileURLToPath(new URL('../../../checks/', import.meta.url));
export const CATALOGUE_FILE = `${CHECKS_DIR}catalogue.yaml`;
export const SERVICES_FILE = `${CHECKS_DIR}services.yaml`;

let cachedServices: ServiceCatalogue | undefined;
let cached: Catalogue | undefined;

/** The risky-service catalogue (checks/services.yaml), read once per process. */
export function builtinServices(): ServiceCatalogue {
  cachedServices ??= loadServiceCatalogue(SERVICES_FILE);
  return cachedServices;
}

/** Adds entries to a catalogue (later entries never replace earlier ones). */
export function withChecks(catalogue: Catalogue, extra: readonly CheckMeta[]): Catalogue {
  const checks = new Map(catalogue.checks);
  for (const meta of extra) if (!checks.has(meta.id)) checks.set(meta.id, meta);
  return { version: catalogue.version, checks };
}

/**
 * The built-in catalogue: checks/catalogue.yaml plus one `service.exposed.<name>` entry per service
 * of checks/services.yaml. Read once per process.
 */
export function builtinCatalogue(): Catalogue {
  cached ??= withChecks(loadCatalogueFile(CATALOGUE_FILE), serviceCheckMetas(builtinServices()));
  return cached;
}
