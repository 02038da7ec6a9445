import type Database from 'better-sqlite3';

/**
 * One schema step. The list is append-only: a released migration is never edited, a change is a new
 * migration. `version` is the value of `PRAGMA user_version` once the step is applied.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, endpoints per run, findings (current state) and occurrences per run',
    sql: `
      CREATE TABLE runs (
        id              TEXT PRIMARY KEY,
        started_at      TEXT NOT NULL,
        finished_at     TEXT NOT NULL,
        scoring_version TEXT NOT NULL,
        targets_json    TEXT NOT NULL CHECK (json_valid(targets_json)),
        endpoint_count  INTEGER NOT NULL,
        finding_count   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX runs_started_at ON runs (started_at DESC, id DESC);

      CREATE TABLE run_endpoints (
        run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        host        TEXT NOT NULL COLLATE NOCASE,
        port        INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),
        asset_id    TEXT,
        status      TEXT NOT NULL CHECK (status IN ('assessed', 'error', 'timeout')),
        reason      TEXT,
        detail      TEXT,
        checks_json TEXT NOT NULL CHECK (json_valid(checks_json)),
        PRIMARY KEY (run_id, seq)
      ) STRICT;
      CREATE INDEX run_endpoints_endpoint ON run_endpoints (host, port);

      CREATE TABLE findings (
        fingerprint   TEXT PRIMARY KEY,
        check_id      TEXT NOT NULL,
        severity      TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
        category      TEXT NOT NULL,
        host          TEXT NOT NULL COLLATE NOCASE,
        port          INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),
        asset_id      TEXT,
        key           TEXT,
        details_json  TEXT NOT NULL CHECK (json_valid(details_json)),
        first_seen    TEXT NOT NULL,
        last_seen     TEXT NOT NULL,
        last_run_id   TEXT NOT NULL REFERENCES runs (id),
        open          INTEGER NOT NULL CHECK (open IN (0, 1)),
        closed_at     TEXT,
        closed_run_id TEXT REFERENCES runs (id)
      ) STRICT;
      CREATE INDEX findings_endpoint_check ON findings (host, port, check_id) WHERE open = 1;
      CREATE INDEX findings_open ON findings (open, severity);

      CREATE TABLE run_findings (
        run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        fingerprint  TEXT NOT NULL REFERENCES findings (fingerprint),
        severity     TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
        details_json TEXT NOT NULL CHECK (json_valid(details_json)),
        PRIMARY KEY (run_id, fingerprint)
      ) STRICT;
      CREATE INDEX run_findings_fingerprint ON run_findings (fingerprint);
    `,
  },
];

/** The schema version this build of vigie writes. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export type MigrationResult =
  | { status: 'up-to-date'; version: number }
  | { status: 'migrated'; from: number; to: number }
  /** The file was written by a newer vigie: nothing is applied. */
  | { status: 'too-new'; version: number };

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations, in order, in one IMMEDIATE transaction (so two processes opening
 * the same file at once cannot both migrate it); `user_version` is bumped in that same transaction.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  const target = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const current = userVersion(db);
  if (current > target) return { status: 'too-new', version: current };
  if (current === target) return { status: 'up-to-date', version: current };

  const migrate = db.transaction((): MigrationResult => {
    const from = userVersion(db);
    if (from > target) return { status: 'too-new', version: from };
    if (from === target) return { status: 'up-to-date', version: from };
    const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      if (!Number.isSafeInteger(m.version) || m.version < 1)
        throw new Error(`bad migration version: ${m.version}`);
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    return { status: 'migrated', from, to: target };
  });
  return migrate.immediate();
}
