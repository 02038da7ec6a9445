import { msg } from '../../i18n/index.js';
import type { DaemonHeartbeat, DaemonRepository, JobOutcome, JobRecord } from '../daemon-repository.js';
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

  jobStarted(job: string, at: string): void {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () => jobStarted(this.h.db, job, at));
  }

  jobFinished(
    job: string,
    r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string },
  ): void {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () => jobFinished(this.h.db, job, r));
  }

  setJobNextRun(job: string, nextRunAt: string): void {
    this.h.write(msg('texts2.store.daemon.save-job', { job }), () =>
      setJobNextRun(this.h.db, job, nextRunAt),
    );
  }

  listJobs(): JobRecord[] {
    return this.h.read(msg('texts2.store.daemon.read-jobs'), () => listJobs(this.h.db));
  }

  writeHeartbeat(hb: { pid: number; hostname: string; startedAt: string; at: string }): void {
    this.h.write(msg('texts2.store.daemon.heartbeat-write'), () => writeHeartbeat(this.h.db, hb));
  }

  markStopped(at: string): void {
    this.h.write(msg('texts2.store.daemon.save-stop'), () => markDaemonStopped(this.h.db, at));
  }

  readHeartbeat(): DaemonHeartbeat | undefined {
    return this.h.read(msg('texts2.store.daemon.heartbeat-read'), () => readHeartbeat(this.h.db));
  }
}
