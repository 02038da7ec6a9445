import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, detailsHash, MIGRATIONS, openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { assessed, finding, run, T1, T2, T3, useTempStore, WWW } from './store-fixtures.js';

const { dir } = useTempStore();

const expired = finding('tls.cert.expired', WWW, 443, { details: { notAfter: '2025-01-01', chain: 2 } });
const hsts = finding('http.hsts.missing', WWW, 443, { severity: 'medium' });

/** A database as vigie 1 left it: migration 1's SQL only, two runs, one finding still open, one closed. */
function writeVersion1Database(): void {
  fs.mkdirSync(dir(), { recursive: true });
  const db = new Database(path.join(dir(), DATABASE_FILE));
  try {
    const v1 = MIGRATIONS.find((m) => m.version === 1);
    if (v1 === undefined) throw new Error('migration 1 missing');
    db.exec(v1.sql);
    db.pragma('user_version = 1');
    const insertRun = db.prepare(`INSERT INTO runs VALUES (?, ?, ?, '2025.1', '["inventory"]', 1, ?)`);
    insertRun.run('r1', T1, T1, 2);
    insertRun.run('r2', T2, T2, 1);
    const insertEndpoint = db.prepare(
      `INSERT INTO run_endpoints VALUES (?, 0, ?, 443, NULL, 'assessed', NULL, NULL, ?)`,
    );
    insertEndpoint.run('r1', WWW, '{"tls.cert.expired":"fail","http.hsts.missing":"fail"}');
    insertEndpoint.run('r2', WWW, '{"tls.cert.expired":"fail","http.hsts.missing":"pass"}');
    const insertFinding = db.prepare(
      `INSERT INTO findings VALUES (?, ?, ?, ?, ?, 443, NULL, NULL, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Keys in another order than the app writes them: the hash is over canonical JSON.
    insertFinding.run(
      ...[expired.fingerprint, expired.checkId, 'high', 'tls', WWW, '{"notAfter":"2025-01-01","chain":2}'],
      ...[T1, T2, 'r2', 1, null, null],
    );
    insertFinding.run(
      ...[hsts.fingerprint, hsts.checkId, 'medium', 'http', WWW, '{"observed":true}'],
      ...[T1, T1, 'r1', 0, T2, 'r2'],
    );
    const insertOccurrence = db.prepare(`INSERT INTO run_findings VALUES (?, ?, ?, ?)`);
    insertOccurrence.run('r1', expired.fingerprint, 'high', '{"notAfter":"2025-01-01","chain":2}');
    insertOccurrence.run('r1', hsts.fingerprint, 'medium', '{"observed":true}');
    insertOccurrence.run('r2', expired.fingerprint, 'high', '{"notAfter":"2025-01-01","chain":2}');
  } finally {
    db.close();
  }
}

describe('migration 2', () => {
  it('upgrades a version-1 database, keeping its data and deriving what history it can', async () => {
    writeVersion1Database();
    const store: Store = openStore(dir());
    try {
      expect((await store.runs.list()).map((r) => [r.id, r.posture])).toEqual([
        ['r2', undefined],
        ['r1', undefined],
      ]);
      expect((await store.runs.get('r1'))?.endpoints).toEqual([
        assessed(WWW, 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' }),
      ]);
      expect((await store.findings.list({ now: T2 })).map((f) => [f.checkId, f.status, f.firstSeen])).toEqual(
        [
          ['tls.cert.expired', 'open', T1],
          ['http.hsts.missing', 'resolved', T1],
        ],
      );
      expect(await store.findings.get(hsts.fingerprint)).toMatchObject({ open: false, closedAt: T2 });
      expect(await store.findings.timeline(hsts.fingerprint)).toEqual([
        { at: T1, kind: 'first-seen', runId: 'r1' },
        { at: T1, kind: 'seen', runId: 'r1' },
        { at: T2, kind: 'resolved', runId: 'r2' },
      ]);
      expect((await store.findings.timeline(expired.fingerprint)).map((e) => [e.kind, e.runId])).toEqual([
        ['first-seen', 'r1'],
        ['seen', 'r1'],
        ['seen', 'r2'],
      ]);

      // The evidence hash was backfilled: a waiver is given for it, and the same evidence keeps it.
      const w = await store.waivers.waive(expired.fingerprint, {
        reason: 'accepté',
        until: '2025-06-01',
        by: 'rssi',
        at: T2,
      });
      expect(w.evidenceHash).toBe(detailsHash(expired.details));
      await store.runs.save(run('r3', T3, [assessed(WWW, 443, { 'tls.cert.expired': 'fail' })], [expired]));
      expect((await store.findings.getTracked(expired.fingerprint, T3))?.status).toBe('waived');
      expect((await store.findings.timeline(expired.fingerprint)).map((e) => e.kind)).not.toContain(
        'evidence-changed',
      );
    } finally {
      await store.close();
    }

    const db = new Database(path.join(dir(), DATABASE_FILE), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(
        db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM findings WHERE details_hash IS NULL`).get()
          ?.n,
      ).toBe(0);
      const tables = db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['finding_events', 'waivers', 'reports']));
    } finally {
      db.close();
    }
  });

  it('allows at most one active waiver per finding in the schema itself', async () => {
    writeVersion1Database();
    await openStore(dir()).close();
    const db = new Database(path.join(dir(), DATABASE_FILE));
    try {
      const insert = db.prepare(
        `INSERT INTO waivers (fingerprint, reason, until, waived_by, waived_at, evidence_hash, state)
         VALUES (?, 'motif', '2025-06-01T00:00:00.000Z', 'rssi', ?, 'h', 'active')`,
      );
      insert.run(expired.fingerprint, T1);
      expect(() => insert.run(expired.fingerprint, T2)).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
