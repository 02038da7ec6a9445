import { StorageError } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import { TableChecksum } from './table-checksum.js';
import { STORE_TABLES, type TableIo } from './table-io.js';

export interface TableCopyReport {
  table: string;
  rows: number;
  /** Sha-256 of the table's rows, the same on both sides (checked before the copy is committed). */
  checksum: string;
}

export interface StoreCopyResult {
  from: string;
  to: string;
  tables: TableCopyReport[];
  rows: number;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/**
 * Copies every table of `source` into the empty `target`, in one transaction on each side (the
 * source is read as one snapshot; the target keeps nothing unless every table's row count and
 * checksum read back inside its transaction equal the source's). Both must be at the same schema
 * version (their owners migrate them first) and hold the same columns.
 */
export async function copyTables(source: TableIo, target: TableIo): Promise<StoreCopyResult> {
  const columns = new Map<string, string[]>();
  for (const table of STORE_TABLES) {
    const [from, to] = [await source.columns(table), await target.columns(table)];
    if (from.length === 0 || !sameColumns(from, to)) {
      throw new StorageError(
        msg('storecopy.schema-mismatch', { table, from: source.label, to: target.label }),
        {
          hint: msg('storecopy.schema-mismatch.hint'),
        },
      );
    }
    columns.set(table, from);
  }
  for (const table of STORE_TABLES) {
    const n = await target.count(table);
    if (n > 0) {
      throw new StorageError(msg('storecopy.not-empty', { to: target.label, table, count: n }), {
        hint: msg('storecopy.not-empty.hint'),
      });
    }
  }
  const tables = await source.transaction(
    async (src) =>
      target.transaction(async (tx) => {
        const reports: TableCopyReport[] = [];
        for (const table of STORE_TABLES) {
          const cols = columns.get(table) ?? [];
          const sent = new TableChecksum();
          await src.read(table, cols, async (rows) => {
            sent.add(rows);
            await tx.insert(table, cols, rows);
          });
          await tx.afterInsert(table);
          const landed = new TableChecksum();
          await tx.read(table, cols, (rows) => {
            landed.add(rows);
            return Promise.resolve();
          });
          const [a, b] = [sent.digest(), landed.digest()];
          if (sent.rows !== landed.rows || a !== b) {
            throw new StorageError(
              msg('storecopy.mismatch', { table, sent: sent.rows, landed: landed.rows, to: target.label }),
              { hint: msg('storecopy.mismatch.hint') },
            );
          }
          reports.push({ table, rows: sent.rows, checksum: a });
        }
        return reports;
      }, 'write'),
    'read',
  );
  return { from: source.label, to: target.label, tables, rows: tables.reduce((s, t) => s + t.rows, 0) };
}
