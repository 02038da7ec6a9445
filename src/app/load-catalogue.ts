import { fileURLToPath } from 'node:url';
import type { Catalogue } from '../domain/index.js';
import { loadCatalogueFile } from '../config/index.js';

/** checks/ at the package root, both from src/ (tsx) and dist/. */
export const CHECKS_DIR = fileURLToPath(new URL('../../checks/', import.meta.url));
export const CATALOGUE_FILE = `${CHECKS_DIR}catalogue.yaml`;

let cached: Catalogue | undefined;

/** The built-in catalogue, read once per process. */
export function builtinCatalogue(): Catalogue {
  cached ??= loadCatalogueFile(CATALOGUE_FILE);
  return cached;
}
