import {
  closedByRun,
  closingChecks,
  describeEvidenceChange,
  mergeFinding,
  UsageError,
  VigieError,
  waiverLapsesWithEvidence,
  type EvidenceParams,
  type FindingRecord,
  type Severity,
} from '../../domain/index.js';
import type {
  LatestEndpoint,
  RunDetail,
  RunRepository,
  RunSummary,
  StoredRunInput,
} from '../run-repository.js';
import type { SqliteDatabase } from './database.js';
import { FindingLog } from './finding-log.js';
import {
  endpointOf,
  jsonOrNull,
  knownOf,
  recordOf,
  summaryOf,
  waiverOf,
  type EndpointRow,
  type FindingRow,
  type RunRow,
  type WaiverRow,
} from './rows.js';

type RunFindingRow = FindingRow & { run_severity: string; run_details_json: string };

type LatestEndpointRow = EndpointRow & { run_id: string; started_at: string };

function isoOf(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new VigieError(`date invalide pour ${field} : « ${value} »`);
  return date.toISOString();
}

/** Runs and their endpoints in SQLite; saving merges findings by the rules of domain/. */
export class SqliteRunRepository implements RunRepository {
  private readonly stmt;
  private readonly log: FindingLog;

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
         VALUES (@runId, @seq, @host, @port, @assetId, @status, @reason, @detail, @checksJson, @factsJson)`,
      ),
      selectFinding: db.prepare<[string], FindingRow>(`SELECT * FROM findings WHERE fingerprint = ?`),
      upsertFinding: db.prepare(
        `INSERT INTO findings (fingerprint, check_id, severity, category, host, port, asset_id, key, details_json,
                               first_seen, last_seen, last_run_id, open, closed_at, closed_run_id,
                               regressed_at, details_hash)
         VALUES (@fingerprint, @checkId, @severity, @category, @host, @port, @assetId, @key, @detailsJson,
                 @firstSeen, @lastSeen, @lastRunId, @open, @closedAt, @closedRunId, @regressedAt, @detailsHash)
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
               FROM run_endpoints e JOIN runs r ON r.id = e.run_id WHERE r.kind = 'scan')
         WHERE rank = 1 ORDER BY host, port`,
      ),
      listRuns: db.prepare<[number], RunRow>(
        `SELECT * FROM runs WHERE kind = 'scan' ORDER BY started_at DESC, id DESC LIMIT ?`,
      ),
      selectRun: db.prepare<[string], RunRow>(`SELECT * FROM runs WHERE id = ?`),
      selectEndpoints: db.prepare<[string], EndpointRow>(
        `SELECT host, port, asset_id, status, reason, detail, checks_json, facts_json
         FROM run_endpoints WHERE run_id = ? ORDER BY seq`,
      ),
      selectRunFindings: db.prepare<[string], RunFindingRow>(
        `SELECT f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = ? ORDER BY rf.rowid`,
      ),
    };
  }

  save(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const finishedAt = isoOf(run.finishedAt, 'finishedAt');
    const s = this.stmt;
    return this.h.write(`échec de l'enregistrement de l'analyse ${run.id}`, (): FindingRecord[] => {
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
      run.endpoints.forEach((e, seq) => {
        s.insertEndpoint.run({
          runId: run.id,
          seq,
          host: e.host,
          port: e.port,
          assetId: e.assetId ?? null,
          status: e.status,
          reason: e.reason ?? null,
          detail: e.detail ?? null,
          checksJson: JSON.stringify(e.checks),
          factsJson: jsonOrNull(e.facts),
        });
      });
      const waivers = new Map(s.activeWaivers.all().map((w) => [w.fingerprint, w]));
      const records = run.findings.map((f) => {
        const existing = s.selectFinding.get(f.fingerprint);
        const merged = mergeFinding(
          existing === undefined ? undefined : knownOf(existing),
          f,
          run.id,
          startedAt,
        );
        const r = merged.record;
        s.upsertFinding.run({
          fingerprint: r.fingerprint,
          checkId: r.checkId,
          severity: r.severity,
          category: r.category,
          host: r.host,
          port: r.port,
          assetId: r.assetId ?? null,
          key: r.key ?? null,
          detailsJson: JSON.stringify(r.details),
          firstSeen: r.firstSeen,
          lastSeen: r.lastSeen,
          lastRunId: r.lastRunId,
          open: r.open ? 1 : 0,
          closedAt: merged.closedAt,
          closedRunId: merged.closedRunId,
          regressedAt: merged.regressedAt,
          detailsHash: merged.detailsHash,
        });
        s.insertOccurrence.run({
          runId: run.id,
          fingerprint: f.fingerprint,
          severity: f.severity,
          detailsJson: JSON.stringify(f.details),
        });
        if (merged.firstSeen) this.log.event(f.fingerprint, startedAt, 'first-seen', run.id);
        if (merged.firstSeenMovedBack) {
          s.moveFirstSeenEvent.run({ fingerprint: f.fingerprint, at: startedAt, runId: run.id });
        }
        if (merged.regressed) this.log.event(f.fingerprint, startedAt, 'regressed', run.id);
        if (merged.evidenceChanged && existing !== undefined) {
          const before = JSON.parse(existing.details_json) as EvidenceParams;
          const detail = describeEvidenceChange(before, f.details);
          this.log.event(f.fingerprint, startedAt, 'evidence-changed', run.id, detail === '' ? null : detail);
        }
        const waiver = waivers.get(f.fingerprint);
        if (waiver !== undefined && waiverLapsesWithEvidence(waiverOf(waiver), merged)) {
          this.log.lapse(waiver, startedAt, run.id);
          waivers.delete(f.fingerprint);
        }
        return r;
      });
      for (const e of run.endpoints) {
        const checks = new Set(closingChecks(e));
        if (checks.size === 0) continue;
        for (const f of s.openOnEndpoint.all(e.host, e.port)) {
          if (!checks.has(f.check_id) || !closedByRun({ open: true, lastSeen: f.last_seen }, startedAt))
            continue;
          s.close.run({ startedAt, runId: run.id, fingerprint: f.fingerprint });
          this.log.event(f.fingerprint, startedAt, 'resolved', run.id);
        }
      }
      return records;
    });
  }

  preview(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    return this.h.read('échec de la lecture des constats', () =>
      run.findings.map((f) => {
        const existing = this.stmt.selectFinding.get(f.fingerprint);
        return mergeFinding(existing === undefined ? undefined : knownOf(existing), f, run.id, startedAt)
          .record;
      }),
    );
  }

  list(limit?: number): RunSummary[] {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new UsageError(`nombre d'analyses invalide : ${limit} (entier positif attendu)`);
    }
    return this.h.read('échec de la lecture des analyses', () =>
      this.stmt.listRuns.all(limit ?? -1).map(summaryOf),
    );
  }

  get(id: string): RunDetail | undefined {
    return this.h.read(`échec de la lecture de l'analyse ${id}`, () => {
      const row = this.stmt.selectRun.get(id);
      if (row === undefined) return undefined;
      const endpoints = this.stmt.selectEndpoints.all(id).map(endpointOf);
      const findings = this.stmt.selectRunFindings.all(id).map((f) => ({
        ...recordOf(f),
        severity: f.run_severity as Severity,
        details: JSON.parse(f.run_details_json) as EvidenceParams,
      }));
      return { ...summaryOf(row), endpoints, findings };
    });
  }

  latestEndpoints(): LatestEndpoint[] {
    return this.h.read('échec de la lecture des points d’accès', () =>
      this.stmt.latestEndpoints.all().map((row) => ({
        ...endpointOf(row),
        runId: row.run_id,
        startedAt: row.started_at,
      })),
    );
  }
}
