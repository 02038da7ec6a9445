import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/domain/index.js';
import type { Severity } from '../../src/domain/index.js';
import { DATABASE_FILE, openStore, SCHEMA_VERSION } from '../../src/store/index.js';
import type { Store, StoredEndpoint, StoredFindingInput } from '../../src/store/index.js';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run } from './store-fixtures.js';

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';
const T3 = '2025-03-03T02:00:00.000Z';

const expired = finding('tls.cert.expired', 'www.exemple.fr', 443, { details: { notAfter: '2025-01-01' } });
const hsts = finding('http.hsts.missing', 'www.exemple.fr', 443, { severity: 'medium' });
const cookieA = finding('http.cookie.insecure', 'www.exemple.fr', 443, { key: 'session', severity: 'low' });
const cookieB = finding('http.cookie.insecure', 'www.exemple.fr', 443, { key: 'lang', severity: 'low' });

describe.each(storeBackends)('the store ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  describe('reopening', () => {
    it('keeps what was saved, migrating nothing twice', async () => {
      const opened = await open();
      await opened.store.runs.save(
        run('r1', T1, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' })], [expired]),
      );
      const second = await opened.reopen();
      expect((await second.runs.list()).map((r) => r.id)).toEqual(['r1']);
      const third = await opened.reopen();
      expect((await third.runs.list()).map((r) => r.id)).toEqual(['r1']);
      expect(await third.findings.get(expired.fingerprint)).toMatchObject({ open: true, lastSeen: T1 });
    });
  });

  describe('saveRun', () => {
    it('keeps firstSeen and moves lastSeen across runs', async () => {
      const { store } = await open();
      const endpoint = assessed('www.exemple.fr', 443, {
        'tls.cert.expired': 'fail',
        'http.hsts.missing': 'pass',
      });
      const [r1] = await store.runs.save(run('r1', T1, [endpoint], [expired]));
      expect(r1).toMatchObject({ firstSeen: T1, lastSeen: T1, lastRunId: 'r1', open: true });

      const [r2] = await store.runs.save(
        run('r2', T2, [endpoint], [{ ...expired, details: { notAfter: '2025-01-02' } }]),
      );
      expect(r2).toMatchObject({ firstSeen: T1, lastSeen: T2, lastRunId: 'r2', open: true });
      expect(await store.findings.get(expired.fingerprint)).toEqual({
        ...expired,
        details: { notAfter: '2025-01-02' },
        firstSeen: T1,
        lastSeen: T2,
        lastRunId: 'r2',
        open: true,
      });
    });

    it('closes a finding absent from a later run that assessed its endpoint and ran its check', async () => {
      const { store } = await open();
      await store.runs.save(
        run(
          'r1',
          T1,
          [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' })],
          [expired, hsts],
        ),
      );
      await store.runs.save(
        run(
          'r2',
          T2,
          [assessed('WWW.exemple.fr', 443, { 'tls.cert.expired': 'pass', 'http.hsts.missing': 'fail' })],
          [hsts],
        ),
      );
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({
        open: false,
        firstSeen: T1,
        lastSeen: T1,
      });
      expect(await store.findings.get(hsts.fingerprint)).toMatchObject({ open: true, lastSeen: T2 });
      expect((await store.findings.listOpen()).map((f) => f.fingerprint)).toEqual([hsts.fingerprint]);
    });

    it('closes a finding whose check failed in a later run for another key only', async () => {
      const { store } = await open();
      const endpoint = assessed('www.exemple.fr', 443, { 'http.cookie.insecure': 'fail' });
      await store.runs.save(run('r1', T1, [endpoint], [cookieA, cookieB]));
      await store.runs.save(run('r2', T2, [endpoint], [cookieB]));
      expect((await store.findings.get(cookieA.fingerprint))?.open).toBe(false);
      expect((await store.findings.get(cookieB.fingerprint))?.open).toBe(true);
    });

    it('does not close findings when the endpoint could not be assessed or the check did not run', async () => {
      const { store } = await open();
      await store.runs.save(
        run(
          'r1',
          T1,
          [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' })],
          [expired, hsts],
        ),
      );
      await store.runs.save(
        run(
          'r2',
          T2,
          [
            {
              host: 'www.exemple.fr',
              port: 443,
              status: 'timeout',
              reason: 'timeout',
              detail: 'pas de réponse en 5000 ms',
              checks: { 'tls.cert.expired': 'pass', 'http.hsts.missing': 'pass' },
            },
          ],
          [],
        ),
      );
      await store.runs.save(
        run(
          'r3',
          T3,
          [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'error', 'http.hsts.missing': 'skipped' })],
          [],
        ),
      );
      // Another endpoint passing the same checks does not close them either.
      await store.runs.save(
        run(
          'r4',
          '2025-03-04T02:00:00.000Z',
          [assessed('www.exemple.fr', 8443, { 'tls.cert.expired': 'pass', 'http.hsts.missing': 'pass' })],
          [],
        ),
      );
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({ open: true, lastSeen: T1 });
      expect(await store.findings.get(hsts.fingerprint)).toMatchObject({ open: true, lastSeen: T1 });
    });

    it('reopens a finding that comes back, with its original firstSeen', async () => {
      const { store } = await open();
      await store.runs.save(
        run('r1', T1, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' })], [expired]),
      );
      await store.runs.save(
        run('r2', T2, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'pass' })], []),
      );
      expect((await store.findings.get(expired.fingerprint))?.open).toBe(false);
      const [back] = await store.runs.save(
        run('r3', T3, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' })], [expired]),
      );
      expect(back).toMatchObject({ open: true, firstSeen: T1, lastSeen: T3, lastRunId: 'r3' });
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({
        open: true,
        firstSeen: T1,
        lastSeen: T3,
      });
      // History stays derivable: the occurrences of r1 and r3, none in r2.
      expect((await store.runs.get('r1'))?.findings.map((f) => f.fingerprint)).toEqual([expired.fingerprint]);
      expect((await store.runs.get('r2'))?.findings).toEqual([]);
      expect((await store.runs.get('r3'))?.findings.map((f) => f.fingerprint)).toEqual([expired.fingerprint]);
    });

    it('does not let an older run saved late overwrite the state set by a newer one', async () => {
      const { store } = await open();
      const endpoint = assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' });
      await store.runs.save(run('r2', T2, [endpoint], [{ ...expired, details: { notAfter: 'new' } }]));
      const [late] = await store.runs.save(
        run('r1', T1, [endpoint], [{ ...expired, details: { notAfter: 'old' } }]),
      );
      expect(late).toMatchObject({
        firstSeen: T1,
        lastSeen: T2,
        lastRunId: 'r2',
        details: { notAfter: 'new' },
      });
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({
        firstSeen: T1,
        lastSeen: T2,
        open: true,
      });
    });

    it('leaves earlier runs and findings intact when a save fails midway', async () => {
      const { store } = await open();
      const endpoint = assessed('www.exemple.fr', 443, {
        'tls.cert.expired': 'fail',
        'http.hsts.missing': 'fail',
      });
      await store.runs.save(run('r1', T1, [endpoint], [expired, hsts]));
      const before = {
        runs: await store.runs.list(),
        open: await store.findings.listOpen(),
        r1: await store.runs.get('r1'),
      };

      const newOne = finding('http.csp.missing', 'www.exemple.fr', 443);
      // The first two findings are written (expired's lastSeen moves to T2) before the duplicate fails.
      const duplicated = run('r2', T2, [endpoint], [expired, newOne, newOne]);
      await expect(store.runs.save(duplicated)).rejects.toThrow(StorageError);
      // A value outside the schema (NaN severity) fails too, after the run row and endpoints were written.
      const badSeverity = run(
        'r2',
        T2,
        [endpoint],
        [expired, { ...hsts, severity: NaN as unknown as Severity }],
      );
      await expect(store.runs.save(badSeverity)).rejects.toThrow(StorageError);

      expect(await store.runs.list()).toEqual(before.runs);
      expect(await store.findings.listOpen()).toEqual(before.open);
      expect(await store.runs.get('r1')).toEqual(before.r1);
      expect(await store.runs.get('r2')).toBeUndefined();
      expect(await store.findings.get(newOne.fingerprint)).toBeUndefined();
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({ lastSeen: T1, lastRunId: 'r1' });

      // And the store is still usable afterwards.
      await store.runs.save(run('r2', T2, [endpoint], [expired]));
      expect((await store.findings.get(hsts.fingerprint))?.open).toBe(false);
      expect((await store.findings.get(expired.fingerprint))?.lastSeen).toBe(T2);
    });

    // How fast: `npm run bench` (bench/store-save.ts), not a timed test on a shared machine.
    it('saves 200 endpoints × 30 findings over a previous run, keeping each first sighting', async () => {
      const { store } = await open();
      const checkIds = Array.from({ length: 30 }, (_, i) => `http.check-${i}`);
      const endpoints: StoredEndpoint[] = [];
      const findings: StoredFindingInput[] = [];
      for (let i = 0; i < 200; i++) {
        const host = `h${i}.exemple.fr`;
        endpoints.push(assessed(host, 443, Object.fromEntries(checkIds.map((c) => [c, 'fail' as const]))));
        for (const c of checkIds) findings.push(finding(c, host, 443, { details: { header: 'x', n: i } }));
      }
      await store.runs.save(run('warm', T1, endpoints, findings));
      const records = await store.runs.save(run('r2', T2, endpoints, findings));
      expect(records).toHaveLength(6000);
      expect(records.every((r) => r.firstSeen === T1 && r.lastSeen === T2)).toBe(true);
    });
  });

  describe('previewRun', () => {
    it('computes firstSeen/lastSeen without writing anything', async () => {
      const { store } = await open();
      const endpoint = assessed('www.exemple.fr', 443, {
        'tls.cert.expired': 'pass',
        'http.hsts.missing': 'fail',
      });
      await store.runs.save(run('r1', T1, [endpoint], [expired]));

      const preview = await store.runs.preview(run('r2', T2, [endpoint], [hsts]));
      expect(preview).toEqual([{ ...hsts, firstSeen: T2, lastSeen: T2, lastRunId: 'r2', open: true }]);
      const again = await store.runs.preview(run('r2', T2, [endpoint], [expired]));
      expect(again[0]).toMatchObject({ firstSeen: T1, lastSeen: T2, open: true });

      expect((await store.runs.list()).map((r) => r.id)).toEqual(['r1']);
      expect(await store.findings.get(hsts.fingerprint)).toBeUndefined();
      expect(await store.findings.get(expired.fingerprint)).toMatchObject({ open: true, lastSeen: T1 });
    });
  });

  describe('queries', () => {
    it('lists runs newest first with counts, and returns a run with its endpoints and findings', async () => {
      const { store } = await open();
      const e1: StoredEndpoint = {
        host: 'www.exemple.fr',
        port: 443,
        assetId: 'portail',
        status: 'assessed',
        checks: { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail' },
      };
      const e2: StoredEndpoint = {
        host: 'api.exemple.fr',
        port: 443,
        status: 'error',
        reason: 'unreachable',
        detail: 'ECONNREFUSED',
        checks: {},
      };
      await store.runs.save(run('r1', T1, [e1], [expired]));
      await store.runs.save({
        ...run('r2', T2, [e1, e2], [expired, hsts]),
        targets: ['www.exemple.fr:443', 'api.exemple.fr'],
      });
      await store.runs.save(run('r3', T3, [], []));

      expect((await store.runs.list()).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect((await store.runs.list(2)).map((r) => r.id)).toEqual(['r3', 'r2']);
      const detail = await store.runs.get('r2');
      expect(detail).toMatchObject({
        id: 'r2',
        startedAt: T2,
        finishedAt: '2025-03-02T02:01:00.000Z',
        scoringVersion: '2025.1',
        targets: ['www.exemple.fr:443', 'api.exemple.fr'],
        endpointCount: 2,
        findingCount: 2,
      });
      expect(detail?.endpoints).toEqual([e1, e2]);
      expect(detail?.findings.map((f) => f.checkId)).toEqual(['tls.cert.expired', 'http.hsts.missing']);
      expect(await store.runs.get('absent')).toBeUndefined();
    });

    it('filters open findings by severity, host (any case) and check, most severe first', async () => {
      const { store } = await open();
      const other = finding('tls.cert.expired', 'api.exemple.fr', 443, { severity: 'critical' });
      const endpoint = assessed('www.exemple.fr', 443, {});
      await store.runs.save(run('r1', T1, [endpoint], [cookieA, hsts, expired, other]));

      expect((await store.findings.listOpen()).map((f) => f.severity)).toEqual([
        'critical',
        'high',
        'medium',
        'low',
      ]);
      expect(
        (await store.findings.listOpen({ severity: ['high', 'critical'] })).map((f) => f.fingerprint),
      ).toEqual([other.fingerprint, expired.fingerprint]);
      expect(await store.findings.listOpen({ host: 'WWW.EXEMPLE.FR' })).toHaveLength(3);
      expect(await store.findings.listOpen({ checkId: 'tls.cert.expired', host: 'api.exemple.fr' })).toEqual([
        { ...other, firstSeen: T1, lastSeen: T1, lastRunId: 'r1', open: true },
      ]);
      expect(await store.findings.listOpen({ severity: [] })).toEqual([]);
      expect(await store.findings.get('unknown')).toBeUndefined();
    });
  });
});

// What only the embedded SQLite has: its file, its PRAGMAs, its WAL and its file lock.
describe('the SQLite store (file, PRAGMA, WAL, lock)', () => {
  let dir: string;
  const opened: Store[] = [];

  function open(dataDir = dir, options?: { busyTimeoutMs?: number }): Store {
    const store = openStore(dataDir, options);
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-store-'));
  });

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data dir and the database, in WAL mode with foreign keys on', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const store = open(dataDir);
    await store.close();
    const file = path.join(dataDir, DATABASE_FILE);
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const tables = db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all()
        .map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['findings', 'run_endpoints', 'run_findings', 'runs']));
    } finally {
      db.close();
    }
  });
  it('applies migrations once: reopening keeps user_version', async () => {
    await open().close();
    await open().close();
    await open().close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });
  it('throws a StorageError naming the path when the data dir is a regular file', () => {
    const notADir = path.join(dir, 'fichier');
    fs.writeFileSync(notADir, 'pas un répertoire');
    let caught: unknown;
    try {
      openStore(notADir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StorageError);
    expect((caught as StorageError).message).toContain(notADir);
    expect((caught as StorageError).hint).toContain('VIGIE_DATA_DIR');
    expect((caught as StorageError).exitCode).toBe(4);
  });
  it('throws a StorageError with a hint when the database file is corrupt', () => {
    fs.writeFileSync(path.join(dir, DATABASE_FILE), Buffer.alloc(8192, 0x5a));
    expect(() => openStore(dir)).toThrow(StorageError);
    try {
      openStore(dir);
    } catch (error) {
      expect((error as StorageError).message).toContain(path.join(dir, DATABASE_FILE));
      expect((error as StorageError).hint).toMatch(/corrompu/);
    }
  });
  it('refuses a database written by a newer vigie', async () => {
    await open().close();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(dir)).toThrow(/plus récente/);
  });

  it('wraps "database is locked" in a StorageError with a hint', async () => {
    const store = open(dir, { busyTimeoutMs: 50 });
    const other = new Database(path.join(dir, DATABASE_FILE));
    try {
      other.exec('BEGIN IMMEDIATE');
      let caught: unknown;
      try {
        await store.runs.save(run('r1', T1, [], []));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StorageError);
      expect((caught as StorageError).message).toContain(path.join(dir, DATABASE_FILE));
      expect((caught as StorageError).hint).toMatch(/verrouillée/);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(await store.runs.list()).toEqual([]);
  });

  it('writes nothing to the database file when previewing a run', async () => {
    const store = open();
    const endpoint = assessed('www.exemple.fr', 443, {
      'tls.cert.expired': 'pass',
      'http.hsts.missing': 'fail',
    });
    await store.runs.save(run('r1', T1, [endpoint], [expired]));
    const file = path.join(dir, DATABASE_FILE);
    const sizeBefore = fs.statSync(file).size + fs.statSync(`${file}-wal`).size;
    await store.runs.preview(run('r2', T2, [endpoint], [hsts]));
    await store.runs.preview(run('r2', T2, [endpoint], [expired]));
    expect(fs.statSync(file).size + fs.statSync(`${file}-wal`).size).toBe(sizeBefore);
  });
});
