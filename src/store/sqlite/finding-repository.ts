import { msg, type CatalogueText } from '../../i18n/index.js';
import {
  findingStatus,
  orderTimeline,
  SEVERITIES,
  waiverInForce,
  type FindingEvent,
  type FindingEventKind,
  type FindingRecord,
  type Waiver,
} from '../../domain/index.js';
import type {
  FindingChanges,
  FindingFilter,
  FindingRepository,
  TrackedFinding,
  TrackedFindingFilter,
} from '../finding-repository.js';
import { isoInput } from '../iso-input.js';
import { inList, type SqliteDatabase } from './database.js';
import { hashOf, recordOf, type EventRow, type FindingRow } from './rows.js';

/** A finding with the columns of its active waiver, if any (LEFT JOIN). */
type TrackedRow = FindingRow & {
  w_reason: string | null;
  w_until: string | null;
  w_waived_by: string | null;
  w_waived_at: string | null;
  w_evidence_hash: string | null;
};

const SEVERITY_RANK_SQL = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
const FINDING_ORDER_SQL = `${SEVERITY_RANK_SQL} DESC, f.host, f.port, f.check_id, f.key, f.fingerprint`;

const TRACKED_SELECT_SQL = `
  SELECT f.*, w.reason AS w_reason, w.until AS w_until, w.waived_by AS w_waived_by,
         w.waived_at AS w_waived_at, w.evidence_hash AS w_evidence_hash
  FROM findings f LEFT JOIN waivers w ON w.fingerprint = f.fingerprint AND w.state = 'active'`;

function trackedOf(row: TrackedRow, now: string): TrackedFinding {
  const record = recordOf(row);
  const waiver: Waiver | undefined =
    row.w_reason === null ||
    row.w_until === null ||
    row.w_waived_by === null ||
    row.w_waived_at === null ||
    row.w_evidence_hash === null
      ? undefined
      : {
          fingerprint: row.fingerprint,
          reason: row.w_reason,
          until: row.w_until,
          by: row.w_waived_by,
          waivedAt: row.w_waived_at,
          evidenceHash: row.w_evidence_hash,
          state: 'active',
        };
  const inForce = waiver !== undefined && waiverInForce(waiver, hashOf(row), now);
  return {
    ...record,
    status: findingStatus(record, inForce),
    ...(inForce ? { waiver } : {}),
  };
}

function eventOf(row: EventRow): FindingEvent {
  return {
    at: row.at,
    kind: row.kind as FindingEventKind,
    ...(row.run_id === null ? {} : { runId: row.run_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

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
    const params: (string | number)[] = [];
    if (filter.severity !== undefined) {
      if (filter.severity.length === 0) return [];
      where.push(`f.severity IN ${inList(filter.severity)}`);
      params.push(...filter.severity);
    }
    if (filter.host !== undefined) {
      where.push('f.host = ?');
      params.push(filter.host);
    }
    if (filter.checkId !== undefined) {
      where.push('f.check_id = ?');
      params.push(filter.checkId);
    }
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
    if (statuses !== undefined) {
      if (statuses.size === 0) return [];
      if (!statuses.has('resolved')) where.push('f.open = 1');
      else if (statuses.size === 1) where.push('f.open = 0');
      // Only a finding with an active waiver can be waived: the scan's question (which are waived
      // today?) reads those few rows, not every open finding of the estate.
      if (statuses.size === 1 && statuses.has('waived')) where.push('w.fingerprint IS NOT NULL');
    }
    const lists: [string, readonly unknown[] | undefined][] = [
      ['f.severity', filter.severity],
      ['f.asset_id', filter.assetIds],
    ];
    for (const [column, values] of lists) {
      if (values === undefined) continue;
      if (values.length === 0) return [];
      where.push(`${column} IN ${inList(values)}`);
      params.push(...values);
    }
    if (filter.host !== undefined) {
      where.push('f.host = ?');
      params.push(filter.host);
    }
    if (filter.checkId !== undefined) {
      where.push('f.check_id = ?');
      params.push(filter.checkId);
    }
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
