import { msg } from '../../i18n/index.js';
import type {
  DaemonHeartbeat,
  DaemonRepository,
  JobOutcome,
  JobRecord,
  LeaseHolder,
} from '../daemon-repository.js';
import type { SqliteDatabase } from './database.js';
import {
  jobFinished,
  jobStarted,
  listJobs,
  markDaemonStopped,
  readHeartbeat,
  setJobNextRun,
  writeHeartbeat,
} from './daemon-records.js';

/** The daemon's jobs and heartbeat in SQLite. */
export class SqliteDaemonRepository implements DaemonRepository {
  constructor(private readonly h: SqliteDatabase) {}

  async jobStarted(job: string, at: string): Promise<void> {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () => jobStarted(this.h.db, job, at));
  }

  async jobFinished(
    job: string,
    r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string },
  ): Promise<void> {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () => jobFinished(this.h.db, job, r));
  }

  async setJobNextRun(job: string, nextRunAt: string): Promise<void> {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () =>
      setJobNextRun(this.h.db, job, nextRunAt),
    );
  }

  async listJobs(): Promise<JobRecord[]> {
    return this.h.read(msg('texts2.store.daemon.read-jobs'), () => listJobs(this.h.db));
  }

  async writeHeartbeat(hb: { pid: number; hostname: string; startedAt: string; at: string }): Promise<void> {
    this.h.write(msg('texts2.store.daemon.heartbeat-write'), () => writeHeartbeat(this.h.db, hb));
  }

  async markStopped(at: string): Promise<void> {
    this.h.write(msg('texts2.store.daemon.save-stop'), () => markDaemonStopped(this.h.db, at));
  }

  async readHeartbeat(): Promise<DaemonHeartbeat | undefined> {
    return this.h.read(msg('texts2.store.daemon.heartbeat-read'), () => readHeartbeat(this.h.db));
  }

  async acquireLease(
    name: string,
    r: { owner: string; at: string; until: string },
  ): Promise<LeaseHolder | undefined> {
    return this.h.write(msg('lease.store.write', { name }), () => {
      const taken = this.h.db
        .prepare(
          `INSERT INTO leases (name, owner, until, acquired_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until,
             acquired_at = excluded.acquired_at
           WHERE leases.until <= excluded.acquired_at OR leases.owner = excluded.owner`,
        )
        .run(name, r.owner, r.until, r.at);
      if (taken.changes === 1) return undefined;
      return this.h.db.prepare(`SELECT owner, until FROM leases WHERE name = ?`).get(name) as LeaseHolder;
    });
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.h.write(msg('lease.store.write', { name }), () => {
      this.h.db.prepare(`DELETE FROM leases WHERE name = ? AND owner = ?`).run(name, owner);
    });
  }
}
