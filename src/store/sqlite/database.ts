import type Database from 'better-sqlite3';
import { msg, type CatalogueText } from '../../i18n/index.js';
import { guard } from './storage-failure.js';

/**
 * The one SQLite handle the repositories share, with the one error guard: reads and writes run
 * through it, and any low-level failure becomes a StorageError naming the file and what to do.
 */
export class SqliteDatabase {
  constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Runs `fn` in one IMMEDIATE transaction (nested: a savepoint of the outer one). */
  write<T>(what: string | CatalogueText, fn: () => T): T {
    return guard(what, this.file, () => this.db.transaction(fn).immediate());
  }

  /** Runs a read. */
  read<T>(what: string | CatalogueText, fn: () => T): T {
    return guard(what, this.file, fn);
  }

  close(): void {
    if (this.db.open) guard(msg('texts2.store.close'), this.file, () => this.db.close());
  }
}

/** `(?, ?, …)` for a list of values bound in an `IN`. */
export function inList(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}
