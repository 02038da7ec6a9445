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
import { FINDING_ORDER_SQL, TRACKED_SELECT_SQL } from './finding-repository.js';
import type { PgDatabase, PgQuery } from './pg-database.js';

/**
 * The order of `findings.list` as one ascending tuple (the keyset of a page): severity most severe
 * first, lower(host), port, check, key (NULL first), fingerprint.
 */
const findingKey = (f: string) =>
  `CASE ${f}.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${SEVERITIES.length - 1 - i}`).join(' ')} END,
   lower(${f}.host), ${f}.port, ${f}.check_id, ${f}.key IS NOT NULL, COALESCE(${f}.key, ''), ${f}.fingerprint`;

/**
 * The latest endpoint of each (host, port) among finished scan runs; `where` narrows run_endpoints e.
 * The window sorts narrow rows (keys, no facts), and only the endpoints kept are read whole.
 */
const latestSql = (where: string, limit: string) =>
  `SELECT e.host, e.port, e.asset_id, e.status, e.reason, e.detail, e.checks_json, e.facts_json,
          k.run_id, k.started_at
   FROM (SELECT e.run_id, e.seq, e.host, e.port, r.started_at,
                ROW_NUMBER() OVER (PARTITION BY lower(e.host), e.port
                                   ORDER BY r.started_at DESC, r.id DESC, e.seq DESC) AS rank
         FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished'
         WHERE r.kind = 'scan' ${where}) k
   JOIN run_endpoints e ON e.run_id = k.run_id AND e.seq = k.seq
   WHERE k.rank = 1 ORDER BY lower(k.host), k.port LIMIT ${limit}`;

/** The condition of one list of changes (as `changedBetween` reads it) and its parameters. */
function changeList(
  list: keyof ChangeCounts,
  start: string,
  end: string,
): { where: string; params: string[] } {
  return list === 'new'
    ? { where: 'f.first_seen BETWEEN $1 AND $2', params: [start, end] }
    : {
        where: `f.fingerprint IN (SELECT fingerprint FROM finding_events WHERE kind = $1 AND at BETWEEN $2 AND $3)`,
        params: [list, start, end],
      };
}

/** Report reads of a large estate on PostgreSQL: pages by keyset, counts by the database. */
export class PgReportQueryRepository implements ReportQueryRepository {
  constructor(private readonly db: PgDatabase) {}

  async openFindingsPage(now: string, after: string | undefined, limit: number): Promise<FindingPage> {
    const at = isoInput(now, 'now');
    const rows = pageRows(limit);
    const found = await this.db.read(msg('texts2.store.read-findings'), (q) =>
      after === undefined
        ? q.rows<TrackedRow>(`${TRACKED_SELECT_SQL} WHERE f.open = 1 ORDER BY ${findingKey('f')} LIMIT $1`, [
            rows + 1,
          ])
        : q.rows<TrackedRow>(
            `${TRACKED_SELECT_SQL} WHERE f.open = 1
               AND (${findingKey('f')}) > (SELECT ${findingKey('c')} FROM findings c WHERE c.fingerprint = $1)
             ORDER BY ${findingKey('f')} LIMIT $2`,
            [after, rows + 1],
          ),
    );
    return openFindingPage(found, at, rows);
  }

  async eachOpenFinding(
    now: string,
    batch: number,
    each: (findings: TrackedFinding[]) => void,
  ): Promise<void> {
    const at = isoInput(now, 'now');
    await this.cursor<TrackedRow>(
      msg('texts2.store.read-findings'),
      `${TRACKED_SELECT_SQL} WHERE f.open = 1 ORDER BY ${findingKey('f')}`,
      pageRows(batch),
      (rows) => each(openTracked(rows, at)),
    );
  }

  async eachLatestEndpoint(batch: number, each: (endpoints: LatestEndpoint[]) => void): Promise<void> {
    await this.cursor<LatestEndpointRow>(
      msg('texts2.store.read-endpoints'),
      latestSql('', 'ALL'),
      pageRows(batch),
      (rows) => each(rows.map(latestEndpointOf)),
    );
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
    const { where, params } = changeList(list, start, end);
    await this.cursor<TrackedRow>(
      msg('texts2.store.finding.read-changes'),
      `${TRACKED_SELECT_SQL} WHERE ${where} ORDER BY ${FINDING_ORDER_SQL}`,
      pageRows(batch),
      (rows) => each(rows.map((row) => trackedOf(row, end))),
      params,
    );
  }

  /** Reads `sql` through a cursor (one transaction on one connection), `batch` rows at a time. */
  private async cursor<R extends object>(
    what: Parameters<PgDatabase['read']>[0],
    sql: string,
    batch: number,
    each: (rows: R[]) => void,
    params: readonly unknown[] = [],
  ): Promise<void> {
    await this.db.write(what, async (q) => {
      await q.run(`DECLARE vigie_report_rows NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows = await q.rows<R>(`FETCH FORWARD ${batch} FROM vigie_report_rows`);
        if (rows.length > 0) each(rows);
        if (rows.length < batch) break;
      }
      await q.run('CLOSE vigie_report_rows');
    });
  }

  async changesHead(from: string, to: string, limit: number): Promise<ChangesHead> {
    const start = isoInput(from, 'from');
    const end = isoInput(to, 'to');
    const rows = pageRows(limit);
    const head = async (q: PgQuery, list: keyof ChangeCounts): Promise<[number, TrackedFinding[]]> => {
      const { where, params } = changeList(list, start, end);
      const [count] = await q.rows<{ n: string }>(
        `SELECT COUNT(*) AS n FROM findings f WHERE ${where}`,
        params,
      );
      const found = await q.rows<TrackedRow>(
        `${TRACKED_SELECT_SQL} WHERE ${where} ORDER BY ${FINDING_ORDER_SQL} LIMIT $${params.length + 1}`,
        [...params, rows],
      );
      return [Number(count?.n ?? 0), found.map((row) => trackedOf(row, end))];
    };
    return this.db.read(msg('texts2.store.finding.read-changes'), async (q) => {
      const [newCount, newHead] = await head(q, 'new');
      const [resolvedCount, resolvedHead] = await head(q, 'resolved');
      const [regressedCount, regressedHead] = await head(q, 'regressed');
      return {
        counts: { new: newCount, resolved: resolvedCount, regressed: regressedCount },
        new: newHead,
        resolved: resolvedHead,
        regressed: regressedHead,
      };
    });
  }

  async latestEndpointCount(): Promise<number> {
    const [row] = await this.db.read(msg('texts2.store.read-endpoints'), (q) =>
      q.rows<{ n: string }>(
        `SELECT COUNT(*) AS n FROM (SELECT DISTINCT lower(e.host), e.port
           FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished' WHERE r.kind = 'scan') d`,
      ),
    );
    return Number(row?.n ?? 0);
  }

  async latestEndpointsPage(
    after: { host: string; port: number } | undefined,
    limit: number,
  ): Promise<LatestEndpoint[]> {
    const rows = pageRows(limit);
    const found = await this.db.read(msg('texts2.store.read-endpoints'), (q) =>
      after === undefined
        ? q.rows<LatestEndpointRow>(latestSql('', '$1'), [rows])
        : q.rows<LatestEndpointRow>(latestSql('AND (lower(e.host), e.port) > (lower($1), $2)', '$3'), [
            after.host,
            after.port,
            rows,
          ]),
    );
    return found.map(latestEndpointOf);
  }
}
