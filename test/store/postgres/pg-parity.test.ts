import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../src/domain/index.js';
import type { Store, StoredEndpoint } from '../../../src/store/index.js';
import { CORE_DDL, CORE_IDENTITIES } from '../../../src/store/postgres/schema/core.js';
import { assessed, finding, run, T1, T2, T3, T4, T5, WWW } from '../store-fixtures.js';
import { pgRows, sqliteColumns, sqliteRows, usePgStores } from './pg-fixtures.js';

const t = usePgStores('parity');

const T0 = '2025-02-28T02:00:00.000Z';
const API = 'api.exemple.fr';
const expired = finding('tls.cert.expired', WWW, 443, { details: { notAfter: '2025-01-01' } });
const hsts = finding('http.hsts.missing', WWW, 443, { severity: 'medium' });
const cookieA = finding('http.cookie.insecure', WWW, 443, { key: 'session', severity: 'low' });
const cookieB = finding('http.cookie.insecure', WWW, 443, { key: 'lang', severity: 'low' });
// No key: listed before the keyed ones of its endpoint and check (NULL first, as SQLite).
const cookie = finding('http.cookie.insecure', WWW, 443, { severity: 'low' });
const csp = finding('http.csp.missing', WWW, 443, { severity: 'medium' });
const apiExpired = finding('tls.cert.expired', API, 443, { severity: 'critical', assetId: 'api' });
const unlisted = finding('inventory.unlisted', 'recette.exemple.fr', 53, { severity: 'medium' });
const fingerprints = [expired, hsts, cookie, cookieA, cookieB, csp, apiExpired, unlisted].map(
  (f) => f.fingerprint,
);

const www = (checks: StoredEndpoint['checks'], host = WWW): StoredEndpoint => ({
  ...assessed(host, 443, checks),
  assetId: 'portail',
  facts: { tls: { notAfter: '2025-01-01', grade: 'B' }, service: 'https' },
});

/** What a call gave: its value, or its error as a caller sees it (class, code, and message unless it names the database). */
async function outcome(call: () => unknown): Promise<unknown> {
  try {
    const value = await call();
    return value === undefined ? { undefined: true } : value;
  } catch (error) {
    if (!(error instanceof VigieError)) return { thrown: String(error) };
    const code = (error as { code?: unknown }).code;
    return {
      error: error.name,
      exitCode: error.exitCode,
      ...(code === undefined ? {} : { code }),
      ...(error.name === 'StorageError' ? {} : { message: error.message }),
    };
  }
}

type Call = (label: string, fn: () => unknown) => Promise<void>;

function recorder(out: unknown[]): Call {
  return async (label, fn) => {
    out.push([label, await outcome(fn)]);
  };
}

/** Every reader of the core repositories, on what `history` leaves. */
async function readers(store: Store, call: Call): Promise<void> {
  const AT = '2025-03-01T10:00:00.000Z';
  await call('runs list', () => store.runs.list());
  await call('runs list 2', () => store.runs.list(2));
  await call('runs list 0', () => store.runs.list(0));
  for (const id of ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'd1', 'absent'])
    await call(`get ${id}`, () => store.runs.get(id));
  await call('latest endpoints', () => store.runs.latestEndpoints());
  await call('open', () => store.findings.listOpen());
  await call('open high', () => store.findings.listOpen({ severity: ['high', 'critical'] }));
  await call('open host', () =>
    store.findings.listOpen({ host: 'WWW.EXEMPLE.FR', checkId: 'http.cookie.insecure' }),
  );
  await call('open none', () => store.findings.listOpen({ severity: [] }));
  for (const now of [T1, AT, T2, T3, T5]) await call(`list ${now}`, () => store.findings.list({ now }));
  await call('list statuses', () => store.findings.list({ now: T4, status: ['open', 'waived', 'new'] }));
  await call('list resolved', () => store.findings.list({ now: T4, status: ['resolved'] }));
  await call('list assets', () =>
    store.findings.list({ now: T4, assetIds: ['api'], severity: ['critical'] }),
  );
  await call('list host', () => store.findings.list({ now: T4, host: 'Www.exemple.fr' }));
  await call('list bad now', () => store.findings.list({ now: 'demain' }));
  for (const fp of fingerprints) {
    await call(`get ${fp}`, () => store.findings.get(fp));
    await call(`tracked ${fp}`, () => store.findings.getTracked(fp, T4));
    await call(`timeline ${fp}`, () => store.findings.timeline(fp));
  }
  await call('timeline unknown', () => store.findings.timeline('inconnu'));
  await call('changes', () => store.findings.changedBetween(T1, T3));
  await call('changes later', () => store.findings.changedBetween(T3, T5));
  await call('waivers', () => store.waivers.list());
  await call('waivers active', () => store.waivers.list({ state: ['active', 'withdrawn'] }));
  await call('waivers none', () => store.waivers.list({ state: [] }));
}

/** A history touching every core repository method; every answer, in order. */
async function history(store: Store): Promise<unknown[]> {
  const out: unknown[] = [];
  const call = recorder(out);
  const AT = '2025-03-01T10:00:00.000Z';
  await call('save r1', () =>
    store.runs.save({
      ...run(
        'r1',
        T1,
        [
          www({ 'tls.cert.expired': 'fail', 'http.hsts.missing': 'fail', 'http.cookie.insecure': 'fail' }),
          assessed(API, 443, { 'tls.cert.expired': 'fail' }),
        ],
        [expired, hsts, cookieA, cookie, cookieB, apiExpired],
      ),
      posture: { score: 61.5, grade: 'C' } as never,
      targets: ['inventory', 'www.exemple.fr:443'],
    }),
  );
  await call('waive expired', () =>
    store.waivers.waive(expired.fingerprint, { reason: 'refonte', until: '2025-06-30', by: 'rssi', at: AT }),
  );
  await call('waive cookieA', () =>
    store.waivers.waive(cookieA.fingerprint, { reason: 'tiers', until: '2025-03-03', by: 'dsi', at: AT }),
  );
  await call('waive unknown', () =>
    store.waivers.waive('inconnu', { reason: 'x', until: '2025-06-30', by: 'rssi', at: AT }),
  );
  await call('waive bad until', () =>
    store.waivers.waive(hsts.fingerprint, { reason: 'x', until: '2027-01-01', by: 'rssi', at: AT }),
  );
  await call('preview r2', () =>
    store.runs.preview(run('r2', T2, [], [{ ...expired, details: { notAfter: '2025-01-02' } }, csp])),
  );
  // Upper case host: the same endpoint (NOCASE); expired's evidence changes (its waiver lapses).
  await call('save r2', () =>
    store.runs.save(
      run(
        'r2',
        T2,
        [
          www(
            { 'tls.cert.expired': 'fail', 'http.hsts.missing': 'pass', 'http.cookie.insecure': 'fail' },
            'WWW.Exemple.FR',
          ),
          {
            host: API,
            port: 443,
            status: 'timeout',
            reason: 'timeout',
            detail: 'pas de réponse',
            checks: {},
          },
        ],
        [{ ...expired, details: { notAfter: '2025-01-02' } }, cookieB, csp],
      ),
    ),
  );
  await call('save r2 again', () => store.runs.save(run('r2', T2, [], [])));
  await call('save duplicate finding', () => store.runs.save(run('rx', T2, [], [csp, csp])));
  await call('save bad date', () => store.runs.save(run('ry', 'hier', [], [])));
  await call('late r0', () =>
    store.runs.save(
      run('r0', T0, [www({ 'tls.cert.expired': 'fail' })], [{ ...expired, details: { notAfter: 'old' } }]),
    ),
  );
  await call('save r3', () =>
    store.runs.save(
      run(
        'r3',
        T3,
        [
          www({ 'http.hsts.missing': 'fail', 'http.csp.missing': 'pass' }),
          assessed(API, 443, { 'tls.cert.expired': 'pass' }),
        ],
        [hsts],
      ),
    ),
  );
  await call('waive hsts', () =>
    store.waivers.waive(hsts.fingerprint, { reason: 'a', until: '2025-05-01', by: 'rssi', at: T3 }),
  );
  await call('waive hsts again', () =>
    store.waivers.waive(hsts.fingerprint, { reason: 'b', until: '2025-09-01', by: 'dsi', at: T4 }),
  );
  await call('unwaive hsts', () =>
    store.waivers.unwaive(hsts.fingerprint, { by: 'rssi', at: T4, reason: 'fini' }),
  );
  await call('unwaive hsts again', () => store.waivers.unwaive(hsts.fingerprint, { by: 'rssi', at: T4 }));
  await call('unwaive unknown', () => store.waivers.unwaive('inconnu', { by: 'rssi', at: T4 }));
  await call('waive csp', () =>
    store.waivers.waive(expired.fingerprint, { reason: 'encore', until: '2025-03-20', by: 'rssi', at: T3 }),
  );
  await call('expire T4', () => store.waivers.expire(T4));
  await call('expire later', () => store.waivers.expire('2025-04-01T00:00:00Z'));
  await call('expire again', () => store.waivers.expire('2025-04-01T00:00:00Z'));

  // A run saved in batches, and one abandoned.
  await call('begin r4', () =>
    store.runs.begin({ id: 'r4', startedAt: T4, scoringVersion: '2025.1', targets: ['x'] }),
  );
  await call('append r4 a', () =>
    store.runs.append('r4', {
      endpoints: [www({ 'http.cookie.insecure': 'fail' })],
      findings: [cookieB, cookieA],
    }),
  );
  await call('append r4 b', () =>
    store.runs.append('r4', {
      endpoints: [assessed(API, 443, { 'tls.cert.expired': 'fail' })],
      findings: [apiExpired, { ...cookieA, severity: 'high' }],
    }),
  );
  await call('list while running', () => store.runs.list());
  await call('finish r4', () => store.runs.finish('r4', { finishedAt: T4, posture: { score: 70 } as never }));
  await call('finish r4 again', () => store.runs.finish('r4', { finishedAt: T4 }));
  await call('begin r5', () =>
    store.runs.begin({ id: 'r5', startedAt: T5, scoringVersion: '2025.1', targets: [] }),
  );
  await call('append r5', () => store.runs.append('r5', { endpoints: [www({})], findings: [csp] }));
  await call('abandon r5', () => store.runs.abandon('r5'));
  await call('append unknown', () => store.runs.append('r5', { endpoints: [], findings: [] }));
  await call('removeAbandoned', () => store.runs.removeAbandoned(new Date(T5)));

  // Discovery.
  const name = (n: string, cls: 'new' | 'known', sources: ('ct' | 'dns')[]) => ({
    name: n,
    domain: 'exemple.fr',
    class: cls,
    sources,
    details: { addresses: ['192.0.2.1'] },
  });
  await call('discovery preview', () =>
    store.discovery.preview(T3, 'd0', [name('Recette.Exemple.fr', 'new', ['ct'])]),
  );
  await call('discovery d1', () =>
    store.discovery.saveRun(
      run('d1', T3, [assessed('recette.exemple.fr', 53, { 'inventory.unlisted': 'fail' })], [unlisted]),
      [name('Recette.Exemple.fr', 'new', ['dns']), name('b.exemple.fr', 'new', ['ct'])],
    ),
  );
  await call('discovery d0 late', () =>
    store.discovery.saveRun(run('d0', T1, [], []), [name('RECETTE.exemple.fr', 'known', ['ct'])]),
  );
  await call('discovery d2', () =>
    store.discovery.saveRun(
      run('d2', T5, [assessed('recette.exemple.fr', 53, { 'inventory.unlisted': 'pass' })], []),
      [name('a.exemple.fr', 'known', ['ct'])],
    ),
  );
  await call('discovery list', () => store.discovery.list());
  await call('discovery since', () => store.discovery.firstSeenSince(T3));
  await call('discovery latest', () => store.discovery.latestRunAt());
  await call('discovery latest before', () => store.discovery.latestRunAt(T5));
  await call('discovery preview again', () =>
    store.discovery.preview(T4, 'd9', [name('recette.exemple.FR', 'known', ['dns'])]),
  );

  await readers(store, call);
  return out;
}

const COPY_ORDER = [
  'runs',
  'run_endpoints',
  'findings',
  'run_findings',
  'finding_events',
  'waivers',
  'discovered_names',
  'run_staged_findings',
];

/** Core tables with the order their rows are compared in (a primary key, the same bytes on both). */
const TABLES: [string, string][] = [
  ['runs', 'id'],
  ['run_endpoints', 'run_id, seq'],
  ['findings', 'fingerprint'],
  ['run_findings', 'run_id, fingerprint'],
  // Per finding, in the order written (ids across findings may differ: closures of one endpoint and
  // check are written by fingerprint here, by insertion in SQLite; no reader sees that order).
  ['finding_events', 'fingerprint, id'],
  ['waivers', 'id'],
  ['discovered_names', 'name'],
  ['run_staged_findings', 'run_id, seq'],
];

/** A run over `hosts` endpoints × 30 checks: findings for the checks that fail, details varying with `n`. */
function wide(
  id: string,
  startedAt: string,
  hosts: number,
  failing: (host: number, check: number) => boolean,
  n = 0,
) {
  const endpoints: StoredEndpoint[] = [];
  const findings: ReturnType<typeof finding>[] = [];
  for (let h = 0; h < hosts; h++) {
    const host = h % 7 === 0 ? `H${h}.Exemple.FR` : `h${h}.exemple.fr`;
    const checks: StoredEndpoint['checks'] = {};
    for (let c = 0; c < 30; c++) {
      const fails = failing(h, c);
      checks[`http.check-${c}`] = fails ? 'fail' : 'pass';
      if (fails)
        findings.push(finding(`http.check-${c}`, `h${h}.exemple.fr`, 443, { details: { n: (h + n) % 3 } }));
    }
    endpoints.push(assessed(host, 443, checks));
  }
  return run(id, startedAt, endpoints, findings);
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row[c]]));
}

describe('the PostgreSQL store against SQLite', () => {
  it('answers every call of a history exactly as SQLite does', async () => {
    const sqlite = t.openSqlite();
    const expected = await history(sqlite.store);
    const actual = await history(await t.open());
    // Sanity: the history exercised errors and results alike.
    expect(JSON.stringify(expected)).toContain('WaiverError');
    expect(JSON.stringify(expected)).toContain('"regressed"');
    expect(JSON.stringify(expected)).toContain('"waiver-lapsed"');
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toEqual(expected[i]);
    expect(actual).toHaveLength(expected.length);
  });

  it('answers alike for runs larger than a batch, saved at once or in batches', async () => {
    const calls = async (store: Store): Promise<unknown[]> => {
      const out: unknown[] = [];
      out.push(await store.runs.save(wide('w1', T1, 120, () => true)));
      out.push(await store.runs.save(wide('w2', T2, 120, (h, c) => (h + c) % 2 === 0, 1)));
      await store.runs.begin({ id: 'w3', startedAt: T3, scoringVersion: '2025.1', targets: [] });
      const w3 = wide('w3', T3, 120, (h, c) => (h + c) % 3 !== 0, 2);
      for (let i = 0; i < 120; i += 50) {
        await store.runs.append('w3', {
          endpoints: w3.endpoints.slice(i, i + 50),
          findings: w3.findings.filter((f) =>
            w3.endpoints.slice(i, i + 50).some((e) => e.host.toLowerCase() === f.host),
          ),
        });
      }
      out.push(await store.runs.finish('w3', { finishedAt: T4 }));
      out.push(await store.findings.list({ now: T4 }));
      out.push(await store.findings.changedBetween(T2, T3));
      out.push(await store.runs.get('w2'));
      out.push(await store.runs.get('w3'));
      out.push(await store.runs.latestEndpoints());
      return out;
    };
    const expected = await calls(t.openSqlite().store);
    const actual = await calls(await t.open());
    expect((expected[2] as unknown[]).length).toBeGreaterThan(1000);
    for (let i = 0; i < expected.length; i++) expect(actual[i], String(i)).toEqual(expected[i]);
  });

  it('takes a straight row copy of a SQLite store, and carries on as SQLite does', async () => {
    const sqlite = t.openSqlite();
    await history(sqlite.store);
    const schema = t.schema();
    await (await t.open(schema)).close();
    const admin = await t.admin();
    // Parents first; SQLite's implicit rowid is run_findings' order.
    for (const [table, order] of TABLES.slice().sort(
      (a, b) => COPY_ORDER.indexOf(a[0]) - COPY_ORDER.indexOf(b[0]),
    )) {
      const rows = sqliteRows(sqlite.file, table, order, table === 'run_findings' ? 'rowid, *' : '*');
      await admin.query(
        `INSERT INTO ${schema}.${table} SELECT * FROM json_populate_recordset(NULL::${schema}.${table}, $1)`,
        [JSON.stringify(rows)],
      );
    }
    for (const [table, column] of CORE_IDENTITIES) {
      await admin.query(
        `SELECT setval(pg_get_serial_sequence('${schema}.${table}', '${column}'), max(${column})) FROM ${schema}.${table}`,
      );
    }
    const copied = await t.open(schema);
    const then = async (store: Store): Promise<unknown[]> => {
      const out: unknown[] = [];
      const call = recorder(out);
      await readers(store, call);
      await call('save r7', () =>
        store.runs.save(
          run(
            'r7',
            '2025-03-07T02:00:00.000Z',
            [www({ 'http.cookie.insecure': 'pass', 'tls.cert.expired': 'fail' })],
            [expired],
          ),
        ),
      );
      await call('waive', () =>
        store.waivers.waive(expired.fingerprint, {
          reason: 'r',
          until: '2025-05-01',
          by: 'x',
          at: '2025-03-07T03:00:00Z',
        }),
      );
      await readers(store, call);
      return out;
    };
    const expected = await then(sqlite.store);
    const actual = await then(copied);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toEqual(expected[i]);
    expect(actual).toHaveLength(expected.length);
  });

  it('leaves in each table the rows SQLite leaves, column for column (a row copy moves them as is)', async () => {
    const sqlite = t.openSqlite();
    await history(sqlite.store);
    const schema = t.schema();
    await history(await t.open(schema));
    // A running run has staged findings: compare them too.
    for (const s of [sqlite.store, await t.open(schema)]) {
      await s.runs.begin({ id: 'r6', startedAt: T5, scoringVersion: '2025.1', targets: [] });
      await s.runs.append('r6', { endpoints: [www({})], findings: [csp, hsts] });
    }
    const admin = await t.admin();
    expect(TABLES.map(([table]) => table).sort()).toEqual(
      CORE_DDL.flatMap((ddl) => /^CREATE TABLE (\w+)/.exec(ddl)?.[1] ?? []).sort(),
    );
    for (const [table, order] of TABLES) {
      const columns = sqliteColumns(sqlite.file, table);
      const kept = table === 'finding_events' ? columns.filter((c) => c !== 'id') : columns;
      const expected = sqliteRows(sqlite.file, table, order).map((row) => pick(row, kept));
      expect(expected.length, table).toBeGreaterThan(0);
      const actual = (await pgRows(admin, schema, table, columns, order)).map((row) => pick(row, kept));
      expect(actual, table).toEqual(expected);
      // The same columns, in the same order (PostgreSQL's run_findings has `rowid` at the end).
      const pgColumns = await admin.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
         ORDER BY ordinal_position`,
        [schema, table],
      );
      expect(
        pgColumns.rows.map((c) => c.column_name).filter((c) => c !== 'rowid'),
        table,
      ).toEqual(columns);
    }
  });
});
