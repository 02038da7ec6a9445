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

/** The daemon's jobs (last run, next run) and its heartbeat. */
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
}
