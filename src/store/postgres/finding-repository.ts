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
import { recordOf, type EventRow, type FindingRow } from '../rows.js';
import type { PgDatabase } from './pg-database.js';

export const SEVERITY_RANK_SQL = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
// As SQLite: hosts without regard to ASCII case, and a NULL key first.
export const FINDING_ORDER_SQL = `${SEVERITY_RANK_SQL} DESC, lower(f.host), f.port, f.check_id, f.key NULLS FIRST, f.fingerprint`;

export const TRACKED_SELECT_SQL = `
  SELECT f.*, w.reason AS w_reason, w.until AS w_until, w.waived_by AS w_waived_by,
         w.waived_at AS w_waived_at, w.evidence_hash AS w_evidence_hash
  FROM findings f LEFT JOIN waivers w ON w.fingerprint = f.fingerprint AND w.state = 'active'`;

/** A host compared as SQLite's NOCASE column compares it. */
const HOST_IS = (n: number): string => `lower(f.host) = lower($${n}::text COLLATE "C")`;

/** Conditions in PostgreSQL's terms: numbered parameters, lists as arrays. */
const CONDITIONS: FindingConditionSql = {
  oneOf: (column, values, params) => `${column} = ANY($${params.push(values)}::text[])`,
  equals: (column, value, params) => `${column} = $${params.push(value)}`,
  hostIs: (host, params) => HOST_IS(params.push(host)),
};

/** Findings and their history on PostgreSQL; statuses computed by the rules of domain/. */
export class PgFindingRepository implements FindingRepository {
  constructor(private readonly db: PgDatabase) {}

  async listOpen(filter: FindingFilter = {}): Promise<FindingRecord[]> {
    const where = ['f.open = 1'];
    const params: unknown[] = [];
    if (!findingConditions(filter, CONDITIONS, where, params)) return [];
    const sql = `SELECT * FROM findings f WHERE ${where.join(' AND ')} ORDER BY ${FINDING_ORDER_SQL}`;
    const rows = await this.db.read(msg('texts2.store.finding.read-open'), (q) =>
      q.rows<FindingRow>(sql, params),
    );
    return rows.map(recordOf);
  }

  async get(fingerprint: string): Promise<FindingRecord | undefined> {
    const row = await this.db.read(msg('texts2.store.finding.read', { fingerprint }), (q) =>
      q.one<FindingRow>(`SELECT * FROM findings WHERE fingerprint = $1`, [fingerprint]),
    );
    return row === undefined ? undefined : recordOf(row);
  }

  /** Findings matching `where` (SQL over `f`, the findings, and `w`, their active waiver), at `now`. */
  private async tracked(
    what: string | CatalogueText,
    where: string[],
    params: unknown[],
    now: string,
  ): Promise<TrackedFinding[]> {
    const sql = `${TRACKED_SELECT_SQL} ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                 ORDER BY ${FINDING_ORDER_SQL}`;
    const rows = await this.db.read(what, (q) => q.rows<TrackedRow>(sql, params));
    return rows.map((row) => trackedOf(row, now));
  }

  async list(filter: TrackedFindingFilter): Promise<TrackedFinding[]> {
    const now = isoInput(filter.now, 'now');
    const where: string[] = [];
    const params: unknown[] = [];
    const statuses = filter.status === undefined ? undefined : new Set(filter.status);
    if (statuses !== undefined && !statusConditions(statuses, where)) return [];
    if (!findingConditions(filter, CONDITIONS, where, params)) return [];
    const found = await this.tracked(msg('texts2.store.read-findings'), where, params, now);
    return statuses === undefined ? found : found.filter((f) => statuses.has(f.status));
  }

  async getTracked(fingerprint: string, now: string): Promise<TrackedFinding | undefined> {
    const at = isoInput(now, 'now');
    const found = await this.tracked(
      msg('texts2.store.finding.read', { fingerprint }),
      ['f.fingerprint = $1'],
      [fingerprint],
      at,
    );
    return found[0];
  }

  timeline(fingerprint: string): Promise<FindingEvent[]> {
    return this.db.read(msg('texts2.store.finding.read-history', { fingerprint }), async (q) => {
      const events = await q.rows<EventRow>(
        `SELECT id, at, kind, run_id, detail FROM finding_events WHERE fingerprint = $1 ORDER BY at, id`,
        [fingerprint],
      );
      const occurrences = await q.rows<{ at: string; run_id: string }>(
        `SELECT r.started_at AS at, rf.run_id FROM run_findings rf JOIN runs r ON r.id = rf.run_id
         WHERE rf.fingerprint = $1 ORDER BY r.started_at, r.id`,
        [fingerprint],
      );
      return orderTimeline(
        // BIGINT ids come back as text: numbers again, so that they order as numbers.
        events.map((row) => ({ event: eventOf(row), seq: Number(row.id) })),
        occurrences.map((row, seq) => ({
          event: { at: row.at, kind: 'seen' as const, runId: row.run_id },
          seq,
        })),
      );
    });
  }

  async changedBetween(from: string, to: string): Promise<FindingChanges> {
    const start = isoInput(from, 'from');
    const end = isoInput(to, 'to');
    const what = msg('texts2.store.finding.read-changes');
    const byEvent = (kind: FindingEventKind): Promise<TrackedFinding[]> =>
      this.tracked(
        what,
        [
          `f.fingerprint IN (SELECT fingerprint FROM finding_events WHERE kind = $1 AND at BETWEEN $2 AND $3)`,
        ],
        [kind, start, end],
        end,
      );
    return {
      new: await this.tracked(what, ['f.first_seen BETWEEN $1 AND $2'], [start, end], end),
      resolved: await byEvent('resolved'),
      regressed: await byEvent('regressed'),
    };
  }
}
