import type { FindingRecord } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import type {
  DiscoveredNameInput,
  DiscoveredNameRecord,
  DiscoveryRepository,
} from '../discovery-repository.js';
import { mergedName, nameRecordOf, nameValues, type NameRow } from '../discovery-rows.js';
import type { StoredRunInput } from '../run-repository.js';
import type { PgDatabase, PgQuery } from './pg-database.js';
import type { PgRunRepository } from './run-repository.js';

const READ_FAILED = msg('texts2.store.discovery.read');

/** A name compared as SQLite's NOCASE primary key compares it. */
async function selectName(q: PgQuery, name: string): Promise<NameRow | undefined> {
  return q.one<NameRow>(`SELECT * FROM discovered_names WHERE lower(name) = lower($1::text COLLATE "C")`, [
    name,
  ]);
}

/** Discovered names on PostgreSQL (table `discovered_names`), as SqliteDiscoveryRepository. */
export class PgDiscoveryRepository implements DiscoveryRepository {
  constructor(
    private readonly db: PgDatabase,
    private readonly runs: PgRunRepository,
  ) {}

  async saveRun(
    run: StoredRunInput,
    names: readonly DiscoveredNameInput[],
  ): Promise<{ findings: FindingRecord[]; names: DiscoveredNameRecord[] }> {
    const at = new Date(run.startedAt).toISOString();
    return this.db.write(msg('texts2.store.discovery.save', { id: run.id }), async (q) => {
      const findings = await this.runs.saveIn(q, { ...run, kind: 'discovery' });
      const records: DiscoveredNameRecord[] = [];
      for (const n of names) {
        const r = mergedName(at, run.id, n, await selectName(q, n.name));
        await q.run(
          `INSERT INTO discovered_names (name, domain, class, sources_json, details_json, first_seen, last_seen,
                                         last_run_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ((lower(name))) DO UPDATE SET
             domain = excluded.domain, class = excluded.class, sources_json = excluded.sources_json,
             details_json = excluded.details_json, first_seen = excluded.first_seen,
             last_seen = excluded.last_seen, last_run_id = excluded.last_run_id`,
          nameValues(r),
        );
        records.push(r);
      }
      return { findings, names: records };
    });
  }

  async preview(
    startedAt: string,
    runId: string,
    names: readonly DiscoveredNameInput[],
  ): Promise<DiscoveredNameRecord[]> {
    const at = new Date(startedAt).toISOString();
    return this.db.read(READ_FAILED, async (q) => {
      const out: DiscoveredNameRecord[] = [];
      for (const n of names) out.push(mergedName(at, runId, n, await selectName(q, n.name)));
      return out;
    });
  }

  async list(): Promise<DiscoveredNameRecord[]> {
    const rows = await this.db.read(READ_FAILED, (q) =>
      q.rows<NameRow>(`SELECT * FROM discovered_names ORDER BY lower(name)`),
    );
    return rows.map(nameRecordOf);
  }

  async firstSeenSince(since: string): Promise<DiscoveredNameRecord[]> {
    const bound = new Date(since).toISOString();
    const rows = await this.db.read(READ_FAILED, (q) =>
      q.rows<NameRow>(`SELECT * FROM discovered_names WHERE first_seen >= $1 ORDER BY lower(name)`, [bound]),
    );
    return rows.map(nameRecordOf);
  }

  async latestRunAt(before?: string): Promise<string | undefined> {
    // '~' sorts after every ISO 8601 date (byte order, "C"): no bound
    const bound = before === undefined ? '~' : new Date(before).toISOString();
    const row = await this.db.read(READ_FAILED, (q) =>
      q.one<{ started_at: string }>(
        `SELECT started_at FROM runs WHERE kind = 'discovery' AND status = 'finished' AND started_at < $1
         ORDER BY started_at DESC LIMIT 1`,
        [bound],
      ),
    );
    return row?.started_at;
  }
}
