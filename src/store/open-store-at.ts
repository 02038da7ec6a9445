import { UsageError } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { copyTables, type StoreCopyResult } from './copy-store.js';
import { openStore } from './sqlite/open-store.js';
import type { Store } from './store.js';
import { describeLocation, type StoreLocation } from './store-location.js';
import type { TableIo } from './table-io.js';

/**
 * Opens the store at a location, its migrations applied. The PostgreSQL backend (and its driver)
 * is loaded only when asked for: a SQLite command never loads it.
 */
export async function openStoreAt(loc: StoreLocation): Promise<Store> {
  if (loc.kind === 'sqlite') return openStore(loc.dataDir);
  const { openPgStore } = await import('./postgres/open-pg-store.js');
  return openPgStore(loc.url, { schema: loc.schema });
}

async function openTablesAt(loc: StoreLocation): Promise<TableIo> {
  if (loc.kind === 'sqlite') {
    const { openSqliteTables } = await import('./sqlite/sqlite-tables.js');
    return openSqliteTables(loc.dataDir);
  }
  const { openPgTables } = await import('./postgres/pg-tables.js');
  return openPgTables(loc.url, { schema: loc.schema });
}

function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return a.dataDir === b.dataDir;
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const [x, y] = [new URL(a.url), new URL(b.url)];
    x.password = '';
    y.password = '';
    return x.toString() === y.toString() && a.schema === b.schema;
  }
  return false;
}

/**
 * Copies a whole history from one store to another, empty one (both migrated first); counts and
 * checksums are compared table by table before the target's transaction commits.
 */
export async function copyStore(from: StoreLocation, to: StoreLocation): Promise<StoreCopyResult> {
  if (sameLocation(from, to)) {
    throw new UsageError(msg('storecopy.same', { location: describeLocation(from) }), {
      hint: msg('storecopy.same.hint'),
    });
  }
  const source = await openTablesAt(from);
  try {
    const target = await openTablesAt(to);
    try {
      return await copyTables(source, target);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
