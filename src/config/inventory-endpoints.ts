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
    const implicit = asset.ports === undefined;
    const ports = asset.ports ?? defaultPorts;
    for (const host of asset.hosts) {
      const name = host.name.toLowerCase();
      for (const port of ports) {
        const key = `${name}|${port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // Built by assignment: an inventory of 10 000 assets makes about 100 000 of these.
        const endpoint: Endpoint =
          host.address === undefined
            ? { host: host.name, port, assetId: asset.id }
            : { host: host.name, address: host.address, port, assetId: asset.id };
        if (asset.expose !== undefined) endpoint.expose = asset.expose;
        if (implicit) endpoint.implicit = true;
        endpoints.push(endpoint);
      }
    }
  }
  return endpoints;
}
