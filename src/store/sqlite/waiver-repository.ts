import { msg } from '../../i18n/index.js';
import { validateUnwaive, type UnwaiveInput, type WaiveInput, type Waiver } from '../../domain/index.js';
import type { WaiverFilter, WaiverListing, WaiverRepository } from '../waiver-repository.js';
import { isoInput } from '../iso-input.js';
import { inList, type SqliteDatabase } from './database.js';
import { FindingLog } from './finding-log.js';
import { checkedWaiver, replacedEnd, withdrawal } from '../waiver-rows.js';
import { waiverOf, type FindingRow, type WaiverRow } from '../rows.js';

/** Waivers in SQLite; what may be waived and when a waiver ends are the rules of domain/. */
export class SqliteWaiverRepository implements WaiverRepository {
  private readonly stmt;
  private readonly log: FindingLog;

  constructor(private readonly h: SqliteDatabase) {
    const db = h.db;
    this.log = new FindingLog(db);
    this.stmt = {
      selectFinding: db.prepare<[string], FindingRow>(`SELECT * FROM findings WHERE fingerprint = ?`),
      activeWaiver: db.prepare<[string], WaiverRow>(
        `SELECT * FROM waivers WHERE fingerprint = ? AND state = 'active'`,
      ),
      dueWaivers: db.prepare<[string], WaiverRow>(
        `SELECT * FROM waivers WHERE state = 'active' AND until <= ? ORDER BY until, id`,
      ),
      selectWaiver: db.prepare<[number | bigint], WaiverRow>(`SELECT * FROM waivers WHERE id = ?`),
      insertWaiver: db.prepare<{
        fingerprint: string;
        reason: string;
        until: string;
        by: string;
        at: string;
        evidenceHash: string;
      }>(
        `INSERT INTO waivers (fingerprint, reason, until, waived_by, waived_at, evidence_hash, state)
         VALUES (@fingerprint, @reason, @until, @by, @at, @evidenceHash, 'active')`,
      ),
    };
  }

  async waive(fingerprint: string, w: WaiveInput): Promise<Waiver> {
    return this.h.write(msg('texts2.store.waiver.save', { fingerprint }), (): Waiver => {
      const { valid, evidenceHash, event } = checkedWaiver(
        fingerprint,
        this.stmt.selectFinding.get(fingerprint),
        w,
      );
      const current = this.stmt.activeWaiver.get(fingerprint);
      if (current !== undefined) {
        const replaced = replacedEnd(fingerprint, current, valid, evidenceHash);
        if (replaced.end === 'lapse') {
          this.log.lapse(current, valid.at, null);
        } else {
          this.log.withdraw(current, valid.at);
          this.log.logged(replaced.event);
        }
      }
      const { lastInsertRowid } = this.stmt.insertWaiver.run({ fingerprint, ...valid, evidenceHash });
      this.log.logged(event);
      return waiverOf(this.stmt.selectWaiver.get(lastInsertRowid) as WaiverRow);
    });
  }

  async unwaive(fingerprint: string, u: UnwaiveInput): Promise<Waiver> {
    return this.h.write(msg('texts2.store.waiver.remove', { fingerprint }), (): Waiver => {
      const current = this.stmt.activeWaiver.get(fingerprint);
      const checked = validateUnwaive(
        fingerprint,
        {
          active: current,
          findingExists: current !== undefined || this.stmt.selectFinding.get(fingerprint) !== undefined,
        },
        u,
      );
      const row = current as WaiverRow;
      const { event, withdrawn } = withdrawal(fingerprint, row, checked);
      this.log.withdraw(row, checked.at);
      this.log.logged(event);
      return withdrawn;
    });
  }

  async expire(now: string): Promise<Waiver[]> {
    const at = isoInput(now, 'now');
    return this.h.write(msg('texts2.store.waiver.lapse'), () =>
      this.stmt.dueWaivers.all(at).map((w) => this.log.lapse(w, at, null)),
    );
  }

  async list(filter: WaiverFilter = {}): Promise<WaiverListing[]> {
    const where: string[] = [];
    if (filter.state !== undefined) {
      if (filter.state.length === 0) return [];
      where.push(`w.state IN ${inList(filter.state)}`);
    }
    const sql = `SELECT w.*, f.check_id, f.host, f.port FROM waivers w JOIN findings f ON f.fingerprint = w.fingerprint
                 ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                 ORDER BY w.waived_at DESC, w.id DESC`;
    return this.h.read(msg('texts2.store.waiver.read'), () =>
      this.h.db
        .prepare<unknown[], WaiverRow & { check_id: string; host: string; port: number }>(sql)
        .all(...(filter.state ?? []))
        .map((row) => ({ ...waiverOf(row), checkId: row.check_id, host: row.host, port: row.port })),
    );
  }
}
