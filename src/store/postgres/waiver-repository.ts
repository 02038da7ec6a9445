import { msg } from '../../i18n/index.js';
import { validateUnwaive, type UnwaiveInput, type WaiveInput, type Waiver } from '../../domain/index.js';
import type { WaiverFilter, WaiverListing, WaiverRepository } from '../waiver-repository.js';
import { isoInput } from '../iso-input.js';
import { waiverOf, type FindingRow, type WaiverRow } from '../rows.js';
import { checkedWaiver, replacedEnd, withdrawal } from '../waiver-rows.js';
import { lapseWaiver, logged, withdrawWaiver } from './finding-log.js';
import { lockFor } from './locks.js';
import type { PgDatabase, PgQuery } from './pg-database.js';

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
      const { valid, evidenceHash, event } = checkedWaiver(
        fingerprint,
        await selectFinding(q, fingerprint),
        w,
      );
      const current = await activeWaiver(q, fingerprint);
      if (current !== undefined) {
        const replaced = replacedEnd(fingerprint, current, valid, evidenceHash);
        if (replaced.end === 'lapse') {
          await lapseWaiver(q, current, valid.at, null);
        } else {
          await withdrawWaiver(q, current, valid.at);
          await logged(q, replaced.event);
        }
      }
      const inserted = await q.one<WaiverRow>(
        `INSERT INTO waivers (fingerprint, reason, until, waived_by, waived_at, evidence_hash, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'active') RETURNING *`,
        [fingerprint, valid.reason, valid.until, valid.by, valid.at, evidenceHash],
      );
      await logged(q, event);
      return waiverOf(inserted as WaiverRow);
    });
  }

  unwaive(fingerprint: string, u: UnwaiveInput): Promise<Waiver> {
    return this.db.write(msg('texts2.store.waiver.remove', { fingerprint }), async (q): Promise<Waiver> => {
      await lockFor(q, this.db, 'history');
      const current = await activeWaiver(q, fingerprint);
      const checked = validateUnwaive(
        fingerprint,
        {
          active: current,
          findingExists: current !== undefined || (await selectFinding(q, fingerprint)) !== undefined,
        },
        u,
      );
      const row = current as WaiverRow;
      const { event, withdrawn } = withdrawal(fingerprint, row, checked);
      await withdrawWaiver(q, row, checked.at);
      await logged(q, event);
      return withdrawn;
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
