import { RegisterRepository, type RegisterTable } from '../playbook-register-rows.js';
import type { PgDatabase } from './pg-database.js';

/** The playbook register in PostgreSQL. */
export class PgPlaybookRepository extends RegisterRepository {
  constructor(private readonly db: PgDatabase) {
    super();
  }

  protected record<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    input: Input,
  ): Promise<Entry> {
    const placeholders = t.columns.map((_, i) => `$${i + 1}`).join(', ');
    return this.db.write(t.saving(input), async (q) => {
      const row = await q.one<Row>(
        `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES (${placeholders}) RETURNING *`,
        t.valuesOf(input),
      );
      return t.entryOf(row as Row);
    });
  }

  protected async list<Row extends object, Entry, Input>(
    t: RegisterTable<Row, Entry, Input>,
    playbookId?: string,
  ): Promise<Entry[]> {
    const rows = await this.db.read(t.reading, (q) =>
      playbookId === undefined
        ? q.rows<Row>(`SELECT * FROM ${t.table} ORDER BY ${t.order}`)
        : q.rows<Row>(`SELECT * FROM ${t.table} WHERE playbook_id = $1 ORDER BY ${t.order}`, [playbookId]),
    );
    return rows.map(t.entryOf);
  }
}
