import type { FindingRecord } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import type {
  DiscoveredNameInput,
  DiscoveredNameRecord,
  DiscoveryRepository,
} from '../discovery-repository.js';
import { mergedName, nameRecordOf, nameValues, type NameRow } from '../discovery-rows.js';
import type { StoredRunInput } from '../run-repository.js';
import type { SqliteDatabase } from './database.js';
import type { SqliteRunRepository } from './run-repository.js';

const READ_FAILED = msg('texts2.store.discovery.read');

/** Discovered names in SQLite (table `discovered_names`, migration 6). */
export class SqliteDiscoveryRepository implements DiscoveryRepository {
  private readonly stmt;

  constructor(
    private readonly h: SqliteDatabase,
    private readonly runs: SqliteRunRepository,
  ) {
    const db = h.db;
    this.stmt = {
      select: db.prepare<[string], NameRow>(`SELECT * FROM discovered_names WHERE name = ?`),
      upsert: db.prepare(
        `INSERT INTO discovered_names (name, domain, class, sources_json, details_json, first_seen, last_seen, last_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET
           domain = excluded.domain, class = excluded.class, sources_json = excluded.sources_json,
           details_json = excluded.details_json, first_seen = excluded.first_seen,
           last_seen = excluded.last_seen, last_run_id = excluded.last_run_id`,
      ),
      list: db.prepare<[], NameRow>(`SELECT * FROM discovered_names ORDER BY name`),
      since: db.prepare<[string], NameRow>(
        `SELECT * FROM discovered_names WHERE first_seen >= ? ORDER BY name`,
      ),
      latestRun: db.prepare<[string], { started_at: string }>(
        `SELECT started_at FROM runs WHERE kind = 'discovery' AND status = 'finished' AND started_at < ?
          ORDER BY started_at DESC LIMIT 1`,
      ),
    };
  }

  private merge(at: string, runId: string, n: DiscoveredNameInput): DiscoveredNameRecord {
    return mergedName(at, runId, n, this.stmt.select.get(n.name));
  }

  async saveRun(
    run: StoredRunInput,
    names: readonly DiscoveredNameInput[],
  ): Promise<{ findings: FindingRecord[]; names: DiscoveredNameRecord[] }> {
    const at = new Date(run.startedAt).toISOString();
    return this.h.write(msg('texts2.store.discovery.save', { id: run.id }), () => {
      const findings = this.runs.saveSync({ ...run, kind: 'discovery' });
      const records = names.map((n) => {
        const r = this.merge(at, run.id, n);
        this.stmt.upsert.run(...nameValues(r));
        return r;
      });
      return { findings, names: records };
    });
  }

  async preview(
    startedAt: string,
    runId: string,
    names: readonly DiscoveredNameInput[],
  ): Promise<DiscoveredNameRecord[]> {
    const at = new Date(startedAt).toISOString();
    return this.h.read(READ_FAILED, () => names.map((n) => this.merge(at, runId, n)));
  }

  async list(): Promise<DiscoveredNameRecord[]> {
    return this.h.read(READ_FAILED, () => this.stmt.list.all().map(nameRecordOf));
  }

  async firstSeenSince(since: string): Promise<DiscoveredNameRecord[]> {
    return this.h.read(READ_FAILED, () =>
      this.stmt.since.all(new Date(since).toISOString()).map(nameRecordOf),
    );
  }

  async latestRunAt(before?: string): Promise<string | undefined> {
    // '~' sorts after every ISO 8601 date: no bound
    const bound = before === undefined ? '~' : new Date(before).toISOString();
    return this.h.read(READ_FAILED, () => this.stmt.latestRun.get(bound)?.started_at);
  }
}
