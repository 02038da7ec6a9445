import type { DomainTarget } from '../domain/index.js';
import type { VigieConfig } from './schema.js';

/**
 * The domains of the inventory, in inventory order. A domain listed by two assets is assessed once,
 * for the first asset, with the DKIM selectors of both.
 */
export function inventoryDomains(config: VigieConfig): DomainTarget[] {
  const byName = new Map<string, { domain: string; assetId: string; selectors: Set<string> }>();
  for (const asset of config.assets) {
    for (const entry of asset.domains ?? []) {
      const domain = entry.name.toLowerCase().replace(/\.$/, '');
      const known = byName.get(domain);
      if (known) {
        for (const s of entry.dkimSelectors) known.selectors.add(s);
        continue;
      }
      byName.set(domain, { domain, assetId: asset.id, selectors: new Set(entry.dkimSelectors) });
    }
  }
  return [...byName.values()].map((d) => ({
    domain: d.domain,
    assetId: d.assetId,
    dkimSelectors: [...d.selectors],
  }));
}
