import {
  openStoreAt,
  isPostgresUrl,
  postgresLocation,
  storeExists,
  type Store,
  type StoreLocation,
} from '../../store/index.js';
import { StorageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import type { AppContext } from './context.js';

/** Runs `fn` on the data directory's store, created (with its migrations) if need be, then closes it. */
export async function withDataStore<T>(ctx: AppContext, fn: (store: Store) => Promise<T> | T): Promise<T> {
  const store = await openAppStore(ctx);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Whether there is a history to read: a shared PostgreSQL store always is (opening it creates its
 * tables); else the data directory must hold a database (reading never creates one).
 */
export function hasDataStore(ctx: AppContext): boolean {
  return ctx.storeUrl !== undefined || storeExists(ctx.dataDir);
}

/** Opens the context's store (PostgreSQL when configured, else the data directory's SQLite), migrated. */
export function openAppStore(ctx: AppContext): Promise<Store> {
  // A worker keeps one store open for all its jobs: theirs is a view whose close() does nothing.
  if (ctx.sharedStore) return Promise.resolve({ ...ctx.sharedStore, close: async () => undefined });
  return openStoreAt(appStoreLocation(ctx));
}

/** Reads from the store when there is one; `empty` otherwise (reading never creates a database). */
export async function readDataStore<T>(
  ctx: AppContext,
  empty: T,
  fn: (store: Store) => Promise<T> | T,
): Promise<T> {
  return hasDataStore(ctx) ? withDataStore(ctx, fn) : empty;
}

/**
 * Where the commands' store is: the PostgreSQL URL of the context, else the data directory's SQLite.
 * A URL that is not a readable postgres:// address is the deployment's mistake, like a server that
 * does not answer: a StorageError (exit 4) that names the variable, never the URL (it may hold a
 * password).
 */
export function appStoreLocation(ctx: AppContext): StoreLocation {
  if (ctx.storeUrl === undefined) return { kind: 'sqlite', dataDir: ctx.dataDir };
  if (!isPostgresUrl(ctx.storeUrl)) {
    throw new StorageError(msg('storecopy.env-url'), { hint: msg('storecopy.bad-url.hint') });
  }
  try {
    return postgresLocation(ctx.storeUrl);
  } catch {
    throw new StorageError(msg('storecopy.env-url'), { hint: msg('storecopy.bad-url.hint') });
  }
}
