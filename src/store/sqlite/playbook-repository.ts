import { RegisterRepository, type RegisterTable } from '../playbook-register-rows.js';
import type { SqliteDatabase } from './database.js';
import { insertEntry, selectEntries } from './playbook-register-records.js';

/** The playbook register in SQLite. */
export class SqlitePlaybookRepository extends RegisterRepository {
  constructor(private readonly h: SqliteDatabase) {
    super();
  }

  protected async record<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    input: Input,
  ): Promise<Entry> {
    return this.h.write(t.saving(input), () => insertEntry(this.h.db, t, input));
  }

  protected async list<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    playbookId?: string,
  ): Promise<Entry[]> {
    return this.h.read(t.reading, () => selectEntries(this.h.db, t, playbookId));
  }
}
