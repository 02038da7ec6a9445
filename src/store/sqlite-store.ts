import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SEVERITIES, StorageError, UsageError, VigieError } from '../domain/index.js';
import type { Category, EvidenceParams, Severity } from '../domain/index.js';
import { applyMigrations, SCHEMA_VERSION } from './migrations.js';
import { guard, toStorageError } from './storage-failure.js';
import type {
  FindingFilter,
  FindingRecord,
  RunDetail,
  RunSummary,
  Store,
  StoredCheckStatus,
  StoredEndpoint,
  StoredEndpointStatus,
  StoredFindingInput,
  StoredRunInput,
} from './store.js';

export const DATABASE_FILE = 'vigie.db';

export interface OpenStoreOptions {
  /** How long a write waits for another process holding the lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

interface FindingRow {
  fingerprint: string;
  check_id: string;
  severity: string;
  category: string;
  host: string;
  port: number;
  asset_id: string | null;
  key: string | null;
  details_json: string;
  first_seen: string;
  last_seen: string;
  last_run_id: string;
  open: number;
  closed_at: string | null;
  closed_run_id: string | null;
}

interface RunRow {
  id: string;
  started_at: string;
  finished_at: string;
  scoring_version: string;
  targets_json: string;
  endpoint_count: number;
  finding_count: number;
}

interface EndpointRow {
  host: string;
  port: number;
  asset_id: string | null;
  status: string;
  reason: string | null;
  detail: string | null;
  checks_json: string;
}

type RunFindingRow = FindingRow & { run_severity: string; run_details_json: string };

/** The state a finding has once a run is merged in: the record plus when (and by which run) it was closed. */
interface MergedFinding {
  record: FindingRecord;
  closedAt: string | null;
  closedRunId: string | null;
}

/** Statuses of a check that prove the check ran on the endpoint: only these can close a finding. */
const CLOSING_CHECK_STATUSES: ReadonlySet<StoredCheckStatus> = new Set(['pass', 'fail']);

const SEVERITY_RANK_SQL = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;

function isoOf(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new VigieError(`date invalide pour ${field} : « ${value} »`);
  return date.toISOString();
}

function attributesOf(row: FindingRow): StoredFindingInput {
  return {
    fingerprint: row.fingerprint,
    checkId: row.check_id,
    severity: row.severity as Severity,
    category: row.category as Category,
    host: row.host,
    port: row.port,
    ...(row.asset_id === null ? {} : { assetId: row.asset_id }),
    ...(row.key === null ? {} : { key: row.key }),
    details: JSON.parse(row.details_json) as EvidenceParams,
  };
}

function recordOf(row: FindingRow): FindingRecord {
  return {
    ...attributesOf(row),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    lastRunId: row.last_run_id,
    open: row.open === 1,
  };
}

function attributesFromInput(f: StoredFindingInput): StoredFindingInput {
  return {
    fingerprint: f.fingerprint,
    checkId: f.checkId,
    severity: f.severity,
    category: f.category,
    host: f.host,
    port: f.port,
    ...(f.assetId === undefined ? {} : { assetId: f.assetId }),
    ...(f.key === undefined ? {} : { key: f.key }),
    details: f.details,
  };
}

/**
 * Merges one occurrence into the stored state of its fingerprint. Pure, so `saveRun` and
 * `previewRun` cannot disagree. Runs may arrive out of order: an older run never overwrites the
 * attributes or the open/closed state set by a newer one, but can move `firstSeen` back.
 */
function mergeFinding(
  existing: FindingRow | undefined,
  input: StoredFindingInput,
  runId: string,
  startedAt: string,
): MergedFinding {
  if (existing === undefined) {
    return {
      record: {
        ...attributesFromInput(input),
        firstSeen: startedAt,
        lastSeen: startedAt,
        lastRunId: runId,
        open: true,
      },
      closedAt: null,
      closedRunId: null,
    };
  }
  const firstSeen = startedAt < existing.first_seen ? startedAt : existing.first_seen;
  if (startedAt < existing.last_seen) {
    return {
      record: { ...recordOf(existing), firstSeen },
      closedAt: existing.closed_at,
      closedRunId: existing.closed_run_id,
    };
  }
  // Seen in the newest run so far: open again, unless a run newer than this one closed it.
  const reopened = existing.closed_at === null || startedAt >= existing.closed_at;
  return {
    record: {
      ...attributesFromInput(input),
      firstSeen,
      lastSeen: startedAt,
      lastRunId: runId,
      open: reopened,
    },
    closedAt: reopened ? null : existing.closed_at,
    closedRunId: reopened ? null : existing.closed_run_id,
  };
}

class SqliteStore implements Store {
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.stmt = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, started_at, finished_at, scoring_version, targets_json, endpoint_count, finding_count)
         VALUES (@id, @startedAt, @finishedAt, @scoringVersion, @targetsJson, @endpointCount, @findingCount)`,
      ),
      insertEndpoint: db.prepare(
        `INSERT INTO run_endpoints (run_id, seq, host, port, asset_id, status, reason, detail, checks_json)
         VALUES (@runId, @seq, @host, @port, @assetId, @status, @reason, @detail, @checksJson)`,
      ),
      selectFinding: db.prepare<[string], FindingRow>(`SELECT * FROM findings WHERE fingerprint = ?`),
      upsertFinding: db.prepare(
        `INSERT INTO findings (fingerprint, check_id, severity, category, host, port, asset_id, key, details_json,
                               first_seen, last_seen, last_run_id, open, closed_at, closed_run_id)
         VALUES (@fingerprint, @checkId, @severity, @category, @host, @port, @assetId, @key, @detailsJson,
                 @firstSeen, @lastSeen, @lastRunId, @open, @closedAt, @closedRunId)
         ON CONFLICT (fingerprint) DO UPDATE SET
           check_id = excluded.check_id, severity = excluded.severity, category = excluded.category,
           host = excluded.host, port = excluded.port, asset_id = excluded.asset_id, key = excluded.key,
           details_json = excluded.details_json, first_seen = excluded.first_seen,
           last_seen = excluded.last_seen, last_run_id = excluded.last_run_id, open = excluded.open,
           closed_at = excluded.closed_at, closed_run_id = excluded.closed_run_id`,
      ),
      insertOccurrence: db.prepare(
        `INSERT INTO run_findings (run_id, fingerprint, severity, details_json)
         VALUES (@runId, @fingerprint, @severity, @detailsJson)`,
      ),
      // Findings of this endpoint and check not seen since before this run: the check ran and did not
      // report them, so they are fixed. Findings of this run have last_seen >= startedAt and stay open.
      closeAbsent: db.prepare(
        `UPDATE findings SET open = 0, closed_at = @startedAt, closed_run_id = @runId
         WHERE open = 1 AND host = @host AND port = @port AND check_id = @checkId AND last_seen < @startedAt`,
      ),
      listRuns: db.prepare<[number], RunRow>(`SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`),
      selectRun: db.prepare<[string], RunRow>(`SELECT * FROM runs WHERE id = ?`),
      selectEndpoints: db.prepare<[string], EndpointRow>(
        `SELECT host, port, asset_id, status, reason, detail, checks_json
         FROM run_endpoints WHERE run_id = ? ORDER BY seq`,
      ),
      selectRunFindings: db.prepare<[string], RunFindingRow>(
        `SELECT f.*, rf.severity AS run_severity, rf.details_json AS run_details_json
         FROM run_findings rf JOIN findings f ON f.fingerprint = rf.fingerprint
         WHERE rf.run_id = ? ORDER BY rf.rowid`,
      ),
    };
  }

  saveRun(run: StoredRunInput): FindingRecord[] {
    const startedAt = isoOf(run.startedAt, 'startedAt');
    const finishedAt = isoOf(run.finishedAt, 'finishedAt');
    const s = this.stmt;
    const save = this.db.transaction((): FindingRecord[] => {
      s.insertRun.run({
        id: run.id,
        startedAt,
        finishedAt,
        scoringVersion: run.scoringVersion,
        targetsJson: JSON.stringify(run.targets),
        endpointCount: run.endpoints.length,
        findingCount: run.findings.length,
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
        });
      });
      const records = run.findings.map((f) => {
        const merged = mergeFinding(s.selectFinding.get(f.fingerprint), f, run.id, startedAt);
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
        });
        s.insertOccurrence.run({
          runId: run.id,
          fingerprint: f.fingerprint,
          severity: f.severity,
          detailsJson: JSON.stringify(f.details),
        });
        return r;
      });
      for (const e of run.endpoints) {
        if (e.status !== 'assessed') continue;
        for (const [checkId, status] of Object.entries(e.checks)) {
          if (!CLOSING_CHECK_STATUSES.has(status)) continue;
          s.closeAbsent.run({ startedAt, runId: run.id, host: e.host, port: e.port, checkId });
        }
      }
      return records;
    });
    return guard(`échec de l'enregistrement de l'analyse ${run.id}`, this.file, () => save.immediate());
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
    const where = ['open = 1'];
    const params: (string | number)[] = [];
    if (filter.severity !== undefined) {
      if (filter.severity.length === 0) return [];
      where.push(`severity IN (${filter.severity.map(() => '?').join(', ')})`);
      params.push(...filter.severity);
    }
    if (filter.host !== undefined) {
      where.push('host = ?');
      params.push(filter.host);
    }
    if (filter.checkId !== undefined) {
      where.push('check_id = ?');
      params.push(filter.checkId);
    }
    const sql = `SELECT * FROM findings WHERE ${where.join(' AND ')}
                 ORDER BY ${SEVERITY_RANK_SQL} DESC, host, port, check_id, key, fingerprint`;
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

  close(): void {
    if (this.db.open) guard('échec de la fermeture de la base', this.file, () => this.db.close());
  }
}

function summaryOf(row: RunRow): RunSummary {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    scoringVersion: row.scoring_version,
    targets: JSON.parse(row.targets_json) as string[],
    endpointCount: row.endpoint_count,
    findingCount: row.finding_count,
  };
}

function endpointOf(row: EndpointRow): StoredEndpoint {
  return {
    host: row.host,
    port: row.port,
    ...(row.asset_id === null ? {} : { assetId: row.asset_id }),
    status: row.status as StoredEndpointStatus,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    checks: JSON.parse(row.checks_json) as Record<string, StoredCheckStatus>,
  };
}

/**
 * Opens (creating it if needed) `${dataDir}/vigie.db`: WAL journal, foreign keys on, busy timeout,
 * pending migrations applied. Every failure is a StorageError naming the file and what to do.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  guard('impossible de créer le répertoire de données', dataDir, () => {
    fs.mkdirSync(dataDir, { recursive: true });
    if (!fs.statSync(dataDir).isDirectory()) {
      throw new StorageError(`le chemin des données (${dataDir}) n'est pas un répertoire`, {
        hint: 'indiquez un répertoire avec VIGIE_DATA_DIR, ou déplacez le fichier qui porte ce nom.',
      });
    }
  });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = guard(
    "impossible d'ouvrir la base de données",
    file,
    () => new Database(file, { timeout: busyTimeoutMs }),
  );
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    db.pragma('synchronous = NORMAL');
    const result = applyMigrations(db);
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
