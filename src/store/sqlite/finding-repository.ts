import { msg, type CatalogueText } from '../../i18n/index.js';
import {
  orderTimeline,
  SEVERITIES,
  type FindingEvent,
  type FindingEventKind,
  type FindingRecord,
} from '../../domain/index.js';
import type {
  FindingChanges,
  FindingFilter,
  FindingRepository,
  TrackedFinding,
  TrackedFindingFilter,
} from '../finding-repository.js';
import {
  eventOf,
  findingConditions,
  statusConditions,
  trackedOf,
  type FindingConditionSql,
  type TrackedRow,
} from '../finding-rows.js';
import { isoInput } from '../iso-input.js';
import { inList, type SqliteDatabase } from './database.js';
import { recordOf, type EventRow, type FindingRow } from '../rows.js';

export const SEVERITY_RANK_SQL = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
export const FINDING_ORDER_SQL = `${SEVERITY_RANK_SQL} DESC, f.host, f.port, f.check_id, f.key, f.fingerprint`;

export const TRACKED_SELECT_SQL = `
  SELECT f.*, w.reason AS w_reason, w.until AS w_until, w.waived_by AS w_waived_by,
         w.waived_at AS w_waived_at, w.evidence_hash AS w_evidence_hash
  FROM findings f LEFT JOIN waivers w ON w.fingerprint = f.fingerprint AND w.state = 'active'`;

/** Conditions in SQLite's terms: positional parameters, the host column compares without case. */
const CONDITIONS: FindingConditionSql = {
  oneOf: (column, values, params) => {
    params.push(...values);
    return `${column} IN ${inList(values)}`;
  },
  equals: (column, value, params) => {
    params.push(value);
    return `${column} = ?`;
  },
  hostIs: (host, params) => CONDITIONS.equals('f.host', host, params),
};

/** Findings and their history in SQLite; statuses computed by the rules of domain/. */
export class SqliteFindingRepository implements FindingRepository {
  private readonly stmt;

  constructor(private readonly h: SqliteDatabase) {
    const db = h.db;
    this.stmt = {
      selectFinding: db.prepare<[string], FindingRow>(`SELECT * FROM findings WHERE fingerprint = ?`),
      selectEvents: db.prepare<[string], EventRow>(
        `SELECT id, at, kind, run_id, detail FROM finding_events WHERE fingerprint = ? ORDER BY at, id`,
      ),
      selectOccurrences: db.prepare<[string], { at: string; run_id: string }>(
        `SELECT r.started_at AS at, rf.run_id FROM run_findings rf JOIN runs r ON r.id = rf.run_id
         WHERE rf.fingerprint = ? ORDER BY r.started_at, r.id`,
      ),
    };
  }

  async listOpen(filter: FindingFilter = {}): Promise<FindingRecord[]> {
    const where = ['f.open = 1'];
    const params: unknown[] = [];
    if (!findingConditions(filter, CONDITIONS, where, params)) return [];
    const sql = `SELECT * FROM findings f WHERE ${where.join(' AND ')} ORDER BY ${FINDING_ORDER_SQL}`;
    return this.h.read(msg('texts2.store.finding.read-open'), () =>
      this.h.db
        .prepare<unknown[], FindingRow>(sql)
        .all(...params)
        .map(recordOf),
    );
  }

  async get(fingerprint: string): Promise<FindingRecord | undefined> {
    return this.h.read(msg('texts2.store.finding.read', { fingerprint }), () => {
      const row = this.stmt.selectFinding.get(fingerprint);
      return row === undefined ? undefined : recordOf(row);
    });
  }

  /** Findings matching `where` (SQL over `f`, the findings, and `w`, their active waiver), at `now`. */
  private tracked(
    what: string | CatalogueText,
    where: string[],
    params: unknown[],
    now: string,
  ): TrackedFinding[] {
    const sql = `${TRACKED_SELECT_SQL} ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                 ORDER BY ${FINDING_ORDER_SQL}`;
    return this.h.read(what, () =>
      this.h.db
        .prepare<unknown[], TrackedRow>(sql)
        .all(...params)
        .map((row) => trackedOf(row, now)),
    );
  }

  async list(filter: TrackedFindingFilter): Promise<TrackedFinding[]> {
    const now = isoInput(filter.now, 'now');
    const where: string[] = [];
    const params: unknown[] = [];
    const statuses = filter.status === undefined ? undefined : new Set(filter.status);
    if (statuses !== undefined && !statusConditions(statuses, where)) return [];
    if (!findingConditions(filter, CONDITIONS, where, params)) return [];
    const found = this.tracked(msg('texts2.store.read-findings'), where, params, now);
    return statuses === undefined ? found : found.filter((f) => statuses.has(f.status));
  }

  async getTracked(fingerprint: string, now: string): Promise<TrackedFinding | undefined> {
    const at = isoInput(now, 'now');
    return this.tracked(
      msg('texts2.store.finding.read', { fingerprint }),
      ['f.fingerprint = ?'],
      [fingerprint],
      at,
    )[0];
  }

  async timeline(fingerprint: string): Promise<FindingEvent[]> {
    return this.h.read(msg('texts2.store.finding.read-history', { fingerprint }), () =>
      orderTimeline(
        this.stmt.selectEvents.all(fingerprint).map((row) => ({ event: eventOf(row), seq: row.id })),
        this.stmt.selectOccurrences.all(fingerprint).map((row, seq) => ({
          event: { at: row.at, kind: 'seen' as const, runId: row.run_id },
          seq,
        })),
      ),
    );
  }

  async changedBetween(from: string, to: string): Promise<FindingChanges> {
    const start = isoInput(from, 'from');
    const end = isoInput(to, 'to');
    const what = msg('texts2.store.finding.read-changes');
    const byEvent = (kind: FindingEventKind): TrackedFinding[] =>
      this.tracked(
        what,
        [`f.fingerprint IN (SELECT fingerprint FROM finding_events WHERE kind = ? AND at BETWEEN ? AND ?)`],
        [kind, start, end],
        end,
      );
    return {
      new: this.tracked(what, ['f.first_seen BETWEEN ? AND ?'], [start, end], end),
      resolved: byEvent('resolved'),
      regressed: byEvent('regressed'),
    };
  }
}
