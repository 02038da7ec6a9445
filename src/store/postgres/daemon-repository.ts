import { msg } from '../../i18n/index.js';
import type {
  DaemonHeartbeat,
  DaemonRepository,
  JobOutcome,
  JobRecord,
  LeaseHolder,
} from '../daemon-repository.js';
import { heartbeatOf, jobOf, type HeartbeatRow, type JobRow } from '../daemon-rows.js';
import type { PgDatabase } from './pg-database.js';

/** The daemon's jobs and heartbeat in PostgreSQL. */
export class PgDaemonRepository implements DaemonRepository {
  constructor(private readonly db: PgDatabase) {}

  async jobStarted(job: string, at: string): Promise<void> {
    await this.setJobColumn(job, 'last_started_at', at);
  }

  /** Sets one column of a job's row, the row created if need be. */
  private async setJobColumn(
    job: string,
    column: 'last_started_at' | 'next_run_at',
    value: string,
  ): Promise<void> {
    await this.db.write(msg('texts2.store.daemon.save-job', { job }), (q) =>
      q.run(
        `INSERT INTO daemon_jobs (job, ${column}) VALUES ($1, $2)
         ON CONFLICT (job) DO UPDATE SET ${column} = excluded.${column}`,
        [job, value],
      ),
    );
  }

  async jobFinished(
    job: string,
    r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string },
  ): Promise<void> {
    await this.db.write(msg('texts2.store.daemon.save-job', { job }), (q) =>
      q.run(
        `INSERT INTO daemon_jobs (job, last_finished_at, last_outcome, last_detail, next_run_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (job) DO UPDATE SET last_finished_at = excluded.last_finished_at,
           last_outcome = excluded.last_outcome, last_detail = excluded.last_detail,
           next_run_at = coalesce(excluded.next_run_at, daemon_jobs.next_run_at)`,
        [job, r.at, r.outcome, r.detail ?? null, r.nextRunAt ?? null],
      ),
    );
  }

  async setJobNextRun(job: string, nextRunAt: string): Promise<void> {
    await this.setJobColumn(job, 'next_run_at', nextRunAt);
  }

  async listJobs(): Promise<JobRecord[]> {
    const rows = await this.db.read(msg('texts2.store.daemon.read-jobs'), (q) =>
      q.rows<JobRow>(`SELECT * FROM daemon_jobs ORDER BY job`),
    );
    return rows.map(jobOf);
  }

  async writeHeartbeat(hb: { pid: number; hostname: string; startedAt: string; at: string }): Promise<void> {
    await this.db.write(msg('texts2.store.daemon.heartbeat-write'), (q) =>
      q.run(
        `INSERT INTO daemon_heartbeat (id, pid, hostname, started_at, beat_at, stopped_at) VALUES (1, $1, $2, $3, $4, NULL)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,
           started_at = excluded.started_at, beat_at = excluded.beat_at, stopped_at = NULL`,
        [hb.pid, hb.hostname, hb.startedAt, hb.at],
      ),
    );
  }

  async markStopped(at: string): Promise<void> {
    await this.db.write(msg('texts2.store.daemon.save-stop'), (q) =>
      q.run(`UPDATE daemon_heartbeat SET stopped_at = $1 WHERE id = 1`, [at]),
    );
  }

  async readHeartbeat(): Promise<DaemonHeartbeat | undefined> {
    const row = await this.db.read(msg('texts2.store.daemon.heartbeat-read'), (q) =>
      q.one<HeartbeatRow>(`SELECT * FROM daemon_heartbeat WHERE id = 1`),
    );
    return row === undefined ? undefined : heartbeatOf(row);
  }

  async acquireLease(
    name: string,
    r: { owner: string; at: string; until: string },
  ): Promise<LeaseHolder | undefined> {
    return this.db.write(msg('lease.store.write', { name }), async (q) => {
      const taken = await q.run(
        `INSERT INTO leases (name, owner, until, acquired_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until,
           acquired_at = excluded.acquired_at
         WHERE leases.until <= excluded.acquired_at OR leases.owner = excluded.owner`,
        [name, r.owner, r.until, r.at],
      );
      if (taken === 1) return undefined;
      return q.one<LeaseHolder>(`SELECT owner, until FROM leases WHERE name = $1`, [name]);
    });
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.write(msg('lease.store.write', { name }), (q) =>
      q.run(`DELETE FROM leases WHERE name = $1 AND owner = $2`, [name, owner]),
    );
  }
}
