import type { FindingEventKind, Waiver } from '../../domain/index.js';
import { lapseOf, type FindingEventValues } from '../run-rows.js';
import type { WaiverRow } from '../rows.js';
import type { PgQuery } from './pg-database.js';

/**
 * Writes to the findings' log shared by the runs and the waivers: events, and waivers that lapse
 * (as SQLite's FindingLog, on the caller's transaction).
 */
export async function logEvent(
  q: PgQuery,
  fingerprint: string,
  at: string,
  kind: FindingEventKind,
  runId: string | null = null,
  detail: string | null = null,
): Promise<void> {
  await q.run(
    `INSERT INTO finding_events (fingerprint, at, kind, run_id, detail) VALUES ($1, $2, $3, $4, $5)`,
    [fingerprint, at, kind, runId, detail],
  );
}

/** Logs an event as the shared rules give it. */
export async function logged(q: PgQuery, e: FindingEventValues): Promise<void> {
  await logEvent(q, e.fingerprint, e.at, e.kind, e.runId, e.detail);
}

async function endWaiver(
  q: PgQuery,
  id: number | string,
  state: 'lapsed' | 'withdrawn',
  endedAt: string,
  endReason: NonNullable<Waiver['endReason']>,
): Promise<void> {
  await q.run(
    `UPDATE waivers SET state = $2, ended_at = $3, end_reason = $4 WHERE id = $1 AND state = 'active'`,
    [id, state, endedAt, endReason],
  );
}

/** Ends an active waiver as withdrawn at `at` (no event: the caller logs why). */
export async function withdrawWaiver(q: PgQuery, waiver: WaiverRow, at: string): Promise<void> {
  await endWaiver(q, waiver.id, 'withdrawn', at, 'unwaived');
}

/**
 * Ends an active waiver because it no longer applies (see `waiverLapse`), and logs a
 * `waiver-lapsed` event (with the run when the evidence changed in it).
 */
export async function lapseWaiver(
  q: PgQuery,
  waiver: WaiverRow,
  at: string,
  runId: string | null,
): Promise<Waiver> {
  const { endedAt, endReason, event, lapsed } = lapseOf(waiver, at, runId);
  await endWaiver(q, waiver.id, 'lapsed', endedAt, endReason);
  await logged(q, event);
  return lapsed;
}
