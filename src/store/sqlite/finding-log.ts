import type Database from 'better-sqlite3';
import type { FindingEventKind, Waiver } from '../../domain/index.js';
import { lapseOf, type FindingEventValues } from '../run-rows.js';
import type { WaiverRow } from '../rows.js';

/** Writes to the findings' log shared by the runs and the waivers: events, and waivers that lapse. */
export class FindingLog {
  private readonly insertEvent;
  private readonly endWaiver;

  constructor(db: Database.Database) {
    this.insertEvent = db.prepare<{
      fingerprint: string;
      at: string;
      kind: FindingEventKind;
      runId: string | null;
      detail: string | null;
    }>(
      `INSERT INTO finding_events (fingerprint, at, kind, run_id, detail)
       VALUES (@fingerprint, @at, @kind, @runId, @detail)`,
    );
    this.endWaiver = db.prepare<{
      id: number;
      state: 'lapsed' | 'withdrawn';
      endedAt: string;
      endReason: NonNullable<Waiver['endReason']>;
    }>(
      `UPDATE waivers SET state = @state, ended_at = @endedAt, end_reason = @endReason
       WHERE id = @id AND state = 'active'`,
    );
  }

  event(
    fingerprint: string,
    at: string,
    kind: FindingEventKind,
    runId: string | null = null,
    detail: string | null = null,
  ): void {
    this.insertEvent.run({ fingerprint, at, kind, runId, detail });
  }

  /** Ends an active waiver as withdrawn at `at` (no event: the caller logs why). */
  withdraw(waiver: WaiverRow, at: string): void {
    this.endWaiver.run({ id: waiver.id, state: 'withdrawn', endedAt: at, endReason: 'unwaived' });
  }

  /**
   * Ends an active waiver because it no longer applies (see `waiverLapse`), and logs a
   * `waiver-lapsed` event (with the run when the evidence changed in it).
   */
  lapse(waiver: WaiverRow, at: string, runId: string | null): Waiver {
    const { endedAt, endReason, event, lapsed } = lapseOf(waiver, at, runId);
    this.endWaiver.run({ id: waiver.id, state: 'lapsed', endedAt, endReason });
    this.logged(event);
    return lapsed;
  }

  /** Logs an event as the shared rules give it. */
  logged(e: FindingEventValues): void {
    this.insertEvent.run(e);
  }
}
