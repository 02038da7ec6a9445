import type Database from 'better-sqlite3';
import type { DaemonHeartbeat, JobRecord } from '../daemon-repository.js';

/** Daemon jobs and heartbeat (tables of migration 4). */

interface JobRow {
  job: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_outcome: string | null;
  last_detail: string | null;
  next_run_at: string | null;
}

export function jobStarted(db: Database.Database, job: string, at: string): void {
  db.prepare(
    `INSERT INTO daemon_jobs (job, last_started_at) VALUES (?, ?)
     ON CONFLICT (job) DO UPDATE SET last_started_at = excluded.last_started_at`,
  ).run(job, at);
}

export function jobFinished(
  db: Database.Database,
  job: string,
  r: { at: string; outcome: 'ok' | 'error' | 'skipped'; detail?: string; nextRunAt?: string },
): void {
  db.prepare(
    `INSERT INTO daemon_jobs (job, last_finished_at, last_outcome, last_detail, next_run_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (job) DO UPDATE SET last_finished_at = excluded.last_finished_at, last_outcome = excluded.last_outcome,
       last_detail = excluded.last_detail, next_run_at = coalesce(excluded.next_run_at, daemon_jobs.next_run_at)`,
  ).run(job, r.at, r.outcome, r.detail ?? null, r.nextRunAt ?? null);
}

export function setJobNextRun(db: Database.Database, job: string, nextRunAt: string): void {
  db.prepare(
    `INSERT INTO daemon_jobs (job, next_run_at) VALUES (?, ?) ON CONFLICT (job) DO UPDATE SET next_run_at = excluded.next_run_at`,
  ).run(job, nextRunAt);
}

export function listJobs(db: Database.Database): JobRecord[] {
  return db
    .prepare<[], JobRow>(`SELECT * FROM daemon_jobs ORDER BY job`)
    .all()
    .map((r) => ({
      job: r.job,
      ...(r.last_started_at ? { lastStartedAt: r.last_started_at } : {}),
      ...(r.last_finished_at ? { lastFinishedAt: r.last_finished_at } : {}),
      ...(r.last_outcome ? { lastOutcome: r.last_outcome as NonNullable<JobRecord['lastOutcome']> } : {}),
      ...(r.last_detail ? { lastDetail: r.last_detail } : {}),
      ...(r.next_run_at ? { nextRunAt: r.next_run_at } : {}),
    }));
}

interface HeartbeatRow {
  pid: number;
  hostname: string;
  started_at: string;
  beat_at: string;
  stopped_at: string | null;
}

export function writeHeartbeat(
  db: Database.Database,
  h: { pid: number; hostname: string; startedAt: string; at: string },
): void {
  db.prepare(
    `INSERT INTO daemon_heartbeat (id, pid, hostname, started_at, beat_at, stopped_at) VALUES (1, ?, ?, ?, ?, NULL)
     ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname, started_at = excluded.started_at,
       beat_at = excluded.beat_at, stopped_at = NULL`,
  ).run(h.pid, h.hostname, h.startedAt, h.at);
}

export function markDaemonStopped(db: Database.Database, at: string): void {
  db.prepare(`UPDATE daemon_heartbeat SET stopped_at = ? WHERE id = 1`).run(at);
}

export function readHeartbeat(db: Database.Database): DaemonHeartbeat | undefined {
  const r = db.prepare<[], HeartbeatRow>(`SELECT * FROM daemon_heartbeat WHERE id = 1`).get();
  return r
    ? {
        pid: r.pid,
        hostname: r.hostname,
        startedAt: r.started_at,
        beatAt: r.beat_at,
        ...(r.stopped_at ? { stoppedAt: r.stopped_at } : {}),
      }
    : undefined;
}
