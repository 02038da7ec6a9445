import { createHash } from 'node:crypto';

/**
 * One value as the checksum sees it: both drivers give numbers as numbers or decimal strings (a
 * PostgreSQL BIGINT arrives as a string), so every value is compared as its decimal text; NULL is
 * kept apart from the empty string and from the text "null".
 */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '\u0000';
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number' || typeof v === 'bigint') return `s${String(v)}`;
  if (typeof v === 'boolean') return `s${v ? '1' : '0'}`;
  if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
  return `s${JSON.stringify(v)}`;
}

/** Sha-256 of one row's values (unambiguous: each value's length is part of what is hashed). */
export function rowHash(row: readonly unknown[]): string {
  const h = createHash('sha256');
  for (const v of row) {
    const t = valueText(v);
    h.update(`${t.length}:${t}`);
  }
  return h.digest('hex');
}

/**
 * A table's checksum, whatever order the rows were read in (the two databases do not sort text
 * alike): the sha-256 of its rows' hashes, sorted.
 */
export class TableChecksum {
  private readonly hashes: string[] = [];

  add(rows: readonly (readonly unknown[])[]): void {
    for (const row of rows) this.hashes.push(rowHash(row));
  }

  get rows(): number {
    return this.hashes.length;
  }

  digest(): string {
    const h = createHash('sha256');
    for (const x of [...this.hashes].sort()) h.update(x);
    return h.digest('hex');
  }
}
