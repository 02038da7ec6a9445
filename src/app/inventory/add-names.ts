import fs from 'node:fs';
import { addHostsToInventory, ConfigNotFoundError } from '../../config/index.js';
import { isDiscoverableName, normaliseDnsName, UsageError } from '../../domain/index.js';
import { writePrivateFileAtomic } from '../../files/index.js';
import { msg, t } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { readDataStore } from '../shared/data-store.js';

/** The asset discovered names go under when none is named. */
export const DISCOVERED_ASSET_ID = 'decouverts';

export interface AddNamesRequest {
  inventoryFile: string;
  names: readonly string[];
  /** Every name the last discoveries classified `new`. */
  allNew: boolean;
  /** Existing asset, or the id of a new one (owner « à qualifier »). */
  assetId?: string;
  dryRun?: boolean;
}

export interface AddNamesResult {
  file: string;
  asset: string;
  createdAsset: boolean;
  added: string[];
  alreadyListed: string[];
  written: boolean;
}

/** `vigie inventory add`: discovered names into vigie.yml, comments and layout kept, validated before writing. */
export async function addDiscoveredNames(ctx: AppContext, req: AddNamesRequest): Promise<AddNamesResult> {
  if (!fs.existsSync(req.inventoryFile)) throw new ConfigNotFoundError(req.inventoryFile);
  const fromStore = req.allNew
    ? await readDataStore(ctx, [], async (store) =>
        (await store.discovery.list()).filter((n) => n.class === 'new').map((n) => n.name),
      )
    : [];
  const names = [...new Set([...req.names.map(normaliseDnsName), ...fromStore])];
  if (names.length === 0)
    throw new UsageError(msg('texts2.inventory-add.no-name'), {
      hint: msg(req.allNew ? 'texts2.inventory-add.no-name.discover' : 'texts2.inventory-add.no-name.give'),
    });
  const bad = names.filter((n) => !isDiscoverableName(n));
  if (bad.length > 0)
    throw new UsageError(
      msg('texts2.inventory-add.bad-names', {
        names: bad.map((n) => JSON.stringify(n.slice(0, 80))).join(', '),
      }),
    );
  const asset = req.assetId ?? DISCOVERED_ASSET_ID;
  const text = fs.readFileSync(req.inventoryFile, 'utf8');
  const edit = addHostsToInventory(text, req.inventoryFile, {
    names,
    assetId: asset,
    owner: t(ctx.lang, 'texts2.inventory.owner-to-qualify'),
  });
  const written = edit.added.length > 0 && req.dryRun !== true;
  if (written) writePrivateFileAtomic(req.inventoryFile, edit.text);
  return {
    file: req.inventoryFile,
    asset,
    createdAsset: edit.createdAsset,
    added: edit.added,
    alreadyListed: edit.alreadyListed,
    written,
  };
}
