import type { DaemonHeartbeat, JobRecord } from './daemon-repository.js';

/** The `daemon_jobs` and `daemon_heartbeat` rows and their mapping, the same for every backend. */

export interface JobRow {
  job: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_outcome: string | null;
  last_detail: string | null;
  next_run_at: string | null;
}

export interface HeartbeatRow {
  pid: number;
  hostname: string;
  started_at: string;
  beat_at: string;
  stopped_at: string | null;
}

export function jobOf(r: JobRow): JobRecord {
  return {
    job: r.job,
    ...(r.last_started_at ? { lastStartedAt: r.last_started_at } : {}),
    ...(r.last_finished_at ? { lastFinishedAt: r.last_finished_at } : {}),
    ...(r.last_outcome ? { lastOutcome: r.last_outcome as NonNullable<JobRecord['lastOutcome']> } : {}),
    ...(r.last_detail ? { lastDetail: r.last_detail } : {}),
    ...(r.next_run_at ? { nextRunAt: r.next_run_at } : {}),
  };
}

export function heartbeatOf(r: HeartbeatRow): DaemonHeartbeat {
  return {
    pid: r.pid,
    hostname: r.hostname,
    startedAt: r.started_at,
    beatAt: r.beat_at,
    ...(r.stopped_at ? { stoppedAt: r.stopped_at } : {}),
  };
}
