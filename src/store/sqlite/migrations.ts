import type Database from 'better-sqlite3';
import { detailsHash, type EvidenceParams } from '../../domain/index.js';

/**
 * One schema step. The list is append-only: a released migration is never edited, a change is a new
 * migration. `version` is the value of `PRAGMA user_version` once the step is applied.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** A data step SQL cannot express (hashing), run after `sql` in the same transaction. */
  migrate?: (db: Database.Database) => void;
}

/** Migration 2 computes the evidence hash of the findings stored before it. */
function backfillDetailsHashes(db: Database.Database): void {
  const update = db.prepare(`UPDATE findings SET details_hash = ? WHERE fingerprint = ?`);
  const rows = db
    .prepare<[], { fingerprint: string; details_json: string }>(
      `SELECT fingerprint, details_json FROM findings WHERE details_hash IS NULL`,
    )
    .all();
  for (const row of rows) {
    update.run(detailsHash(JSON.parse(row.details_json) as EvidenceParams), row.fingerprint);
  }
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
  {
    version: 2,
    description:
      'posture per run, facts per endpoint, finding lifecycle (regressions, evidence hash, events), waivers, reports',
    sql: `
      ALTER TABLE runs ADD COLUMN posture_json TEXT CHECK (posture_json IS NULL OR json_valid(posture_json));
      ALTER TABLE run_endpoints ADD COLUMN facts_json TEXT CHECK (facts_json IS NULL OR json_valid(facts_json));
      ALTER TABLE findings ADD COLUMN regressed_at TEXT;
      ALTER TABLE findings ADD COLUMN details_hash TEXT;

      CREATE TABLE finding_events (
        id          INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL REFERENCES findings (fingerprint),
        at          TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('first-seen', 'evidence-changed', 'resolved', 'regressed',
                                                  'waived', 'unwaived', 'waiver-lapsed')),
        run_id      TEXT REFERENCES runs (id),
        detail      TEXT
      ) STRICT;
      CREATE INDEX finding_events_fingerprint ON finding_events (fingerprint, at);
      CREATE INDEX finding_events_kind_at ON finding_events (kind, at);

      CREATE TABLE waivers (
        id            INTEGER PRIMARY KEY,
        fingerprint   TEXT NOT NULL REFERENCES findings (fingerprint),
        reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        until         TEXT NOT NULL,
        waived_by     TEXT NOT NULL,
        waived_at     TEXT NOT NULL,
        evidence_hash TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('active', 'lapsed', 'withdrawn')),
        ended_at      TEXT,
        end_reason    TEXT CHECK (end_reason IN ('expired', 'evidence-changed', 'unwaived')),
        CHECK (until > waived_at),
        CHECK ((state = 'active') = (ended_at IS NULL AND end_reason IS NULL))
      ) STRICT;
      CREATE UNIQUE INDEX waivers_one_active ON waivers (fingerprint) WHERE state = 'active';
      CREATE INDEX waivers_fingerprint ON waivers (fingerprint, waived_at);

      CREATE TABLE reports (
        id            INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        format        TEXT NOT NULL,
        posture_index REAL
      ) STRICT;
      CREATE INDEX reports_at ON reports (at DESC, id DESC);

      -- What version 1 knew of the lifecycle: when each finding appeared, and when the closed ones closed.
      INSERT INTO finding_events (fingerprint, at, kind, run_id)
        SELECT f.fingerprint, f.first_seen, 'first-seen',
               (SELECT rf.run_id FROM run_findings rf JOIN runs r ON r.id = rf.run_id
                WHERE rf.fingerprint = f.fingerprint ORDER BY r.started_at, r.id LIMIT 1)
        FROM findings f ORDER BY f.first_seen, f.fingerprint;
      INSERT INTO finding_events (fingerprint, at, kind, run_id)
        SELECT fingerprint, closed_at, 'resolved', closed_run_id
        FROM findings WHERE open = 0 AND closed_at IS NOT NULL ORDER BY closed_at, fingerprint;
    `,
    migrate: backfillDetailsHashes,
  },
  {
    version: 3,
    description:
      'playbook register (reviews, exercises), incidents with their steps, notes, obligations met and append-only event log',
    sql: `
      CREATE TABLE playbook_reviews (
        id          INTEGER PRIMARY KEY,
        playbook_id TEXT NOT NULL,
        at          TEXT NOT NULL,
        reviewed_by TEXT NOT NULL CHECK (length(trim(reviewed_by)) > 0),
        notes       TEXT
      ) STRICT;
      CREATE INDEX playbook_reviews_playbook ON playbook_reviews (playbook_id, at);

      CREATE TABLE playbook_exercises (
        id           INTEGER PRIMARY KEY,
        playbook_id  TEXT NOT NULL,
        date         TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('tabletop', 'technical')),
        participants INTEGER NOT NULL CHECK (participants >= 1),
        findings     TEXT NOT NULL CHECK (length(trim(findings)) > 0),
        recorded_at  TEXT NOT NULL,
        recorded_by  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX playbook_exercises_playbook ON playbook_exercises (playbook_id, date);

      CREATE TABLE incidents (
        id               TEXT PRIMARY KEY,
        year             INTEGER NOT NULL,
        seq              INTEGER NOT NULL CHECK (seq >= 1),
        playbook_id      TEXT NOT NULL,
        title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
        severity         TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        aware_at         TEXT NOT NULL,
        opened_at        TEXT NOT NULL,
        opened_by        TEXT NOT NULL,
        personal_data    INTEGER NOT NULL CHECK (personal_data IN (0, 1)),
        nis2_significant INTEGER NOT NULL CHECK (nis2_significant IN (0, 1)),
        status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        closed_at        TEXT,
        closed_by        TEXT,
        outcome          TEXT,
        from_fingerprint TEXT,
        UNIQUE (year, seq),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL AND outcome IS NOT NULL))
      ) STRICT;
      CREATE INDEX incidents_status ON incidents (status, opened_at);

      CREATE TABLE incident_steps (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        seq         INTEGER NOT NULL,
        step_id     TEXT NOT NULL,
        phase       TEXT NOT NULL CHECK (phase IN ('PRE', 'IDE', 'CON', 'REM', 'REC', 'RETEX')),
        text        TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped')),
        at          TEXT,
        by          TEXT,
        note        TEXT,
        PRIMARY KEY (incident_id, step_id),
        UNIQUE (incident_id, seq),
        CHECK ((state = 'pending') = (at IS NULL))
      ) STRICT;

      CREATE TABLE incident_notes (
        id          INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        at          TEXT NOT NULL,
        by          TEXT NOT NULL,
        text        TEXT NOT NULL CHECK (length(trim(text)) > 0)
      ) STRICT;
      CREATE INDEX incident_notes_incident ON incident_notes (incident_id, at);

      CREATE TABLE incident_obligations (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        clock_id    TEXT NOT NULL,
        met_at      TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        PRIMARY KEY (incident_id, clock_id)
      ) STRICT;

      CREATE TABLE incident_events (
        id          INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        at          TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        by          TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('aware', 'opened', 'step-done', 'step-skipped', 'note', 'obligation-met',
                                                  'closed')),
        step_id     TEXT,
        clock_id    TEXT,
        detail      TEXT
      ) STRICT;
      CREATE INDEX incident_events_incident ON incident_events (incident_id, at);

      -- Nothing about an incident is ever deleted, and its log is append-only.
      CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
        BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
      CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
        BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
      CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
        BEGIN SELECT RAISE(ABORT, 'incidents are never deleted'); END;
      CREATE TRIGGER incident_notes_no_delete BEFORE DELETE ON incident_notes
        BEGIN SELECT RAISE(ABORT, 'incident notes are never deleted'); END;
    `,
  },
  {
    version: 4,
    description: 'mail outbox (exactly-once digests and alerts), daemon jobs and heartbeat',
    sql: `
      CREATE TABLE mail_outbox (
        key             TEXT PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('digest', 'alert', 'test')),
        subject         TEXT NOT NULL,
        recipients_json TEXT NOT NULL CHECK (json_valid(recipients_json)),
        created_at      TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        next_attempt_at TEXT,
        sent_at         TEXT,
        message_id      TEXT,
        last_error      TEXT
      ) STRICT;
      CREATE INDEX mail_outbox_pending ON mail_outbox (state, next_attempt_at);
      CREATE TABLE daemon_jobs (
        job              TEXT PRIMARY KEY,
        last_started_at  TEXT,
        last_finished_at TEXT,
        last_outcome     TEXT CHECK (last_outcome IS NULL OR last_outcome IN ('ok', 'error', 'skipped')),
        last_detail      TEXT,
        next_run_at      TEXT
      ) STRICT;
      CREATE TABLE daemon_heartbeat (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        pid        INTEGER NOT NULL,
        hostname   TEXT NOT NULL,
        started_at TEXT NOT NULL,
        beat_at    TEXT NOT NULL,
        stopped_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 5,
    description: 'GitHub links: finding or incident → issue number and the hash of the body last written',
    sql: `
      CREATE TABLE github_links (
        subject      TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('finding', 'incident')),
        issue_number INTEGER NOT NULL CHECK (issue_number > 0),
        body_hash    TEXT,
        state        TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        updated_at   TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'discovery: kind of each run (scan or discovery), names discovered with first/last seen',
    sql: `
      ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'scan' CHECK (kind IN ('scan', 'discovery'));
      CREATE INDEX runs_kind_started_at ON runs (kind, started_at DESC, id DESC);
      CREATE TABLE discovered_names (
        name         TEXT PRIMARY KEY COLLATE NOCASE,
        domain       TEXT NOT NULL,
        class        TEXT NOT NULL CHECK (class IN ('known', 'new', 'dangling', 'unresolved')),
        sources_json TEXT NOT NULL CHECK (json_valid(sources_json)),
        details_json TEXT NOT NULL CHECK (json_valid(details_json)),
        first_seen   TEXT NOT NULL,
        last_seen    TEXT NOT NULL,
        last_run_id  TEXT NOT NULL REFERENCES runs (id)
      ) STRICT;
      CREATE INDEX discovered_names_first_seen ON discovered_names (first_seen);
    `,
  },
  {
    version: 7,
    description:
      'runs saved in batches: a run is "running" (invisible to readers) until finished; findings staged until then',
    // Numbered 7 after 6 (another change of the same release); the runner applies whatever is above
    // the file's version in order, so it does not need 6 to be there.
    sql: `
      ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished'
        CHECK (status IN ('running', 'finished'));
      ALTER TABLE runs ADD COLUMN owner TEXT;
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
      CREATE TABLE run_staged_findings (
        run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        input_json  TEXT NOT NULL CHECK (json_valid(input_json)),
        PRIMARY KEY (run_id, fingerprint),
        UNIQUE (run_id, seq)
      ) STRICT;
    `,
  },
  {
    version: 8,
    description: 'leases: work one process does at a time across the processes sharing a store',
    sql: `
      CREATE TABLE leases (
        name        TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        until       TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      ) STRICT;
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
      m.migrate?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
    return { status: 'migrated', from, to: target };
  });
  return migrate.immediate();
}
