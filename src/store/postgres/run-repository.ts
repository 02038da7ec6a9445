import { msg } from '../../i18n/index.js';
import {
  closedByRun,
  closingChecks,
  mergeFinding,
  VigieError,
  waiverLapsesWithEvidence,
  type FindingRecord,
  type StoredFindingInput,
} from '../../domain/index.js';
import type {
  LatestEndpoint,
  RunBatch,
  RunCompletion,
  RunDetail,
  RunHeader,
  RunPage,
  RunRepository,
  RunSummary,
  StoredEndpoint,
  StoredRunInput,
} from '../run-repository.js';
import {
  checkedRunLimit,
  endpointValues,
  findingValues,
  isAbandoned,
  isoOf,
  lapseOf,
  latestEndpointOf,
  mergeEvents,
  RUN_PAGE as PAGE,
  pageOf,
  runFindingOf,
  runOwner,
  type FindingEventValues,
  type LatestEndpointRow,
  type RunFindingRow,
} from '../run-rows.js';
import {
  endpointOf,
  jsonOrNull,
  knownOf,
  summaryOf,
  waiverOf,
  type EndpointRow,
  type FindingRow,
  type RunRow,
  type WaiverRow,
} from '../rows.js';
import { lockFor } from './locks.js';
import type { PgDatabase, PgQuery } from './pg-database.js';

const ENDPOINT_COLUMNS = `host, port, asset_id, status, reason, detail, checks_json, facts_json`;

/** Rows as one array per column, for `unnest`. */
function columnsOf(rows: readonly unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, c) => rows.map((row) => row[c]));
}

/** Events in the order given (their ids follow it, as SQLite's written one by one). */
async function insertEvents(q: PgQuery, events: readonly FindingEventValues[]): Promise<void> {
  if (events.length === 0) return;
  await q.run(
    `INSERT INTO finding_events (fingerprint, at, kind, run_id, detail)
     SELECT f, a, k, r, d FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       WITH ORDINALITY AS e(f, a, k, r, d, n)
     ORDER BY n`,
    columnsOf(
      events.map((e) => [e.fingerprint, e.at, e.kind, e.runId, e.detail]),
      5,
    ),
  );
}

/**
 * Runs and their endpoints on PostgreSQL, as SqliteRunRepository: saving merges findings by the
 * rules of domain/, each save or finish in one transaction under the history lock (two processes
 * saving at once take turns, as they would on SQLite's write lock).
 */
export class PgRunRepository implements RunRepository {
  /** Runs this process has begun and not finished: the next sequence numbers of their rows. */
  private readonly counters = new Map<string, { endpoints: number; findings: number }>();

  constructor(private readonly db: PgDatabase) {}

  async save(run: StoredRunInput): Promise<FindingRecord[]> {
    isoOf(run.startedAt, 'startedAt');
    isoOf(run.finishedAt, 'finishedAt');
    return this.db.write(msg('texts2.store.run.save', { id: run.id }), (q) => this.saveIn(q, run));
  }

  /** `save` inside the caller's transaction (a discovery run is saved with its names). */
  async saveIn(q: PgQuery, run: StoredRunInput): Promise<FindingRecord[]> {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const finishedAt = isoOf(run.finishedAt, 'finishedAt');
    await lockFor(q, this.db, 'history');
    await q.run(
      `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count,
                         posture_json, kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        run.id,
        startedAt,
        finishedAt,
        run.scoringVersion,
        JSON.stringify(run.targets),
        run.endpoints.length,
        run.findings.length,
        jsonOrNull(run.posture),
        run.kind ?? 'scan',
      ],
    );
    for (let i = 0; i < run.endpoints.length; i += PAGE) {
      await this.insertEndpoints(q, run.id, i, run.endpoints.slice(i, i + PAGE));
    }
    const waivers = await this.activeWaivers(q);
    const records: FindingRecord[] = [];
    for (let i = 0; i < run.findings.length; i += PAGE) {
      records.push(...(await this.mergeMany(q, run.findings.slice(i, i + PAGE), run.id, startedAt, waivers)));
    }
    for (let i = 0; i < run.endpoints.length; i += PAGE) {
      await this.closeUnseen(q, run.endpoints.slice(i, i + PAGE), run.id, startedAt);
    }
    return records;
  }

  private async activeWaivers(q: PgQuery): Promise<Map<string, WaiverRow>> {
    const rows = await q.rows<WaiverRow>(`SELECT * FROM waivers WHERE state = 'active'`);
    return new Map(rows.map((w) => [w.fingerprint, w]));
  }

  /**
   * Merges findings of a run into their history (inside the caller's transaction), in batches: one
   * read of what is stored, then one statement per table, in the order SQLite writes them one by one.
   */
  private async mergeMany(
    q: PgQuery,
    inputs: readonly StoredFindingInput[],
    runId: string,
    startedAt: string,
    waivers: Map<string, WaiverRow>,
  ): Promise<FindingRecord[]> {
    const stored = await q.rows<FindingRow>(`SELECT * FROM findings WHERE fingerprint = ANY($1::text[])`, [
      inputs.map((f) => f.fingerprint),
    ]);
    const known = new Map(stored.map((row) => [row.fingerprint, row]));
    const rows: unknown[][] = [];
    const occurrences: unknown[][] = [];
    const events: FindingEventValues[] = [];
    const movedBack: string[] = [];
    const records: FindingRecord[] = [];
    for (const f of inputs) {
      const existing = known.get(f.fingerprint);
      const merged = mergeFinding(
        existing === undefined ? undefined : knownOf(existing),
        f,
        runId,
        startedAt,
      );
      rows.push(findingValues(merged));
      occurrences.push([f.fingerprint, f.severity, JSON.stringify(f.details)]);
      if (merged.firstSeenMovedBack) movedBack.push(f.fingerprint);
      events.push(...mergeEvents(merged, f, existing, startedAt, runId));
      const waiver = waivers.get(f.fingerprint);
      if (waiver !== undefined && waiverLapsesWithEvidence(waiverOf(waiver), merged)) {
        const { endedAt, endReason, event } = lapseOf(waiver, startedAt, runId);
        await q.run(
          `UPDATE waivers SET state = 'lapsed', ended_at = $2, end_reason = $3 WHERE id = $1 AND state = 'active'`,
          [waiver.id, endedAt, endReason],
        );
        events.push(event);
        waivers.delete(f.fingerprint);
      }
      records.push(merged.record);
    }
    await q.run(
      `INSERT INTO findings (fingerprint, check_id, severity, category, host, port, asset_id, key, details_json,
                             first_seen, last_seen, last_run_id, open, closed_at, closed_run_id,
                             regressed_at, details_hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::text[],
                            $15::text[], $16::text[], $17::text[])
       ON CONFLICT (fingerprint) DO UPDATE SET
         check_id = excluded.check_id, severity = excluded.severity, category = excluded.category,
         host = excluded.host, port = excluded.port, asset_id = excluded.asset_id, key = excluded.key,
         details_json = excluded.details_json, first_seen = excluded.first_seen,
         last_seen = excluded.last_seen, last_run_id = excluded.last_run_id, open = excluded.open,
         closed_at = excluded.closed_at, closed_run_id = excluded.closed_run_id,
         regressed_at = excluded.regressed_at, details_hash = excluded.details_hash`,
      columnsOf(rows, 17),
    );
    await q.run(
      `INSERT INTO run_findings (run_id, fingerprint, severity, details_json)
       SELECT $1, f, s, d FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS o(f, s, d, n) ORDER BY n`,
      [runId, ...columnsOf(occurrences, 3)],
    );
    if (movedBack.length > 0) {
      await q.run(
        `UPDATE finding_events SET at = $2, run_id = $3 WHERE fingerprint = ANY($1::text[]) AND kind = 'first-seen'`,
        [movedBack, startedAt, runId],
      );
    }
    await insertEvents(q, events);
    return records;
  }

  /**
   * Closes the open findings of endpoints that their checks ran and no longer report (after the
   * run's findings are merged: what it saw is open with a recent lastSeen).
   */
  private async closeUnseen(
    q: PgQuery,
    endpoints: readonly StoredEndpoint[],
    runId: string,
    startedAt: string,
  ): Promise<void> {
    const closing = endpoints.map((e) => new Set(closingChecks(e)));
    const asked = endpoints.filter((_, i) => closing[i]!.size > 0);
    if (asked.length === 0) return;
    // Host names compare without regard to ASCII case (SQLite's NOCASE column).
    const open = await q.rows<{ n: string; fingerprint: string; check_id: string; last_seen: string }>(
      `SELECT e.n, f.fingerprint, f.check_id, f.last_seen
       FROM unnest($1::text[], $2::int[], $3::int[]) AS e(h, p, n)
       JOIN findings f ON f.open = 1 AND lower(f.host) = lower(e.h COLLATE "C") AND f.port = e.p
       ORDER BY e.n, f.check_id, f.fingerprint`,
      [endpoints.map((e) => e.host), endpoints.map((e) => e.port), endpoints.map((_, i) => i)].map((column) =>
        column.filter((_, i) => closing[i]!.size > 0),
      ),
    );
    const closed = new Set<string>();
    for (const f of open) {
      const checks = closing[Number(f.n)]!;
      if (closed.has(f.fingerprint) || !checks.has(f.check_id)) continue;
      if (!closedByRun({ open: true, lastSeen: f.last_seen }, startedAt)) continue;
      closed.add(f.fingerprint);
    }
    if (closed.size === 0) return;
    await q.run(
      `UPDATE findings SET open = 0, closed_at = $1, closed_run_id = $2 WHERE fingerprint = ANY($3::text[]) AND open = 1`,
      [startedAt, runId, [...closed]],
    );
    await insertEvents(
      q,
      [...closed].map((fingerprint) => ({
        fingerprint,
        at: startedAt,
        kind: 'resolved',
        runId,
        detail: null,
      })),
    );
  }

  /** Endpoints of a run, numbered from `first` in their order. */
  private async insertEndpoints(
    q: PgQuery,
    runId: string,
    first: number,
    endpoints: readonly StoredEndpoint[],
  ): Promise<void> {
    if (endpoints.length === 0) return;
    const rows = endpoints.map((e, i) => [first + i, ...endpointValues(e)]);
    await q.run(
      `INSERT INTO run_endpoints (run_id, seq, ${ENDPOINT_COLUMNS})
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                $9::text[], $10::text[])`,
      [runId, ...columnsOf(rows, 9)],
    );
  }

  async begin(run: RunHeader): Promise<void> {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    await this.db.write(msg('texts2.store.run.save', { id: run.id }), async (q) => {
      await q.run(
        `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count,
                           status, owner)
         VALUES ($1, $2, $2, $3, $4, 0, 0, 'running', $5)`,
        [run.id, startedAt, run.scoringVersion, JSON.stringify(run.targets), runOwner()],
      );
    });
    this.counters.set(run.id, { endpoints: 0, findings: 0 });
  }

  async append(runId: string, batch: RunBatch): Promise<void> {
    await this.db.write(msg('texts2.store.run.save', { id: runId }), async (q) => {
      // The run's row locked: appends of several processes (distributed workers) to one run take
      // turns, numbered from what is stored.
      const running = await q.one<{ id: string }>(
        `SELECT id FROM runs WHERE id = $1 AND status = 'running' FOR UPDATE`,
        [runId],
      );
      if (running === undefined) throw new VigieError(msg('texts2.store.run.not-open', { id: runId }));
      const next = (await q.one<{ endpoints: number; findings: number }>(
        `SELECT (SELECT COALESCE(MAX(seq), -1) + 1 FROM run_endpoints WHERE run_id = $1)::int AS endpoints,
                (SELECT COALESCE(MAX(seq), -1) + 1 FROM run_staged_findings WHERE run_id = $1)::int AS findings`,
        [runId],
      ))!;
      // An endpoint appended again (a host job retried) replaces its row instead of adding one.
      for (const e of batch.endpoints) {
        await q.run(`DELETE FROM run_endpoints WHERE run_id = $1 AND lower(host) = lower($2) AND port = $3`, [
          runId,
          e.host,
          e.port,
        ]);
      }
      await this.insertEndpoints(q, runId, next.endpoints, batch.endpoints);
      // One by one: a fingerprint seen twice in a batch replaces its input, as in SQLite.
      for (const f of batch.findings) {
        await q.run(
          `INSERT INTO run_staged_findings (run_id, fingerprint, seq, input_json) VALUES ($1, $2, $3, $4)
           ON CONFLICT (run_id, fingerprint) DO UPDATE SET input_json = excluded.input_json`,
          [runId, f.fingerprint, next.findings++, JSON.stringify(f)],
        );
      }
    });
  }

  async finish(runId: string, completion: RunCompletion): Promise<FindingRecord[]> {
    const finishedAt = isoOf(completion.finishedAt, 'finishedAt');
    const records = await this.db.write(
      msg('texts2.store.run.save', { id: runId }),
      async (q): Promise<FindingRecord[]> => {
        await lockFor(q, this.db, 'history');
        const row = await q.one<RunRow>(`SELECT * FROM runs WHERE id = $1 AND status = 'running'`, [runId]);
        if (row === undefined) throw new VigieError(msg('texts2.store.run.not-open', { id: runId }));
        const startedAt = row.started_at;
        const waivers = await this.activeWaivers(q);
        const out: FindingRecord[] = [];
        let merged = 0;
        // In pages: the whole run is never held here at once.
        for (let after = -1; ;) {
          const page = await q.rows<{ seq: number; input_json: string }>(
            `SELECT seq, input_json FROM run_staged_findings WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
            [runId, after, PAGE],
          );
          const inputs = page.map((staged) => JSON.parse(staged.input_json) as StoredFindingInput);
          const records = await this.mergeMany(q, inputs, runId, startedAt, waivers);
          merged += records.length;
          if (completion.onMerged) completion.onMerged(records);
          else out.push(...records);
          if (page.length < PAGE) break;
          after = page[page.length - 1]!.seq;
        }
        let endpoints = 0;
        for (let after = -1; ;) {
          const page = await q.rows<EndpointRow & { seq: number }>(
            `SELECT seq, ${ENDPOINT_COLUMNS} FROM run_endpoints WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
            [runId, after, PAGE],
          );
          await this.closeUnseen(q, page.map(endpointOf), runId, startedAt);
          endpoints += page.length;
          if (page.length < PAGE) break;
          after = page[page.length - 1]!.seq;
        }
        await q.run(
          `UPDATE runs SET status = 'finished', owner = NULL, finished_at = $2,
                           endpoint_count = $3, finding_count = $4, posture_json = $5
           WHERE id = $1 AND status = 'running'`,
          [runId, finishedAt, endpoints, merged, jsonOrNull(completion.posture)],
        );
        await q.run(`DELETE FROM run_staged_findings WHERE run_id = $1`, [runId]);
        return out;
      },
    );
    this.counters.delete(runId);
    return records;
  }

  async abandon(runId: string): Promise<void> {
    this.counters.delete(runId);
    await this.db.write(msg('texts2.store.run.delete-unfinished', { id: runId }), (q) =>
      this.removeRunning(q, runId),
    );
  }

  removeAbandoned(now: Date, staleAfterMs = 24 * 3600_000): Promise<number> {
    return this.db.write(msg('texts2.store.run.clean-unfinished'), async (q) => {
      let removed = 0;
      const running = await q.rows<{ id: string; started_at: string; owner: string | null }>(
        `SELECT id, started_at, owner FROM runs WHERE status = 'running' ORDER BY id`,
      );
      for (const run of running) {
        if (this.counters.has(run.id) || !isAbandoned(run, now, staleAfterMs)) continue;
        await this.removeRunning(q, run.id);
        removed += 1;
      }
      return removed;
    });
  }

  private async removeRunning(q: PgQuery, runId: string): Promise<void> {
    // Its staged findings and endpoints go with it (ON DELETE CASCADE); a finished run is kept.
    await q.run(`DELETE FROM runs WHERE id = $1 AND status = 'running'`, [runId]);
  }

  async preview(run: StoredRunInput): Promise<FindingRecord[]> {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const rows = await this.db.read(msg('texts2.store.read-findings'), (q) =>
      q.rows<FindingRow>(`SELECT * FROM findings WHERE fingerprint = ANY($1::text[])`, [
        run.findings.map((f) => f.fingerprint),
      ]),
    );
    const stored = new Map(rows.map((row) => [row.fingerprint, row]));
    return run.findings.map((f) => {
      const existing = stored.get(f.fingerprint);
      return mergeFinding(existing === undefined ? undefined : knownOf(existing), f, run.id, startedAt)
        .record;
    });
  }

  async list(limit?: number): Promise<RunSummary[]> {
    checkedRunLimit(limit);
    const rows = await this.db.read(msg('texts2.store.read-runs'), (q) =>
      q.rows<RunRow>(
        `SELECT * FROM runs WHERE kind = 'scan' AND status = 'finished' ORDER BY started_at DESC, id DESC LIMIT $1`,
        [limit ?? null],
      ),
    );
    return rows.map(summaryOf);
  }

  async summary(id: string): Promise<RunSummary | undefined> {
    const row = await this.db.read(msg('texts2.store.read-run', { id }), (q) =>
      q.one<RunRow>(`SELECT * FROM runs WHERE id = $1 AND status = 'finished'`, [id]),
    );
    return row === undefined ? undefined : summaryOf(row);
  }

  get(id: string): Promise<RunDetail | undefined> {
    return this.db.read(msg('texts2.store.read-run', { id }), async (q) => {
      const row = await q.one<RunRow>(`SELECT * FROM runs WHERE id = $1 AND status = 'finished'`, [id]);
      if (row === undefined) return undefined;
      const endpoints = await q.rows<EndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS} FROM run_endpoints WHERE run_id = $1 ORDER BY seq`,
        [id],
      );
      const findings = await q.rows<RunFindingRow>(
        `SELECT f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = $1 ORDER BY rf.rowid`,
        [id],
      );
      return {
        ...summaryOf(row),
        endpoints: endpoints.map(endpointOf),
        findings: findings.map(runFindingOf),
      };
    });
  }

  async latestEndpoints(): Promise<LatestEndpoint[]> {
    const rows = await this.db.read(msg('texts2.store.read-endpoints'), (q) =>
      q.rows<LatestEndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS}, run_id, started_at
         FROM (SELECT e.*, r.started_at,
                      ROW_NUMBER() OVER (PARTITION BY lower(e.host), e.port
                                         ORDER BY r.started_at DESC, r.id DESC, e.seq DESC) AS rank
               FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished' WHERE r.kind = 'scan') ranked
         WHERE rank = 1 ORDER BY lower(host), port`,
      ),
    );
    return rows.map(latestEndpointOf);
  }

  async endpointsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<StoredEndpoint>> {
    const rows = await this.db.read(msg('texts2.store.read-run', { id: runId }), (q) =>
      q.rows<EndpointRow & { seq: number }>(
        `SELECT seq, ${ENDPOINT_COLUMNS} FROM run_endpoints WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [runId, after ?? -1, limit],
      ),
    );
    return pageOf(rows, limit, endpointOf);
  }

  async stagedFindingsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<StoredFindingInput>> {
    const rows = await this.db.read(msg('texts2.store.read-run', { id: runId }), (q) =>
      q.rows<{ seq: number; input_json: string }>(
        `SELECT seq, input_json FROM run_staged_findings WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [runId, after ?? -1, limit],
      ),
    );
    return pageOf(rows, limit, (row) => JSON.parse(row.input_json) as StoredFindingInput);
  }

  async findingsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<FindingRecord>> {
    const rows = await this.db.read(msg('texts2.store.read-run', { id: runId }), (q) =>
      q.rows<RunFindingRow & { seq: number }>(
        `SELECT rf.rowid AS seq, f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = $1 AND rf.rowid > $2 ORDER BY rf.rowid LIMIT $3`,
        [runId, after ?? -1, limit],
      ),
    );
    return pageOf(rows, limit, runFindingOf);
  }
}
