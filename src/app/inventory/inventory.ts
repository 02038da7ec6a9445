import { inventoryDomains, inventoryEndpoints, loadConfig, type Asset } from '../../config/index.js';
import type { DomainTarget, Endpoint } from '../../domain/index.js';
import { defaultPorts, WEB_PORTS } from '../../engine/plan.js';
import { builtinServices } from '../shared/load-catalogue.js';

export interface InventoryView {
  file: string;
  organisation: string;
  assets: Asset[];
  endpoints: Endpoint[];
  /** The domains given the DNS and mail checks (an asset may have only domains, no hosts). */
  domains: DomainTarget[];
  /** The web ports every host without declared `ports:` gets, before the service catalogue's. */
  webPorts: number[];
}

/** Loads and validates the inventory; throws InvalidFileError with every problem at once. */
export function readInventory(file: string): InventoryView {
  const config = loadConfig(file);
  return {
    file,
    organisation: config.organisation.name,
    assets: config.assets,
    endpoints: inventoryEndpoints(config, defaultPorts([...builtinServices().services.values()])),
    domains: inventoryDomains(config),
    webPorts: [...WEB_PORTS],
  };
}
