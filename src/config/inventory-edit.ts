import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parse, parseDocument, type Document, type YAMLMap } from 'yaml';
import { InvalidFileError, UsageError, VigieError } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { parseConfig } from './load-config.js';

/** Who owns an asset created for discovered names until someone says otherwise. */
export const OWNER_TO_QUALIFY = msg('texts2.inventory.owner-to-qualify').fallback;

export interface InventoryAddition {
  /** Host names to add (lower-case). */
  names: readonly string[];
  /** The asset to add them under; created (owner « à qualifier ») when the inventory has none by that id. */
  assetId: string;
  /** Owner written on a created asset (default: OWNER_TO_QUALIFY, in French). */
  owner?: string;
}

export interface InventoryEdit {
  /** The new text of the file (comments and layout of the rest kept). */
  text: string;
  added: string[];
  /** Already listed somewhere in the inventory: left alone. */
  alreadyListed: string[];
  createdAsset: boolean;
}

function hostNameOf(item: unknown): string | undefined {
  if (isScalar(item)) return typeof item.value === 'string' ? item.value.toLowerCase() : undefined;
  if (isMap(item)) {
    const name = item.get('name');
    return typeof name === 'string' ? name.toLowerCase() : undefined;
  }
  return undefined;
}

function listedHosts(doc: Document): Set<string> {
  const out = new Set<string>();
  const assets = doc.get('assets');
  if (!isSeq(assets)) return out;
  for (const asset of assets.items) {
    if (!isMap(asset)) continue;
    const hosts = asset.get('hosts');
    if (isSeq(hosts))
      for (const h of hosts.items) {
        const n = hostNameOf(h);
        if (n !== undefined) out.add(n);
      }
  }
  return out;
}

/**
 * Adds host names to `vigie.yml` through the `yaml` document API, so that comments and layout stay;
 * the new text must validate, and read back as the old document plus the names (else nothing is
 * written: user data is never lost).
 */
export function addHostsToInventory(text: string, file: string, addition: InventoryAddition): InventoryEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new InvalidFileError(
      file,
      doc.errors.map((e) => ({ path: '', message: e.message })),
      { hint: msg('texts2.inventory.fix-before-add') },
    );
  }
  const owner = addition.owner ?? OWNER_TO_QUALIFY;
  const listed = listedHosts(doc);
  const added = [...new Set(addition.names.map((n) => n.toLowerCase()))].filter((n) => !listed.has(n));
  const alreadyListed = addition.names.filter((n) => listed.has(n.toLowerCase()));
  if (added.length === 0) return { text, added, alreadyListed, createdAsset: false };

  let assets = doc.get('assets');
  if (!isSeq(assets)) {
    if (assets !== undefined && assets !== null)
      throw new UsageError(msg('texts2.inventory.assets-not-list'));
    doc.set('assets', doc.createNode([]));
    assets = doc.get('assets');
  }
  if (!isSeq(assets)) throw new VigieError(msg('texts2.inventory.assets-lost'));
  const target = assets.items.find((a): a is YAMLMap => isMap(a) && a.get('id') === addition.assetId);
  let createdAsset = false;
  if (target === undefined) {
    assets.add(
      doc.createNode({
        id: addition.assetId,
        name: addition.assetId,
        owner,
        criticality: 'medium',
        hosts: added,
      }),
    );
    createdAsset = true;
  } else {
    const hosts = target.get('hosts');
    if (isSeq(hosts)) for (const n of added) hosts.add(doc.createNode(n));
    else target.set('hosts', doc.createNode(added));
  }
  const next = doc.toString({ lineWidth: 0 });

  // Read back: the old document plus exactly the names, nothing else changed.
  const before = parse(text) as { assets?: Record<string, unknown>[] } | null;
  const after = parse(next) as { assets?: Record<string, unknown>[] } | null;
  const expected: { assets?: Record<string, unknown>[] } = structuredClone(before ?? {});
  expected.assets ??= [];
  if (createdAsset)
    expected.assets.push({
      id: addition.assetId,
      name: addition.assetId,
      owner,
      criticality: 'medium',
      hosts: added,
    });
  else {
    const a = expected.assets.find((x) => x['id'] === addition.assetId);
    if (a !== undefined) a['hosts'] = [...((a['hosts'] as unknown[] | undefined) ?? []), ...added];
  }
  if (!isDeepStrictEqual(after, expected))
    throw new VigieError(msg('texts2.inventory.edit-unsafe'), {
      hint: msg('texts2.inventory.edit-unsafe.hint'),
    });
  parseConfig(next, file); // throws InvalidFileError with every problem: nothing is written then
  return { text: next, added, alreadyListed, createdAsset };
}
