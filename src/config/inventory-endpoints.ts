import type { Endpoint } from '../domain/index.js';
import type { VigieConfig } from './schema.js';

/**
 * The endpoints of the inventory: every host of every asset on each of the asset's ports (or
 * `defaultPorts` when the asset lists none), in inventory order. A host:port listed twice (same
 * host in two assets, or a port repeated) is kept once, with the first asset and address seen.
 */
export function inventoryEndpoints(config: VigieConfig, defaultPorts: readonly number[]): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const seen = new Set<string>();
  for (const asset of config.assets) {
    for (const host of asset.hosts) {
      const implicit = asset.ports === undefined;
      for (const port of asset.ports ?? defaultPorts) {
        const key = `${host.name.toLowerCase()}|${port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        endpoints.push({
          host: host.name,
          ...(host.address === undefined ? {} : { address: host.address }),
          port,
          assetId: asset.id,
          ...(asset.expose === undefined ? {} : { expose: asset.expose }),
          ...(implicit ? { implicit: true } : {}),
        });
      }
    }
  }
  return endpoints;
}
