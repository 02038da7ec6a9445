import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SEVERITIES, StorageError, UsageError, VigieError } from '../domain/index.js';
import type {
  EvidenceParams,
  FindingEvent,
  FindingEventKind,
  Incident,
  IncidentEvent,
  PlaybookExercise,
  PlaybookReview,
  Severity,
  Waiver,
} from '../domain/index.js';
import { describeEvidenceChange } from './details-hash.js';
import {
  insertIncident,
  insertNote,
  insertObligationMet,
  selectIncident,
  selectIncidentEvents,
  selectIncidents,
  updateClosed,
  updateStep,
} from './incident-records.js';
import { findingStatus, waiverInForce } from './finding-status.js';
import { mergeFinding } from './merge-finding.js';
import { selectGithubLinks, upsertGithubLink } from './github-link-records.js';
import { insertExercise, insertReview, selectExercises, selectReviews } from './playbook-register-records.js';
import {
  getOutbox,
  jobFinished,
  jobStarted,
  listJobs,
  listOutbox,
  markDaemonStopped,
  markOutboxFailed,
  markOutboxSent,
  readHeartbeat,
  reserveOutbox,
  setJobNextRun,
  writeHeartbeat,
} from './outbox-records.js';
import { applyMigrations, SCHEMA_VERSION } from './migrations.js';
import {
  endpointOf,
  hashOf,
  jsonOrNull,
  recordOf,
  summaryOf,
  waiverOf,
  type EndpointRow,
  type EventRow,
  type FindingRow,
  type ReportRow,
  type RunRow,
  type WaiverRow,
} from './rows.js';
import { guard, toStorageError } from './storage-failure.js';
import { ensurePrivateDir, tightenFileMode, touchPrivateFile } from '../files/index.js';
import { WaiverError } from './waiver-error.js';
import { validateWaiver } from './waiver-rules.js';
import type {
  CloseIncidentInput,
  DaemonHeartbeat,
  JobRecord,
  OutboxEntry,
  OutboxKind,
  FindingChanges,
  FindingFilter,
  FindingRecord,
  GithubLink,
  IncidentFilter,
  IncidentNoteInput,
  IncidentStepUpdate,
  ObligationMetInput,
  OpenIncidentInput,
  PlaybookExerciseInput,
  PlaybookReviewInput,
  LatestEndpoint,
  ReportRecord,
  RunDetail,
  RunSummary,
  Store,
  StoredCheckStatus,
  StoredRunInput,
  TrackedFinding,
  TrackedFindingFilter,
  UnwaiveInput,
  WaiveInput,
  WaiverFilter,
  WaiverListing,
} from './store.js';

export const DATABASE_FILE = 'vigie.db';

export interface OpenStoreOptions {
  /** How long a write waits for another process holding the lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

type RunFindingRow = FindingRow & { run_severity: string; run_details_json: string };

/** A finding with the columns of its active waiver, if any (LEFT JOIN). */
type TrackedRow = FindingRow & {
  w_reason: string | null;
  w_until: string | null;
  w_waived_by: string | null;
  w_waived_at: string | null;
  w_evidence_hash: string | null;
};

type LatestEndpointRow = EndpointRow & { run_id: string; started_at: string };

/** Statuses of a check that prove the check ran on the endpoint: only these can close a finding. */
const CLOSING_CHECK_STATUSES: ReadonlySet<StoredCheckStatus> = new Set(['pass', 'fail']);

const SEVERITY_RANK_SQL = `CASE f.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
const FINDING_ORDER_SQL = `${SEVERITY_RANK_SQL} DESC, f.host, f.port, f.check_id, f.key, f.fingerprint`;

const TRACKED_SELECT_SQL = `
  SELECT f.*, w.reason AS w_reason, w.until AS w_until, w.waived_by AS w_waived_by,
         w.waived_at AS w_waived_at, w.evidence_hash AS w_evidence_hash
  FROM findings f LEFT JOIN waivers w ON w.fingerprint = f.fingerprint AND w.state = 'active'`;

/** Detail of the `unwaived` event when a new waiver replaces the active one. */
const REPLACED = 'remplacée par une nouvelle dérogation';

/** Timeline order for events at the same instant: appearance, then the occurrence, then the rest. */
const TIMELINE_GROUP: Record<FindingEventKind, number> = {
  'first-seen': 0,
  regressed: 0,
  seen: 1,
  'evidence-changed': 2,
  resolved: 2,
  waived: 2,
  unwaived: 2,
  'waiver-lapsed': 2,
};

function isoOf(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new VigieError(`date invalide pour ${field} : « ${value} »`);
  return date.toISOString();
}

/** A date given to a query: a bad one is the caller's mistake (exit code 2). */
function isoArg(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`date invalide pour ${field} : « ${value} »`);
  return date.toISOString();
}

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

function inList(values: readonly unknown[]): string {
  return `(${values.map(() => '?').join(', ')})`;
}

class SqliteStore implements Store {
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.stmt = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count,
                           posture_json)
         VALUES (@id, @startedAt, @finishedAt, @scoringVersion, @targetsJson, @endpointCount, @findingCount,
                 @postureJson)`,
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
      // Findings of this endpoint and check not seen since before this run: the check ran and did not
      // report them, so they are fixed. Findings of this run have last_seen >= startedAt and stay open.
      closeAbsent: db.prepare<
        { startedAt: string; runId: string; host: string; port: number; checkId: string },
        { fingerprint: string }
      >(
        `UPDATE findings SET open = 0, closed_at = @startedAt, closed_run_id = @runId
         WHERE open = 1 AND host = @host AND port = @port AND check_id = @checkId AND last_seen < @startedAt
         RETURNING fingerprint`,
      ),
      insertEvent: db.prepare<{
        fingerprint: string;
        at: string;
        kind: FindingEventKind;
        runId: string | null;
        detail: string | null;
      }>(
        `INSERT INTO finding_events (fingerprint, at, kind, run_id, detail)
         VALUES (@fingerprint, @at, @kind, @runId, @detail)`,
      ),
      moveFirstSeenEvent: db.prepare<{ fingerprint: string; at: string; runId: string }>(
        `UPDATE finding_events SET at = @at, run_id = @runId
         WHERE fingerprint = @fingerprint AND kind = 'first-seen'`,
      ),
      selectEvents: db.prepare<[string], EventRow>(
        `SELECT id, at, kind, run_id, detail FROM finding_events WHERE fingerprint = ? ORDER BY at, id`,
      ),
      selectOccurrences: db.prepare<[string], { at: string; run_id: string }>(
        `SELECT r.started_at AS at, rf.run_id FROM run_findings rf JOIN runs r ON r.id = rf.run_id
         WHERE rf.fingerprint = ? ORDER BY r.started_at, r.id`,
      ),
      activeWaivers: db.prepare<[], WaiverRow>(`SELECT * FROM waivers WHERE state = 'active'`),
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
      endWaiver: db.prepare<{
        id: number;
        state: 'lapsed' | 'withdrawn';
        endedAt: string;
        endReason: NonNullable<Waiver['endReason']>;
      }>(
        `UPDATE waivers SET state = @state, ended_at = @endedAt, end_reason = @endReason
         WHERE id = @id AND state = 'active'`,
      ),
      insertReport: db.prepare<{ at: string; format: string; postureIndex: number | null }>(
        `INSERT INTO reports (at, format, posture_index) VALUES (@at, @format, @postureIndex)`,
      ),
      lastReport: db.prepare<[string], ReportRow>(
        `SELECT at, format, posture_index FROM reports WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1`,
      ),
      latestReport: db.prepare<[], ReportRow>(
        `SELECT at, format, posture_index FROM reports ORDER BY at DESC, id DESC LIMIT 1`,
      ),
      latestEndpoints: db.prepare<[], LatestEndpointRow>(
        `SELECT host, port, asset_id, status, reason, detail, checks_json, facts_json, run_id, started_at
         FROM (SELECT e.*, r.started_at,
                      ROW_NUMBER() OVER (PARTITION BY e.host, e.port
                                         ORDER BY r.started_at DESC, r.id DESC, e.seq DESC) AS rank
               FROM run_endpoints e JOIN runs r ON r.id = e.run_id)
         WHERE rank = 1 ORDER BY host, port`,
      ),
      listRuns: db.prepare<[number], RunRow>(`SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`),
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

  /** Runs `fn` in one IMMEDIATE transaction; any low-level failure becomes a StorageError. */
  private write<T>(what: string, fn: () => T): T {
    return guard(what, this.file, () => this.db.transaction(fn).immediate());
  }

  /** Runs a read; any low-level failure becomes a StorageError. */
  private read<T>(what: string, fn: () => T): T {
    return guard(what, this.file, fn);
  }

  private event(
    fingerprint: string,
    at: string,
    kind: FindingEventKind,
    runId: string | null = null,
    detail: string | null = null,
  ): void {
    this.stmt.insertEvent.run({ fingerprint, at, kind, runId, detail });
  }

  /**
   * Ends an active waiver because it no longer applies: at its expiry when that came first,
   * otherwise because the evidence changed (at `at`). Logs a `waiver-lapsed` event.
   */
  private lapse(waiver: WaiverRow, at: string, runId: string | null): Waiver {
    const expired = waiver.until <= at;
    const endedAt = expired ? waiver.until : at;
    const endReason = expired ? 'expired' : 'evidence-changed';
    this.stmt.endWaiver.run({ id: waiver.id, state: 'lapsed', endedAt, endReason });
    this.event(waiver.fingerprint, endedAt, 'waiver-lapsed', expired ? null : runId, endReason);
    return waiverOf({ ...waiver, state: 'lapsed', ended_at: endedAt, end_reason: endReason });
  }

  saveRun(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const finishedAt = isoOf(run.finishedAt, 'finishedAt');
    const s = this.stmt;
    return this.write(`échec de l'enregistrement de l'analyse ${run.id}`, (): FindingRecord[] => {
      s.insertRun.run({
        id: run.id,
        startedAt,
        finishedAt,
        scoringVersion: run.scoringVersion,
        targetsJson: JSON.stringify(run.targets),
        endpointCount: run.endpoints.length,
        findingCount: run.findings.length,
        postureJson: jsonOrNull(run.posture),
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
        const merged = mergeFinding(existing, f, run.id, startedAt);
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
        if (merged.firstSeen) this.event(f.fingerprint, startedAt, 'first-seen', run.id);
        if (merged.firstSeenMovedBack) {
          s.moveFirstSeenEvent.run({ fingerprint: f.fingerprint, at: startedAt, runId: run.id });
        }
        if (merged.regressed) this.event(f.fingerprint, startedAt, 'regressed', run.id);
        if (merged.evidenceChanged && existing !== undefined) {
          const before = JSON.parse(existing.details_json) as EvidenceParams;
          const detail = describeEvidenceChange(before, f.details);
          this.event(f.fingerprint, startedAt, 'evidence-changed', run.id, detail === '' ? null : detail);
        }
        const waiver = waivers.get(f.fingerprint);
        if (waiver !== undefined && merged.newest && waiver.evidence_hash !== merged.detailsHash) {
          this.lapse(waiver, startedAt, run.id);
          waivers.delete(f.fingerprint);
        }
        return r;
      });
      for (const e of run.endpoints) {
        if (e.status !== 'assessed') continue;
        for (const [checkId, status] of Object.entries(e.checks)) {
          if (!CLOSING_CHECK_STATUSES.has(status)) continue;
          const closed = s.closeAbsent.all({ startedAt, runId: run.id, host: e.host, port: e.port, checkId });
          for (const { fingerprint } of closed) this.event(fingerprint, startedAt, 'resolved', run.id);
        }
      }
      return records;
    });
  }

  previewRun(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    return guard('échec de la lecture des constats', this.file, () =>
      run.findings.map(
        (f) => mergeFinding(this.stmt.selectFinding.get(f.fingerprint), f, run.id, startedAt).record,
      ),
    );
  }

  listRuns(limit?: number): RunSummary[] {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new UsageError(`nombre d'analyses invalide : ${limit} (entier positif attendu)`);
    }
    return guard('échec de la lecture des analyses', this.file, () =>
      this.stmt.listRuns.all(limit ?? -1).map(summaryOf),
    );
  }

  getRun(id: string): RunDetail | undefined {
    return guard(`échec de la lecture de l'analyse ${id}`, this.file, () => {
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

  listOpenFindings(filter: FindingFilter = {}): FindingRecord[] {
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
    return guard('échec de la lecture des constats ouverts', this.file, () =>
      this.db
        .prepare<unknown[], FindingRow>(sql)
        .all(...params)
        .map(recordOf),
    );
  }

  getFinding(fingerprint: string): FindingRecord | undefined {
    return guard(`échec de la lecture du constat ${fingerprint}`, this.file, () => {
      const row = this.stmt.selectFinding.get(fingerprint);
      return row === undefined ? undefined : recordOf(row);
    });
  }

  /** Findings matching `where` (SQL over `f`, the findings, and `w`, their active waiver), at `now`. */
  private tracked(what: string, where: string[], params: unknown[], now: string): TrackedFinding[] {
    const sql = `${TRACKED_SELECT_SQL} ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                 ORDER BY ${FINDING_ORDER_SQL}`;
    return guard(what, this.file, () =>
      this.db
        .prepare<unknown[], TrackedRow>(sql)
        .all(...params)
        .map((row) => trackedOf(row, now)),
    );
  }

  listFindings(filter: TrackedFindingFilter): TrackedFinding[] {
    const now = isoArg(filter.now, 'now');
    const where: string[] = [];
    const params: unknown[] = [];
    const statuses = filter.status === undefined ? undefined : new Set(filter.status);
    if (statuses !== undefined) {
      if (statuses.size === 0) return [];
      if (!statuses.has('resolved')) where.push('f.open = 1');
      else if (statuses.size === 1) where.push('f.open = 0');
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
    const found = this.tracked('échec de la lecture des constats', where, params, now);
    return statuses === undefined ? found : found.filter((f) => statuses.has(f.status));
  }

  getTrackedFinding(fingerprint: string, now: string): TrackedFinding | undefined {
    const at = isoArg(now, 'now');
    return this.tracked(
      `échec de la lecture du constat ${fingerprint}`,
      ['f.fingerprint = ?'],
      [fingerprint],
      at,
    )[0];
  }

  waive(fingerprint: string, w: WaiveInput): Waiver {
    return this.write(`échec de l'enregistrement de la dérogation (${fingerprint})`, (): Waiver => {
      const finding = this.stmt.selectFinding.get(fingerprint);
      const valid = validateWaiver(
        fingerprint,
        finding === undefined ? undefined : { open: finding.open === 1 },
        w,
      );
      const evidenceHash = hashOf(finding as FindingRow);
      const current = this.stmt.activeWaiver.get(fingerprint);
      if (current !== undefined) {
        if (current.until <= valid.at || current.evidence_hash !== evidenceHash) {
          this.lapse(current, valid.at, null);
        } else {
          this.stmt.endWaiver.run({
            id: current.id,
            state: 'withdrawn',
            endedAt: valid.at,
            endReason: 'unwaived',
          });
          this.event(fingerprint, valid.at, 'unwaived', null, `${valid.by}: ${REPLACED}`);
        }
      }
      const { lastInsertRowid } = this.stmt.insertWaiver.run({ fingerprint, ...valid, evidenceHash });
      this.event(fingerprint, valid.at, 'waived', null, `${valid.by}: ${valid.reason}`);
      return waiverOf(this.stmt.selectWaiver.get(lastInsertRowid) as WaiverRow);
    });
  }

  unwaive(fingerprint: string, u: UnwaiveInput): Waiver {
    return this.write(`échec du retrait de la dérogation (${fingerprint})`, (): Waiver => {
      const at = new Date(u.at);
      if (Number.isNaN(at.getTime())) {
        throw new WaiverError('invalid-date', `date invalide pour le retrait : « ${u.at} »`);
      }
      const when = at.toISOString();
      const current = this.stmt.activeWaiver.get(fingerprint);
      if (current === undefined) {
        if (this.stmt.selectFinding.get(fingerprint) === undefined) {
          throw new WaiverError('unknown-finding', `aucun constat n'a l'empreinte ${fingerprint}`);
        }
        throw new WaiverError('no-active-waiver', `le constat ${fingerprint} n'a pas de dérogation en cours`);
      }
      if (current.until <= when) {
        throw new WaiverError(
          'no-active-waiver',
          `la dérogation du constat ${fingerprint} a expiré le ${current.until} : rien à retirer`,
        );
      }
      const by = u.by.trim();
      const reason = u.reason?.trim() ?? '';
      this.stmt.endWaiver.run({ id: current.id, state: 'withdrawn', endedAt: when, endReason: 'unwaived' });
      this.event(fingerprint, when, 'unwaived', null, reason === '' ? by : `${by}: ${reason}`);
      return waiverOf({ ...current, state: 'withdrawn', ended_at: when, end_reason: 'unwaived' });
    });
  }

  expireWaivers(now: string): Waiver[] {
    const at = isoArg(now, 'now');
    return this.write('échec de la mise à jour des dérogations échues', () =>
      this.stmt.dueWaivers.all(at).map((w) => this.lapse(w, at, null)),
    );
  }

  listWaivers(filter: WaiverFilter = {}): WaiverListing[] {
    const where: string[] = [];
    if (filter.state !== undefined) {
      if (filter.state.length === 0) return [];
      where.push(`w.state IN ${inList(filter.state)}`);
    }
    const sql = `SELECT w.*, f.check_id, f.host, f.port FROM waivers w JOIN findings f ON f.fingerprint = w.fingerprint
                 ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
                 ORDER BY w.waived_at DESC, w.id DESC`;
    return guard('échec de la lecture des dérogations', this.file, () =>
      this.db
        .prepare<unknown[], WaiverRow & { check_id: string; host: string; port: number }>(sql)
        .all(...(filter.state ?? []))
        .map((row) => ({ ...waiverOf(row), checkId: row.check_id, host: row.host, port: row.port })),
    );
  }

  findingTimeline(fingerprint: string): FindingEvent[] {
    return guard(`échec de la lecture de l'historique du constat ${fingerprint}`, this.file, () => {
      const entries: { event: FindingEvent; group: number; seq: number }[] = [
        ...this.stmt.selectEvents.all(fingerprint).map((row) => {
          const event = eventOf(row);
          return { event, group: TIMELINE_GROUP[event.kind], seq: row.id };
        }),
        ...this.stmt.selectOccurrences.all(fingerprint).map((row, seq) => ({
          event: { at: row.at, kind: 'seen' as const, runId: row.run_id },
          group: TIMELINE_GROUP.seen,
          seq,
        })),
      ];
      entries.sort((a, b) =>
        a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.group - b.group || a.seq - b.seq,
      );
      return entries.map((e) => e.event);
    });
  }

  recordReport(r: ReportRecord): void {
    const at = isoArg(r.at, 'at');
    if (r.format.trim() === '') throw new UsageError('format de rapport vide');
    if (r.postureIndex !== undefined && !Number.isFinite(r.postureIndex)) {
      throw new UsageError(`indice de posture invalide : ${r.postureIndex}`);
    }
    this.write("échec de l'enregistrement du rapport", () => {
      this.stmt.insertReport.run({ at, format: r.format, postureIndex: r.postureIndex ?? null });
    });
  }

  lastReport(before?: string): ReportRecord | undefined {
    const bound = before === undefined ? undefined : isoArg(before, 'before');
    return guard('échec de la lecture des rapports', this.file, () => {
      const row = bound === undefined ? this.stmt.latestReport.get() : this.stmt.lastReport.get(bound);
      if (row === undefined) return undefined;
      return {
        at: row.at,
        format: row.format,
        ...(row.posture_index === null ? {} : { postureIndex: row.posture_index }),
      };
    });
  }

  latestEndpoints(): LatestEndpoint[] {
    return guard('échec de la lecture des points d’accès', this.file, () =>
      this.stmt.latestEndpoints.all().map((row) => ({
        ...endpointOf(row),
        runId: row.run_id,
        startedAt: row.started_at,
      })),
    );
  }

  findingsChangedBetween(from: string, to: string): FindingChanges {
    const start = isoArg(from, 'from');
    const end = isoArg(to, 'to');
    const what = 'échec de la lecture des évolutions des constats';
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

  reserveOutbox(e: {
    key: string;
    kind: OutboxKind;
    subject: string;
    recipients: readonly string[];
    at: string;
  }) {
    return this.write(`échec de l'enregistrement du courriel ${e.key}`, () => reserveOutbox(this.db, e));
  }

  getOutbox(key: string): OutboxEntry | undefined {
    return this.read(`échec de la lecture du courriel ${key}`, () => getOutbox(this.db, key));
  }

  markOutboxSent(key: string, r: { at: string; messageId?: string }): void {
    this.write(`échec de l'enregistrement de l'envoi de ${key}`, () => markOutboxSent(this.db, key, r));
  }

  markOutboxFailed(key: string, r: { at: string; error: string; nextAttemptAt: string }): void {
    this.write(`échec de l'enregistrement de l'échec de ${key}`, () => markOutboxFailed(this.db, key, r));
  }

  listOutbox(
    filter: { states?: readonly OutboxEntry['state'][]; dueBy?: string; kind?: OutboxKind } = {},
  ): OutboxEntry[] {
    return this.read('échec de la lecture de la file des courriels', () => listOutbox(this.db, filter));
  }

  jobStarted(job: string, at: string): void {
    this.write(`échec de l'enregistrement du travail ${job}`, () => jobStarted(this.db, job, at));
  }

  jobFinished(
    job: string,
    r: { at: string; outcome: 'ok' | 'error' | 'skipped'; detail?: string; nextRunAt?: string },
  ): void {
    this.write(`échec de l'enregistrement du travail ${job}`, () => jobFinished(this.db, job, r));
  }

  setJobNextRun(job: string, nextRunAt: string): void {
    this.write(`échec de l'enregistrement du travail ${job}`, () => setJobNextRun(this.db, job, nextRunAt));
  }

  listJobs(): JobRecord[] {
    return this.read('échec de la lecture des travaux du démon', () => listJobs(this.db));
  }

  writeHeartbeat(h: { pid: number; hostname: string; startedAt: string; at: string }): void {
    this.write("échec de l'écriture du signe de vie du démon", () => writeHeartbeat(this.db, h));
  }

  markDaemonStopped(at: string): void {
    this.write("échec de l'enregistrement de l'arrêt du démon", () => markDaemonStopped(this.db, at));
  }

  readHeartbeat(): DaemonHeartbeat | undefined {
    return this.read('échec de la lecture du signe de vie du démon', () => readHeartbeat(this.db));
  }

  recordPlaybookReview(r: PlaybookReviewInput): PlaybookReview {
    return this.write(`échec de l'enregistrement de la revue de ${r.playbookId}`, () =>
      insertReview(this.db, r),
    );
  }

  listPlaybookReviews(playbookId?: string): PlaybookReview[] {
    return guard('échec de la lecture des revues de fiches', this.file, () =>
      selectReviews(this.db, playbookId),
    );
  }

  recordPlaybookExercise(e: PlaybookExerciseInput): PlaybookExercise {
    return this.write(`échec de l'enregistrement de l'exercice de ${e.playbookId}`, () =>
      insertExercise(this.db, e),
    );
  }

  listPlaybookExercises(playbookId?: string): PlaybookExercise[] {
    return guard('échec de la lecture des exercices', this.file, () => selectExercises(this.db, playbookId));
  }

  openIncident(i: OpenIncidentInput): Incident {
    return this.write("échec de l'ouverture de l'incident", () => insertIncident(this.db, i));
  }

  getIncident(id: string): Incident | undefined {
    return guard(`échec de la lecture de l'incident ${id}`, this.file, () => selectIncident(this.db, id));
  }

  listIncidents(filter: IncidentFilter = {}): Incident[] {
    return guard('échec de la lecture des incidents', this.file, () => selectIncidents(this.db, filter));
  }

  setIncidentStep(id: string, stepId: string, u: IncidentStepUpdate): Incident {
    return this.write(`échec de la mise à jour de l'étape ${stepId} (${id})`, () =>
      updateStep(this.db, id, stepId, u),
    );
  }

  addIncidentNote(id: string, n: IncidentNoteInput): Incident {
    return this.write(`échec de l'enregistrement de la note (${id})`, () => insertNote(this.db, id, n));
  }

  recordObligationMet(id: string, m: ObligationMetInput): Incident {
    return this.write(`échec de l'enregistrement de l'obligation ${m.clockId} (${id})`, () =>
      insertObligationMet(this.db, id, m),
    );
  }

  closeIncident(id: string, c: CloseIncidentInput): Incident {
    return this.write(`échec de la clôture de l'incident ${id}`, () => updateClosed(this.db, id, c));
  }

  incidentTimeline(id: string): IncidentEvent[] {
    return guard(`échec de la lecture de la chronologie de ${id}`, this.file, () =>
      selectIncidentEvents(this.db, id),
    );
  }

  listGithubLinks(): GithubLink[] {
    return this.read('échec de la lecture des liens GitHub', () => selectGithubLinks(this.db));
  }

  saveGithubLink(link: GithubLink): void {
    this.write(`échec de l'enregistrement du lien GitHub ${link.subject}`, () =>
      upsertGithubLink(this.db, link),
    );
  }

  close(): void {
    if (this.db.open) guard('échec de la fermeture de la base', this.file, () => this.db.close());
  }
}

/** The database and the files SQLite keeps beside it in WAL mode. */
const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/**
 * Opens (creating it if needed) `${dataDir}/vigie.db`: WAL journal, foreign keys on, busy timeout,
 * pending migrations applied. Every failure is a StorageError naming the file and what to do.
 * The data directory is created 0700; the database is created 0600 before SQLite opens it (SQLite
 * gives its -wal and -shm the database's mode), and all three are made private again once open.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  guard('impossible de créer le répertoire de données', dataDir, () => {
    ensurePrivateDir(dataDir);
    if (!fs.statSync(dataDir).isDirectory()) {
      throw new StorageError(`le chemin des données (${dataDir}) n'est pas un répertoire`, {
        hint: 'indiquez un répertoire avec VIGIE_DATA_DIR, ou déplacez le fichier qui porte ce nom.',
      });
    }
  });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = guard("impossible d'ouvrir la base de données", file, () => {
    touchPrivateFile(file);
    return new Database(file, { timeout: busyTimeoutMs });
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    db.pragma('synchronous = NORMAL');
    const result = applyMigrations(db);
    for (const f of databaseFiles(file)) tightenFileMode(f);
    if (result.status === 'too-new') {
      throw new StorageError(
        `la base ${file} a été écrite par une version plus récente de vigie (schéma v${result.version}, cette version connaît v${SCHEMA_VERSION})`,
        { hint: 'mettez vigie à jour, ou utilisez un autre répertoire de données avec VIGIE_DATA_DIR.' },
      );
    }
    return new SqliteStore(db, file);
  } catch (error) {
    db.close();
    throw toStorageError(error, "impossible d'ouvrir la base de données", file);
  }
}
