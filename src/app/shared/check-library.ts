import type { VigieConfig } from '../../config/index.js';
import type { Catalogue, CustomCheck, ServiceCatalogue, ServiceEntry } from '../../domain/index.js';
import { builtinCatalogue, builtinServices, withChecks } from './load-catalogue.js';
import { customCheckMeta, customChecksDirs, loadAllCustomChecks } from './validate-custom-checks.js';

/** Everything a scan evaluates with: check texts, the risky services, the users' custom checks. */
export interface CheckLibrary {
  catalogue: Catalogue;
  serviceCatalogue: ServiceCatalogue;
  services: ServiceEntry[];
  customChecks: CustomCheck[];
}

/** Built-in checks and services, plus the custom checks of the package and of `vigie.yml`'s `checks.custom`. */
export function loadCheckLibrary(config?: VigieConfig): CheckLibrary {
  if (!keepLibraries) return readCheckLibrary(config);
  // What the library depends on in the configuration: the custom checks' directories.
  const key = JSON.stringify(customChecksDirs(config));
  let library = kept.get(key);
  if (!library) {
    library = readCheckLibrary(config);
    kept.set(key, library);
  }
  return library;
}

let keepLibraries = false;
const kept = new Map<string, CheckLibrary>();

/**
 * From now on, the library of one set of custom checks directories is read once (a worker and its
 * thousands of jobs). Custom checks changed on disk are then seen when the worker restarts.
 */
export function keepCheckLibraries(): void {
  keepLibraries = true;
}

function readCheckLibrary(config?: VigieConfig): CheckLibrary {
  const { checks: customChecks } = loadAllCustomChecks(customChecksDirs(config));
  return {
    catalogue: withChecks(builtinCatalogue(), customChecks.map(customCheckMeta)),
    serviceCatalogue: builtinServices(),
    services: [...builtinServices().services.values()],
    customChecks,
  };
}
