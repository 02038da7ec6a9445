import {
  inventoryDomains,
  inventoryEndpointCount,
  inventoryEndpoints,
  loadConfig,
  type Asset,
} from '../../config/index.js';
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

/** What `inventory validate` tells of a valid inventory: its counts (no endpoint is made to count them). */
export interface InventoryCounts {
  file: string;
  assets: number;
  endpoints: number;
  domains: number;
}

/** Loads and validates the inventory, and counts it; throws InvalidFileError with every problem at once. */
export function countInventory(file: string): InventoryCounts {
  const config = loadConfig(file);
  return {
    file,
    assets: config.assets.length,
    endpoints: inventoryEndpointCount(config, defaultPorts([...builtinServices().services.values()])),
    domains: inventoryDomains(config).length,
  };
}
