import { msg } from '../../i18n/index.js';
import { SEVERITIES } from '../../domain/index.js';
import type { TrackedFinding } from '../finding-repository.js';
import { trackedOf, type TrackedRow } from '../finding-rows.js';
import { isoInput } from '../iso-input.js';
import type {
  ChangeCounts,
  ChangesHead,
  FindingPage,
  ReportQueryRepository,
} from '../report-query-repository.js';
import { openFindingPage, openTracked, pageRows } from '../report-query-rows.js';
import type { LatestEndpoint } from '../run-repository.js';
import { latestEndpointOf, type LatestEndpointRow } from '../run-rows.js';
import type { SqliteDatabase } from './database.js';
import { FINDING_ORDER_SQL, TRACKED_SELECT_SQL } from './finding-repository.js';

/**
 * The order of `findings.list` as one ascending tuple (the keyset of a page): severity most severe
 * first, host (NOCASE), port, check, key (NULL first), fingerprint.
 */
const findingKey = (f: string) =>
  `CASE ${f}.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${SEVERITIES.length - 1 - i}`).join(' ')} END,
   ${f}.host, ${f}.port, ${f}.check_id, ${f}.key IS NOT NULL, COALESCE(${f}.key, ''), ${f}.fingerprint`;

/**
 * The latest endpoint of each (host, port) among finished scan runs; `where` narrows run_endpoints e.
 * The window sorts narrow rows (keys, no facts), and only the endpoints kept are read whole.
 */
const latestSql = (where: string) =>
  `SELECT e.host, e.port, e.asset_id, e.status, e.reason, e.detail, e.checks_json, e.facts_json,
          k.run_id, k.started_at
   FROM (SELECT e.run_id, e.seq, e.host, e.port, r.started_at,
                ROW_NUMBER() OVER (PARTITION BY e.host, e.port
                                   ORDER BY r.started_at DESC, r.id DESC, e.seq DESC) AS rank
         FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished'
         WHERE r.kind = 'scan' ${where}) k
   JOIN run_endpoints e ON e.run_id = k.run_id AND e.seq = k.seq
   WHERE k.rank = 1 ORDER BY k.host, k.port LIMIT ?`;

/** The condition of one list of changes (as `changedBetween` reads it) and its parameters. */
function changeList(
  list: keyof ChangeCounts,
  start: string,
  end: string,
): { where: string; params: string[] } {
  return list === 'new'
    ? { where: 'f.first_seen BETWEEN ? AND ?', params: [start, end] }
    : {
        where: `f.fingerprint IN (SELECT fingerprint FROM finding_events WHERE kind = ? AND at BETWEEN ? AND ?)`,
        params: [list, start, end],
      };
}

/** Report reads of a large estate in SQLite: pages by keyset, counts by the database. */
export class SqliteReportQueryRepository implements ReportQueryRepository {
  private readonly stmt;

  constructor(private readonly h: SqliteDatabase) {
    const db = h.db;
    this.stmt = {
      firstFindings: db.prepare<[number], TrackedRow>(
        `${TRACKED_SELECT_SQL} WHERE f.open = 1 ORDER BY ${findingKey('f')} LIMIT ?`,
      ),
      nextFindings: db.prepare<[string, number], TrackedRow>(
        `${TRACKED_SELECT_SQL} WHERE f.open = 1
           AND (${findingKey('f')}) > (SELECT ${findingKey('c')} FROM findings c WHERE c.fingerprint = ?)
         ORDER BY ${findingKey('f')} LIMIT ?`,
      ),
      allFindings: db.prepare<[], TrackedRow>(
        `${TRACKED_SELECT_SQL} WHERE f.open = 1 ORDER BY ${findingKey('f')}`,
      ),
      allEndpoints: db.prepare<[], LatestEndpointRow>(latestSql('').replace(/ LIMIT \?$/, '')),
      firstEndpoints: db.prepare<[number], LatestEndpointRow>(latestSql('')),
      nextEndpoints: db.prepare<[string, number, number], LatestEndpointRow>(
        latestSql('AND (e.host, e.port) > (?, ?)'),
      ),
      endpointCount: db.prepare<[], { n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT DISTINCT e.host, e.port
           FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished' WHERE r.kind = 'scan')`,
      ),
    };
  }

  async openFindingsPage(now: string, after: string | undefined, limit: number): Promise<FindingPage> {
    const at = isoInput(now, 'now');
    const rows = pageRows(limit);
    return this.h.read(msg('texts2.store.read-findings'), () =>
      openFindingPage(
        after === undefined
          ? this.stmt.firstFindings.all(rows + 1)
          : this.stmt.nextFindings.all(after, rows + 1),
        at,
        rows,
      ),
    );
  }

  async eachOpenFinding(
    now: string,
    batch: number,
    each: (findings: TrackedFinding[]) => void,
  ): Promise<void> {
    const at = isoInput(now, 'now');
    const rows = pageRows(batch);
    this.h.read(msg('texts2.store.read-findings'), () => {
      let buffer: TrackedRow[] = [];
      for (const row of this.stmt.allFindings.iterate()) {
        buffer.push(row);
        if (buffer.length < rows) continue;
        each(openTracked(buffer, at));
        buffer = [];
      }
      if (buffer.length > 0) each(openTracked(buffer, at));
    });
  }

  async eachLatestEndpoint(batch: number, each: (endpoints: LatestEndpoint[]) => void): Promise<void> {
    const rows = pageRows(batch);
    this.h.read(msg('texts2.store.read-endpoints'), () => {
      let buffer: LatestEndpoint[] = [];
      for (const row of this.stmt.allEndpoints.iterate()) {
        buffer.push(latestEndpointOf(row));
        if (buffer.length < rows) continue;
        each(buffer);
        buffer = [];
      }
      if (buffer.length > 0) each(buffer);
    });
  }

  async eachChangedFinding(
    list: keyof ChangeCounts,
    from: string,
    to: string,
    batch: number,
    each: (findings: TrackedFinding[]) => void,
  ): Promise<void> {
    const start = isoInput(from, 'from');
    const end = isoInput(to, 'to');
    const rows = pageRows(batch);
    const { where, params } = changeList(list, start, end);
    this.h.read(msg('texts2.store.finding.read-changes'), () => {
      let buffer: TrackedFinding[] = [];
      const stmt = this.h.db.prepare<unknown[], TrackedRow>(
        `${TRACKED_SELECT_SQL} WHERE ${where} ORDER BY ${FINDING_ORDER_SQL}`,
      );
      for (const row of stmt.iterate(...params)) {
        buffer.push(trackedOf(row, end));
        if (buffer.length < rows) continue;
        each(buffer);
        buffer = [];
      }
      if (buffer.length > 0) each(buffer);
    });
  }

  async changesHead(from: string, to: string, limit: number): Promise<ChangesHead> {
    const start = isoInput(from, 'from');
    const end = isoInput(to, 'to');
    const rows = pageRows(limit);
    return this.h.read(msg('texts2.store.finding.read-changes'), () => {
      const head = (list: keyof ChangeCounts): [number, TrackedFinding[]] => {
        const { where, params } = changeList(list, start, end);
        const count = this.h.db
          .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM findings f WHERE ${where}`)
          .get(...params);
        const found = this.h.db
          .prepare<unknown[], TrackedRow>(
            `${TRACKED_SELECT_SQL} WHERE ${where} ORDER BY ${FINDING_ORDER_SQL} LIMIT ?`,
          )
          .all(...params, rows)
          .map((row) => trackedOf(row, end));
        return [count?.n ?? 0, found];
      };
      const [newCount, newHead] = head('new');
      const [resolvedCount, resolvedHead] = head('resolved');
      const [regressedCount, regressedHead] = head('regressed');
      return {
        counts: { new: newCount, resolved: resolvedCount, regressed: regressedCount },
        new: newHead,
        resolved: resolvedHead,
        regressed: regressedHead,
      };
    });
  }

  async latestEndpointCount(): Promise<number> {
    return this.h.read(msg('texts2.store.read-endpoints'), () => this.stmt.endpointCount.get()?.n ?? 0);
  }

  async latestEndpointsPage(
    after: { host: string; port: number } | undefined,
    limit: number,
  ): Promise<LatestEndpoint[]> {
    const rows = pageRows(limit);
    return this.h.read(msg('texts2.store.read-endpoints'), () =>
      (after === undefined
        ? this.stmt.firstEndpoints.all(rows)
        : this.stmt.nextEndpoints.all(after.host, after.port, rows)
      ).map(latestEndpointOf),
    );
  }
}
