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
  latestEndpointOf,
  mergeEvents,
  RUN_PAGE as PAGE,
  pageOf,
  runFindingOf,
  runOwner,
  type LatestEndpointRow,
  type RunFindingRow,
} from '../run-rows.js';
import type { SqliteDatabase } from './database.js';
import { FindingLog } from './finding-log.js';
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

/** Runs and their endpoints in SQLite; saving merges findings by the rules of domain/. */
export class SqliteRunRepository implements RunRepository {
  private readonly stmt;
  private readonly log: FindingLog;
  /** Runs this process has begun and not finished: the next sequence numbers of their rows. */
  private readonly counters = new Map<string, { endpoints: number; findings: number }>();

  constructor(private readonly h: SqliteDatabase) {
    const db = h.db;
    this.log = new FindingLog(db);
    this.stmt = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count,
                           posture_json, kind)
         VALUES (@id, @startedAt, @finishedAt, @scoringVersion, @targetsJson, @endpointCount, @findingCount,
                 @postureJson, @kind)`,
      ),
      insertEndpoint: db.prepare(
        `INSERT INTO run_endpoints (run_id, seq, host, port, asset_id, status, reason, detail, checks_json, facts_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      selectFinding: db.prepare<[string], FindingRow>(`SELECT * FROM findings WHERE fingerprint = ?`),
      upsertFinding: db.prepare(
        `INSERT INTO findings (fingerprint, check_id, severity, category, host, port, asset_id, key, details_json,
                               first_seen, last_seen, last_run_id, open, closed_at, closed_run_id,
                               regressed_at, details_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fingerprint) DO UPDATE SET
           check_id = excluded.check_id, severity = excluded.severity, category = excluded.category,
           host = excluded.host, port = excluded.port, asset_id = excluded.asset_id, key = excluded.key,
           details_json = excluded.details_json, first_seen = excluded.first_seen,
           last_seen = excluded.last_seen, last_run_id = excluded.last_run_id, open = excluded.open,
           closed_at = excluded.closed_at, closed_run_id = excluded.closed_run_id,
           regressed_at = excluded.regressed_at, details_hash = excluded.details_hash`,
      ),
      insertOccurrence: db.prepare(
        `INSERT INTO run_findings (run_id, fingerprint, severity, details_json)
         VALUES (@runId, @fingerprint, @severity, @detailsJson)`,
      ),
      // The open findings of one endpoint: those a check ran on and did not report get closed.
      openOnEndpoint: db.prepare<
        [string, number],
        { fingerprint: string; check_id: string; last_seen: string }
      >(
        // Without statistics the planner would take findings_open and read every open finding.
        `SELECT fingerprint, check_id, last_seen FROM findings INDEXED BY findings_endpoint_check
         WHERE open = 1 AND host = ? AND port = ?`,
      ),
      close: db.prepare<{ startedAt: string; runId: string; fingerprint: string }>(
        `UPDATE findings SET open = 0, closed_at = @startedAt, closed_run_id = @runId
         WHERE fingerprint = @fingerprint AND open = 1`,
      ),
      moveFirstSeenEvent: db.prepare<{ fingerprint: string; at: string; runId: string }>(
        `UPDATE finding_events SET at = @at, run_id = @runId
         WHERE fingerprint = @fingerprint AND kind = 'first-seen'`,
      ),
      activeWaivers: db.prepare<[], WaiverRow>(`SELECT * FROM waivers WHERE state = 'active'`),
      latestEndpoints: db.prepare<[], LatestEndpointRow>(
        `SELECT host, port, asset_id, status, reason, detail, checks_json, facts_json, run_id, started_at
         FROM (SELECT e.*, r.started_at,
                      ROW_NUMBER() OVER (PARTITION BY e.host, e.port
                                         ORDER BY r.started_at DESC, r.id DESC, e.seq DESC) AS rank
               FROM run_endpoints e JOIN runs r ON r.id = e.run_id AND r.status = 'finished' WHERE r.kind = 'scan')
         WHERE rank = 1 ORDER BY host, port`,
      ),
      listRuns: db.prepare<[number], RunRow>(
        `SELECT * FROM runs WHERE kind = 'scan' AND status = 'finished' ORDER BY started_at DESC, id DESC LIMIT ?`,
      ),
      selectRun: db.prepare<[string], RunRow>(`SELECT * FROM runs WHERE id = ? AND status = 'finished'`),
      insertRunning: db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count,
                           status, owner)
         VALUES (@id, @startedAt, @startedAt, @scoringVersion, @targetsJson, 0, 0, 'running', @owner)`,
      ),
      nextSeqs: db.prepare<[string, string], { endpoints: number; findings: number }>(
        `SELECT (SELECT COALESCE(MAX(seq), -1) + 1 FROM run_endpoints WHERE run_id = ?) AS endpoints,
                (SELECT COALESCE(MAX(seq), -1) + 1 FROM run_staged_findings WHERE run_id = ?) AS findings`,
      ),
      deleteRunEndpoint: db.prepare(`DELETE FROM run_endpoints WHERE run_id = ? AND host = ? AND port = ?`),
      selectRunning: db.prepare<[string], RunRow>(`SELECT * FROM runs WHERE id = ? AND status = 'running'`),
      listRunning: db.prepare<[], { id: string; started_at: string; owner: string | null }>(
        `SELECT id, started_at, owner FROM runs WHERE status = 'running'`,
      ),
      stageFinding: db.prepare(
        `INSERT INTO run_staged_findings (run_id, fingerprint, seq, input_json)
         VALUES (@runId, @fingerprint, @seq, @inputJson)
         ON CONFLICT (run_id, fingerprint) DO UPDATE SET input_json = excluded.input_json`,
      ),
      stagedPage: db.prepare<[string, number, number], { seq: number; input_json: string }>(
        `SELECT seq, input_json FROM run_staged_findings WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      endpointPage: db.prepare<[string, number, number], EndpointRow & { seq: number }>(
        `SELECT seq, host, port, asset_id, status, reason, detail, checks_json, facts_json
         FROM run_endpoints WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      markFinished: db.prepare(
        `UPDATE runs SET status = 'finished', owner = NULL, finished_at = @finishedAt,
                         endpoint_count = @endpointCount, finding_count = @findingCount, posture_json = @postureJson
         WHERE id = @id AND status = 'running'`,
      ),
      dropStaged: db.prepare<[string]>(`DELETE FROM run_staged_findings WHERE run_id = ?`),
      dropEndpoints: db.prepare<[string]>(
        `DELETE FROM run_endpoints WHERE run_id = ? AND run_id IN (SELECT id FROM runs WHERE status = 'running')`,
      ),
      dropRunning: db.prepare<[string]>(`DELETE FROM runs WHERE id = ? AND status = 'running'`),
      selectEndpoints: db.prepare<[string], EndpointRow>(
        `SELECT host, port, asset_id, status, reason, detail, checks_json, facts_json
         FROM run_endpoints WHERE run_id = ? ORDER BY seq`,
      ),
      runFindingPage: db.prepare<[string, number, number], RunFindingRow & { seq: number }>(
        `SELECT rf.rowid AS seq, f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = ? AND rf.rowid > ? ORDER BY rf.rowid LIMIT ?`,
      ),
      selectRunFindings: db.prepare<[string], RunFindingRow>(
        `SELECT f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = ? ORDER BY rf.rowid`,
      ),
    };
  }

  async save(run: StoredRunInput): Promise<FindingRecord[]> {
    return this.saveSync(run);
  }

  /**
   * `save`, synchronously: for a repository on the same handle that saves a run inside its own
   * transaction (discovery), since a transaction never spans an await.
   */
  saveSync(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const finishedAt = isoOf(run.finishedAt, 'finishedAt');
    const s = this.stmt;
    return this.h.write(msg('texts2.store.run.save', { id: run.id }), (): FindingRecord[] => {
      s.insertRun.run({
        id: run.id,
        startedAt,
        finishedAt,
        scoringVersion: run.scoringVersion,
        targetsJson: JSON.stringify(run.targets),
        endpointCount: run.endpoints.length,
        findingCount: run.findings.length,
        postureJson: jsonOrNull(run.posture),
        kind: run.kind ?? 'scan',
      });
      run.endpoints.forEach((e, seq) => this.insertEndpoint(run.id, seq, e));
      const waivers = this.activeWaivers();
      const records = run.findings.map((f) => this.mergeOne(f, run.id, startedAt, waivers));
      for (const e of run.endpoints) this.closeUnseen(e, run.id, startedAt);
      return records;
    });
  }

  private activeWaivers(): Map<string, WaiverRow> {
    return new Map(this.stmt.activeWaivers.all().map((w) => [w.fingerprint, w]));
  }

  /** Merges one finding of a run into its history (inside the caller's transaction). */
  private mergeOne(
    f: StoredFindingInput,
    runId: string,
    startedAt: string,
    waivers: Map<string, WaiverRow>,
  ): FindingRecord {
    const s = this.stmt;
    const existing = s.selectFinding.get(f.fingerprint);
    const merged = mergeFinding(existing === undefined ? undefined : knownOf(existing), f, runId, startedAt);
    s.upsertFinding.run(...findingValues(merged));
    s.insertOccurrence.run({
      runId,
      fingerprint: f.fingerprint,
      severity: f.severity,
      detailsJson: JSON.stringify(f.details),
    });
    // Never both: a first sighting has no first-seen event to move back.
    if (merged.firstSeenMovedBack) {
      s.moveFirstSeenEvent.run({ fingerprint: f.fingerprint, at: startedAt, runId });
    }
    for (const e of mergeEvents(merged, f, existing, startedAt, runId)) this.log.logged(e);
    const waiver = waivers.get(f.fingerprint);
    if (waiver !== undefined && waiverLapsesWithEvidence(waiverOf(waiver), merged)) {
      this.log.lapse(waiver, startedAt, runId);
      waivers.delete(f.fingerprint);
    }
    return merged.record;
  }

  /** Closes the open findings of an endpoint that its checks ran and no longer report. */
  private closeUnseen(e: StoredEndpoint, runId: string, startedAt: string): void {
    const checks = new Set(closingChecks(e));
    if (checks.size === 0) return;
    for (const f of this.stmt.openOnEndpoint.all(e.host, e.port)) {
      if (!checks.has(f.check_id) || !closedByRun({ open: true, lastSeen: f.last_seen }, startedAt)) continue;
      this.stmt.close.run({ startedAt, runId, fingerprint: f.fingerprint });
      this.log.event(f.fingerprint, startedAt, 'resolved', runId);
    }
  }

  private insertEndpoint(runId: string, seq: number, e: StoredEndpoint): void {
    this.stmt.insertEndpoint.run(runId, seq, ...endpointValues(e));
  }

  async begin(run: RunHeader): Promise<void> {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    this.h.write(msg('texts2.store.run.save', { id: run.id }), () => {
      this.stmt.insertRunning.run({
        id: run.id,
        startedAt,
        scoringVersion: run.scoringVersion,
        targetsJson: JSON.stringify(run.targets),
        owner: runOwner(),
      });
    });
    this.counters.set(run.id, { endpoints: 0, findings: 0 });
  }

  async append(runId: string, batch: RunBatch): Promise<void> {
    const s = this.stmt;
    this.h.write(msg('texts2.store.run.save', { id: runId }), () => {
      if (s.selectRunning.get(runId) === undefined) {
        throw new VigieError(msg('texts2.store.run.not-open', { id: runId }));
      }
      // Numbered from what is stored: any process may append (distributed workers), and an
      // endpoint appended again (a host job retried) replaces its row instead of adding one.
      const next = s.nextSeqs.get(runId, runId)!;
      for (const e of batch.endpoints) {
        s.deleteRunEndpoint.run(runId, e.host, e.port);
        this.insertEndpoint(runId, next.endpoints++, e);
      }
      for (const f of batch.findings) {
        s.stageFinding.run({
          runId,
          fingerprint: f.fingerprint,
          seq: next.findings++,
          inputJson: JSON.stringify(f),
        });
      }
    });
  }

  async finish(runId: string, completion: RunCompletion): Promise<FindingRecord[]> {
    const finishedAt = isoOf(completion.finishedAt, 'finishedAt');
    const s = this.stmt;
    const records = this.h.write(msg('texts2.store.run.save', { id: runId }), (): FindingRecord[] => {
      const row = s.selectRunning.get(runId);
      if (row === undefined) throw new VigieError(msg('texts2.store.run.not-open', { id: runId }));
      const startedAt = row.started_at;
      const waivers = this.activeWaivers();
      const out: FindingRecord[] = [];
      let merged = 0;
      // In pages: the whole run is never held here at once.
      for (let after = -1; ;) {
        const page = s.stagedPage.all(runId, after, PAGE);
        const records = page.map((staged) =>
          this.mergeOne(JSON.parse(staged.input_json) as StoredFindingInput, runId, startedAt, waivers),
        );
        merged += records.length;
        if (completion.onMerged) completion.onMerged(records);
        else out.push(...records);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      let endpoints = 0;
      for (let after = -1; ;) {
        const page = s.endpointPage.all(runId, after, PAGE);
        for (const e of page) this.closeUnseen(endpointOf(e), runId, startedAt);
        endpoints += page.length;
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      s.markFinished.run({
        id: runId,
        finishedAt,
        endpointCount: endpoints,
        findingCount: merged,
        postureJson: jsonOrNull(completion.posture),
      });
      s.dropStaged.run(runId);
      return out;
    });
    this.counters.delete(runId);
    return records;
  }

  async abandon(runId: string): Promise<void> {
    this.counters.delete(runId);
    this.h.write(msg('texts2.store.run.delete-unfinished', { id: runId }), () => {
      this.removeRunning(runId);
    });
  }

  async removeAbandoned(now: Date, staleAfterMs = 24 * 3600_000): Promise<number> {
    return this.h.write(msg('texts2.store.run.clean-unfinished'), () => {
      let removed = 0;
      for (const run of this.stmt.listRunning.all()) {
        if (this.counters.has(run.id) || !isAbandoned(run, now, staleAfterMs)) continue;
        this.removeRunning(run.id);
        removed += 1;
      }
      return removed;
    });
  }

  private removeRunning(runId: string): void {
    this.stmt.dropStaged.run(runId);
    this.stmt.dropEndpoints.run(runId);
    this.stmt.dropRunning.run(runId);
  }

  async preview(run: StoredRunInput): Promise<FindingRecord[]> {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    return this.h.read(msg('texts2.store.read-findings'), () =>
      run.findings.map((f) => {
        const existing = this.stmt.selectFinding.get(f.fingerprint);
        return mergeFinding(existing === undefined ? undefined : knownOf(existing), f, run.id, startedAt)
          .record;
      }),
    );
  }

  async list(limit?: number): Promise<RunSummary[]> {
    checkedRunLimit(limit);
    return this.h.read(msg('texts2.store.read-runs'), () =>
      this.stmt.listRuns.all(limit ?? -1).map(summaryOf),
    );
  }

  async summary(id: string): Promise<RunSummary | undefined> {
    return this.h.read(msg('texts2.store.read-run', { id }), () => {
      const row = this.stmt.selectRun.get(id);
      return row === undefined ? undefined : summaryOf(row);
    });
  }

  async get(id: string): Promise<RunDetail | undefined> {
    return this.h.read(msg('texts2.store.read-run', { id }), () => {
      const row = this.stmt.selectRun.get(id);
      if (row === undefined) return undefined;
      const endpoints = this.stmt.selectEndpoints.all(id).map(endpointOf);
      const findings = this.stmt.selectRunFindings.all(id).map(runFindingOf);
      return { ...summaryOf(row), endpoints, findings };
    });
  }

  async latestEndpoints(): Promise<LatestEndpoint[]> {
    return this.h.read(msg('texts2.store.read-endpoints'), () =>
      this.stmt.latestEndpoints.all().map(latestEndpointOf),
    );
  }

  async endpointsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<StoredEndpoint>> {
    return this.h.read(msg('texts2.store.read-run', { id: runId }), () =>
      pageOf(this.stmt.endpointPage.all(runId, after ?? -1, limit), limit, endpointOf),
    );
  }

  async stagedFindingsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<StoredFindingInput>> {
    return this.h.read(msg('texts2.store.read-run', { id: runId }), () =>
      pageOf(
        this.stmt.stagedPage.all(runId, after ?? -1, limit),
        limit,
        (row) => JSON.parse(row.input_json) as StoredFindingInput,
      ),
    );
  }

  async findingsPage(
    runId: string,
    after: number | undefined,
    limit: number,
  ): Promise<RunPage<FindingRecord>> {
    return this.h.read(msg('texts2.store.read-run', { id: runId }), () =>
      pageOf(this.stmt.runFindingPage.all(runId, after ?? -1, limit), limit, runFindingOf),
    );
  }
}
