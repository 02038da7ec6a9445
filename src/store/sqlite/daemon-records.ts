import type Database from 'better-sqlite3';
import type { DaemonHeartbeat, JobRecord } from '../daemon-repository.js';
import { heartbeatOf, jobOf, type HeartbeatRow, type JobRow } from '../daemon-rows.js';

/** Daemon jobs and heartbeat (tables of migration 4). */

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
  return db.prepare<[], JobRow>(`SELECT * FROM daemon_jobs ORDER BY job`).all().map(jobOf);
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
  return r ? heartbeatOf(r) : undefined;
}
