import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { REGISTER_IDENTITIES } from '../../../src/store/postgres/schema/register.js';
import { REGISTER_TABLES, usePgRegister } from './register-fixtures.js';
import { moreWrites, readScenario, writeScenario, type Log } from './register-scenario.js';

const t = usePgRegister('parity');

const errors = (log: Log): string[] =>
  log.filter(([, o]) => typeof o === 'object' && o !== null && 'error' in o).map(([name]) => name);

/** `?` placeholders as PostgreSQL's `$1`, `$2`… */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

describe('register repositories: PostgreSQL answers as SQLite does', () => {
  it('gives the same values and the same errors for the same calls on every area', async () => {
    const { store } = t.sqlite();
    const sqlite = await writeScenario(store);
    const pg = await writeScenario(t.pg());
    expect(pg).toEqual(sqlite);
    // Not two stores failing alike: the refusals are the expected ones and the rest succeeded.
    expect(errors(pg)).toEqual([
      'report.record.bad-at',
      'report.record.nan',
      'report.record.empty-format',
      'report.last.bad',
      'review.empty-by',
      'review.bad-at',
      'exercise.bad-date',
      'exercise.no-one',
      'exercise.no-findings',
      'incident.open.no-step',
      'incident.open.bad-year',
      'incident.open.no-title',
      'incident.open.bad-aware',
      'step.unknown',
      'step.unknown-incident',
      'step.no-by',
      'note.empty',
      'note.unknown',
      'obligation.again',
      'close.again',
      'close.no-outcome',
      'close.unknown',
    ]);
    expect(Object.fromEntries(pg)['incident.open.2027']).toMatchObject({ value: { id: 'INC-2027-001' } });
    const claims = Object.fromEntries(pg.filter(([name]) => name.startsWith('outbox.claim')));
    expect(claims).toEqual({
      'outbox.claim.early': { value: undefined },
      'outbox.claim': {
        value: expect.objectContaining({
          state: 'pending',
          nextAttemptAt: '2026-11-23T07:00:00.500Z',
        }) as unknown,
      },
      'outbox.claim.taken': { value: undefined },
      'outbox.claim.unknown': { value: undefined },
      'outbox.claim.sent': { value: undefined },
      'outbox.claim.sent-alert': { value: undefined },
      'outbox.claim.backoff': { value: undefined },
      'outbox.claim.after-backoff': {
        value: expect.objectContaining({
          state: 'failed',
          attempts: 1,
          nextAttemptAt: '2026-11-23T07:40:00.000Z',
        }) as unknown,
      },
    });
    expect(Object.fromEntries(pg)['report.last']).toEqual({
      value: { at: '2026-03-12T12:30:00.000Z', format: 'csv', postureIndex: 0 },
    });
  });

  it('has the tables and columns of SQLite, in the same order, with types a row is copied into as is', async () => {
    const { store, file } = t.sqlite();
    await store.close();
    const sqlite = new Database(file, { readonly: true });
    try {
      for (const table of REGISTER_TABLES) {
        const columns = sqlite
          .prepare<[], { name: string; type: string; notnull: number; pk: number }>(
            `PRAGMA table_info(${table})`,
          )
          .all();
        const { rows } = await t
          .admin()
          .query<{ column_name: string; data_type: string; is_nullable: string }>(
            `SELECT column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
            [t.schema(), table],
          );
        const types: Record<string, string[]> = {
          TEXT: ['text'],
          INTEGER: ['integer', 'bigint'],
          REAL: ['double precision'],
        };
        expect(rows.map((r) => r.column_name)).toEqual(columns.map((c) => c.name));
        columns.forEach((c, i) => {
          expect(types[c.type], `${table}.${c.name}`).toContain(rows[i]?.data_type);
          if (c.pk === 0)
            expect(rows[i]?.is_nullable, `${table}.${c.name}`).toBe(c.notnull === 1 ? 'NO' : 'YES');
        });
      }
    } finally {
      sqlite.close();
    }
  });

  it('refuses the rows SQLite refuses (checks, uniqueness, references, JSON)', async () => {
    const { store, file } = t.sqlite();
    await store.close();
    const sqlite = new Database(file);
    const incident = `INSERT INTO incidents (id, year, seq, playbook_id, title, severity, aware_at, opened_at, opened_by,
      personal_data, nis2_significant, status) VALUES (?, 2026, ?, 'PB', 'T', 'high', 'a', 'b', 'c', 0, 0, 'open')`;
    const setup: [string, unknown[]][] = [
      [incident, ['INC-1', 1]],
      [
        `INSERT INTO mail_outbox (key, kind, subject, recipients_json, created_at, state) VALUES (?, 'digest', 's', '[]', 'x', 'pending')`,
        ['k'],
      ],
    ];
    const refused: [string, unknown[]][] = [
      [incident, ['INC-2', 1]], // (year, seq) unique
      [incident, ['INC-3', 0]], // seq >= 1
      [`UPDATE incidents SET status = 'closed' WHERE id = ?`, ['INC-1']], // closed without closed_at …
      [
        `INSERT INTO incident_steps (incident_id, seq, step_id, phase, text, state) VALUES (?, 0, 'A', 'XYZ', 't', 'pending')`,
        ['INC-1'],
      ],
      [
        `INSERT INTO incident_steps (incident_id, seq, step_id, phase, text, state, at) VALUES (?, 0, 'A', 'PRE', 't', 'pending', 'x')`,
        ['INC-1'],
      ],
      [`INSERT INTO incident_notes (incident_id, at, by, text) VALUES (?, 'a', 'b', '  ')`, ['INC-1']],
      [
        `INSERT INTO incident_events (incident_id, at, recorded_at, by, kind) VALUES (?, 'a', 'b', 'c', 'edited')`,
        ['INC-1'],
      ],
      [
        `INSERT INTO incident_obligations (incident_id, clock_id, met_at, recorded_at, recorded_by) VALUES (?, 'c', 'a', 'b', 'd')`,
        ['INC-404'],
      ],
      [
        `INSERT INTO playbook_exercises (playbook_id, date, kind, participants, findings, recorded_at, recorded_by) VALUES (?, 'd', 'tabletop', 0, 'f', 'a', 'b')`,
        ['PB'],
      ],
      [`INSERT INTO playbook_reviews (playbook_id, at, reviewed_by) VALUES (?, 'a', ' ')`, ['PB']],
      [
        `INSERT INTO mail_outbox (key, kind, subject, recipients_json, created_at, state) VALUES (?, 'digest', 's', '[]', 'x', 'pending')`,
        ['k'],
      ],
      [
        `INSERT INTO mail_outbox (key, kind, subject, recipients_json, created_at, state) VALUES (?, 'spam', 's', '[]', 'x', 'pending')`,
        ['k2'],
      ],
      [
        `INSERT INTO mail_outbox (key, kind, subject, recipients_json, created_at, state) VALUES (?, 'digest', 's', '[oops', 'x', 'pending')`,
        ['k3'],
      ],
      [`INSERT INTO daemon_jobs (job, last_outcome) VALUES (?, 'maybe')`, ['scan']],
      [
        `INSERT INTO daemon_heartbeat (id, pid, hostname, started_at, beat_at) VALUES (?, 1, 'h', 'a', 'b')`,
        [2],
      ],
      [
        `INSERT INTO github_links (subject, kind, issue_number, state, updated_at) VALUES (?, 'finding', 0, 'open', 'a')`,
        ['s'],
      ],
      [
        `INSERT INTO github_links (subject, kind, issue_number, state, updated_at) VALUES (?, 'run', 1, 'open', 'a')`,
        ['s'],
      ],
    ];
    const pg = t.admin();
    try {
      for (const [sql, params] of setup) {
        sqlite.prepare(sql).run(...params);
        await pg.query(numbered(sql.replace(/\bby\b/g, '"by"')), params);
      }
      for (const [sql, params] of refused) {
        expect(() => sqlite.prepare(sql).run(...params), sql).toThrow();
        await expect(pg.query(numbered(sql.replace(/\bby\b/g, '"by"')), params), sql).rejects.toThrow();
      }
    } finally {
      sqlite.close();
    }
  });

  it('takes a SQLite store copied row by row, then goes on where SQLite goes on', async () => {
    const { store, file } = t.sqlite();
    await writeScenario(store);
    const sqlite = new Database(file, { readonly: true });
    const pg = t.admin();
    let copied = 0;
    try {
      for (const table of REGISTER_TABLES) {
        for (const row of sqlite.prepare<[], Record<string, unknown>>(`SELECT * FROM ${table}`).all()) {
          const columns = Object.keys(row);
          await pg.query(
            `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')})
             VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
            Object.values(row),
          );
          copied += 1;
        }
      }
      for (const { table, column } of REGISTER_IDENTITIES) {
        await pg.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${column}), 0) + 1, false) FROM ${table}`,
          [table, column],
        );
      }
    } finally {
      sqlite.close();
    }
    expect(copied).toBeGreaterThan(40);
    const copy = t.pg();
    expect(await readScenario(copy)).toEqual(await readScenario(store));
    const after = await moreWrites(copy);
    expect(after).toEqual(await moreWrites(store));
    expect(errors(after)).toEqual([]);
    expect(Object.fromEntries(after).incident).toMatchObject({ value: { id: 'INC-2026-003' } });
    expect(Object.fromEntries(after).review).toMatchObject({ value: { id: 4 } });
  });
});
