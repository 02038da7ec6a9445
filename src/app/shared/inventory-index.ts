import fs from 'node:fs';
import { loadConfig, type VigieConfig } from '../../config/index.js';
import type { Criticality } from '../../domain/index.js';

export interface AssetInfo {
  id: string;
  name: string;
  owner: string;
  criticality: Criticality;
}

/** Owner, name and criticality of each asset, by id: what reports and the posture index need. */
export interface InventoryIndex {
  organisation: string;
  assets: ReadonlyMap<string, AssetInfo>;
}

export function inventoryIndex(config: VigieConfig | undefined): InventoryIndex {
  return {
    organisation: config?.organisation.name ?? '—',
    assets: new Map(
      (config?.assets ?? []).map((a) => [
        a.id,
        { id: a.id, name: a.name, owner: a.owner, criticality: a.criticality },
      ]),
    ),
  };
}

/** vigie.yml when it exists (invalid: reported with every problem), else nothing: reports work without it. */
export function optionalConfig(file: string | undefined): VigieConfig | undefined {
  return file && fs.existsSync(file) ? loadConfig(file) : undefined;
}
