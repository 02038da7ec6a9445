export type JobOutcome = 'ok' | 'error' | 'skipped';

export interface JobRecord {
  job: string;
  lastStartedAt?: string;
  lastFinishedAt?: string;
  lastOutcome?: JobOutcome;
  lastDetail?: string;
  nextRunAt?: string;
}

export interface DaemonHeartbeat {
  pid: number;
  hostname: string;
  startedAt: string;
  beatAt: string;
  stoppedAt?: string;
}

/** Who holds a named lease (work one process at a time does, whatever the machine), and until when. */
export interface LeaseHolder {
  owner: string;
  until: string;
}

/** The daemon's jobs (last run, next run), its heartbeat, and leases shared by every process of a store. */
export interface DaemonRepository {
  jobStarted(job: string, at: string): Promise<void>;
  jobFinished(
    job: string,
    r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string },
  ): Promise<void>;
  setJobNextRun(job: string, nextRunAt: string): Promise<void>;
  listJobs(): Promise<JobRecord[]>;
  writeHeartbeat(h: { pid: number; hostname: string; startedAt: string; at: string }): Promise<void>;
  markStopped(at: string): Promise<void>;
  readHeartbeat(): Promise<DaemonHeartbeat | undefined>;
  /**
   * Takes the lease `name` for `owner` until `until` when nobody holds it, its holder's time is over
   * at `at`, or `owner` holds it already (renewal); atomic across processes sharing the store.
   * Returns undefined when taken, else who holds it.
   */
  acquireLease(
    name: string,
    r: { owner: string; at: string; until: string },
  ): Promise<LeaseHolder | undefined>;
  /** Gives the lease back (only its owner can). */
  releaseLease(name: string, owner: string): Promise<void>;
}
