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
  jobStarted(job: string, at: string): void;
  jobFinished(job: string, r: { at: string; outcome: JobOutcome; detail?: string; nextRunAt?: string }): void;
  setJobNextRun(job: string, nextRunAt: string): void;
  listJobs(): JobRecord[];
  writeHeartbeat(h: { pid: number; hostname: string; startedAt: string; at: string }): void;
  markStopped(at: string): void;
  readHeartbeat(): DaemonHeartbeat | undefined;
}
