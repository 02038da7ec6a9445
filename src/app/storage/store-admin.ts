import {
  copyStore,
  describeLocation,
  openStoreAt,
  parseStoreLocation,
  type StoreCopyResult,
  type StoreLocation,
} from '../../store/index.js';
import { appStoreLocation } from '../shared/data-store.js';
import type { AppContext } from '../shared/context.js';

export interface StoreMigration {
  backend: StoreLocation['kind'];
  /** Where (a file, or a URL with its password hidden). */
  location: string;
}

/** Opens the configured store, which applies its pending migrations, and closes it. */
export async function migrateStore(ctx: AppContext): Promise<StoreMigration> {
  const loc = appStoreLocation(ctx);
  const store = await openStoreAt(loc);
  await store.close();
  return { backend: loc.kind, location: describeLocation(loc) };
}

/** `vigie store copy --from … --to …`: locations as the user wrote them. */
export async function copyStores(from: string, to: string): Promise<StoreCopyResult> {
  return copyStore(parseStoreLocation(from), parseStoreLocation(to));
}

export type { StoreCopyResult, TableCopyReport } from '../../store/index.js';
