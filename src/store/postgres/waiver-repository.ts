import { msg } from '../../i18n/index.js';
import {
  replacedWaiverEnd,
  validateUnwaive,
  validateWaiver,
  type UnwaiveInput,
  type WaiveInput,
  type Waiver,
} from '../../domain/index.js';
import type { WaiverFilter, WaiverListing, WaiverRepository } from '../waiver-repository.js';
import { isoInput } from '../iso-input.js';
import { hashOf, waiverOf, type FindingRow, type WaiverRow } from '../sqlite/rows.js';
import { lapseWaiver, logEvent, withdrawWaiver } from './finding-log.js';
import { lockFor } from './locks.js';
import type { PgDatabase, PgQuery } from './pg-database.js';

/**
 * Detail of the `unwaived` event when a new waiver replaces the active one: stored, so in French
 * whatever the language shown, the same words as SQLite's.
 */
const REPLACED = msg('pgcore.waiver.replaced').fallback;

async function activeWaiver(q: PgQuery, fingerprint: string): Promise<WaiverRow | undefined> {
  return q.one<WaiverRow>(`SELECT * FROM waivers WHERE fingerprint = $1 AND state = 'active'`, [fingerprint]);
}

async function selectFinding(q: PgQuery, fingerprint: string): Promise<FindingRow | undefined> {
  return q.one<FindingRow>(`SELECT * FROM findings WHERE fingerprint = $1`, [fingerprint]);
}

/**
 * Waivers on PostgreSQL, as SqliteWaiverRepository: what may be waived and when a waiver ends are
 * the rules of domain/. Writes take the history lock, as runs do (a run lapses waivers too).
 */
export class PgWaiverRepository implements WaiverRepository {
  constructor(private readonly db: PgDatabase) {}

  waive(fingerprint: string, w: WaiveInput): Promise<Waiver> {
    return this.db.write(msg('texts2.store.waiver.save', { fingerprint }), async (q): Promise<Waiver> => {
      await lockFor(q, this.db, 'history');
      const finding = await selectFinding(q, fingerprint);
      const valid = validateWaiver(
        fingerprint,
        finding === undefined ? undefined : { open: finding.open === 1 },
        w,
      );
      const evidenceHash = hashOf(finding as FindingRow);
      const current = await activeWaiver(q, fingerprint);
      if (current !== undefined) {
        if (replacedWaiverEnd(waiverOf(current), valid.at, evidenceHash) === 'lapse') {
          await lapseWaiver(q, current, valid.at, null);
        } else {
          await withdrawWaiver(q, current, valid.at);
          await logEvent(q, fingerprint, valid.at, 'unwaived', null, `${valid.by}: ${REPLACED}`);
        }
      }
      const inserted = await q.one<WaiverRow>(
        `INSERT INTO waivers (fingerprint, reason, until, waived_by, waived_at, evidence_hash, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'active') RETURNING *`,
        [fingerprint, valid.reason, valid.until, valid.by, valid.at, evidenceHash],
      );
      await logEvent(q, fingerprint, valid.at, 'waived', null, `${valid.by}: ${valid.reason}`);
      return waiverOf(inserted as WaiverRow);
    });
  }

  unwaive(fingerprint: string, u: UnwaiveInput): Promise<Waiver> {
    return this.db.write(msg('texts2.store.waiver.remove', { fingerprint }), async (q): Promise<Waiver> => {
      await lockFor(q, this.db, 'history');
      const current = await activeWaiver(q, fingerprint);
      const { at, by, reason } = validateUnwaive(
        fingerprint,
        {
          active: current,
          findingExists: current !== undefined || (await selectFinding(q, fingerprint)) !== undefined,
        },
        u,
      );
      const row = current as WaiverRow;
      await withdrawWaiver(q, row, at);
      await logEvent(q, fingerprint, at, 'unwaived', null, reason === '' ? by : `${by}: ${reason}`);
      return waiverOf({ ...row, state: 'withdrawn', ended_at: at, end_reason: 'unwaived' });
    });
  }

  async expire(now: string): Promise<Waiver[]> {
    const at = isoInput(now, 'now');
    return this.db.write(msg('texts2.store.waiver.lapse'), async (q) => {
      await lockFor(q, this.db, 'history');
      const due = await q.rows<WaiverRow>(
        `SELECT * FROM waivers WHERE state = 'active' AND until <= $1 ORDER BY until, id`,
        [at],
      );
      const lapsed: Waiver[] = [];
      for (const w of due) lapsed.push(await lapseWaiver(q, w, at, null));
      return lapsed;
    });
  }

  async list(filter: WaiverFilter = {}): Promise<WaiverListing[]> {
    const params: unknown[] = [];
    let where = '';
    if (filter.state !== undefined) {
      if (filter.state.length === 0) return [];
      params.push(filter.state);
      where = `WHERE w.state = ANY($1::text[])`;
    }
    const rows = await this.db.read(msg('texts2.store.waiver.read'), (q) =>
      q.rows<WaiverRow & { check_id: string; host: string; port: number }>(
        `SELECT w.*, f.check_id, f.host, f.port FROM waivers w JOIN findings f ON f.fingerprint = w.fingerprint
         ${where} ORDER BY w.waived_at DESC, w.id DESC`,
        params,
      ),
    );
    return rows.map((row) => ({ ...waiverOf(row), checkId: row.check_id, host: row.host, port: row.port }));
  }
}
