import type Database from 'better-sqlite3';
import type { RegisterTable } from '../playbook-register-rows.js';

/** Reviews and exercises of the playbook register (tables of migration 3). */

export function insertEntry<Row extends object, Entry, Input>(
  db: Database.Database,
  t: RegisterTable<Row, Entry, Input>,
  input: Input,
): Entry {
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`,
    )
    .run(...t.valuesOf(input));
  return t.entryOf(
    db.prepare<[number | bigint], Row>(`SELECT * FROM ${t.table} WHERE id = ?`).get(lastInsertRowid) as Row,
  );
}

/** The entries of one playbook, or of all when `playbookId` is undefined. */
export function selectEntries<Row extends object, Entry, Input>(
  db: Database.Database,
  t: RegisterTable<Row, Entry, Input>,
  playbookId?: string,
): Entry[] {
  const rows =
    playbookId === undefined
      ? db.prepare<[], Row>(`SELECT * FROM ${t.table} ORDER BY ${t.order}`).all()
      : db
          .prepare<[string], Row>(`SELECT * FROM ${t.table} WHERE playbook_id = ? ORDER BY ${t.order}`)
          .all(playbookId);
  return rows.map(t.entryOf);
}
