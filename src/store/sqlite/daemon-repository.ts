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
    this.h.write(`échec de l'enregistrement du travail ${job}`, () => jobStarted(this.h.db, job, at));
  }

  jobFinished(
    job: string,
    r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string },
  ): void {
    this.h.write(`échec de l'enregistrement du travail ${job}`, () => jobFinished(this.h.db, job, r));
  }

  setJobNextRun(job: string, nextRunAt: string): void {
    this.h.write(`échec de l'enregistrement du travail ${job}`, () =>
      setJobNextRun(this.h.db, job, nextRunAt),
    );
  }

  listJobs(): JobRecord[] {
    return this.h.read('échec de la lecture des travaux du démon', () => listJobs(this.h.db));
  }

  writeHeartbeat(hb: { pid: number; hostname: string; startedAt: string; at: string }): void {
    this.h.write("échec de l'écriture du signe de vie du démon", () => writeHeartbeat(this.h.db, hb));
  }

  markStopped(at: string): void {
    this.h.write("échec de l'enregistrement de l'arrêt du démon", () => markDaemonStopped(this.h.db, at));
  }

  readHeartbeat(): DaemonHeartbeat | undefined {
    return this.h.read('échec de la lecture du signe de vie du démon', () => readHeartbeat(this.h.db));
  }
}
