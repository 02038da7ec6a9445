import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/domain/index.js';
import type { StoredEndpoint, StoredFindingInput } from '../../../src/store/index.js';
import { openPgStore } from '../../../src/store/postgres/open-pg-store.js';
import { assessed, finding, run, T1, T2, T3 } from '../store-fixtures.js';
import { TEST_DATABASE_URL, usePgStores } from './pg-fixtures.js';

const t = usePgStores('failures');

/** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function errorOf(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a StorageError');
}

/** `hosts` endpoints × 30 checks, every check failing: a run long enough to be cut in the middle. */
function bigRun(id: string, startedAt: string, hosts: number) {
  const checkIds = Array.from({ length: 30 }, (_, i) => `http.check-${i}`);
  const endpoints: StoredEndpoint[] = [];
  const findings: StoredFindingInput[] = [];
  for (let i = 0; i < hosts; i++) {
    const host = `h${i}.exemple.fr`;
    endpoints.push(assessed(host, 443, Object.fromEntries(checkIds.map((c) => [c, 'fail' as const]))));
    for (const c of checkIds) findings.push(finding(c, host, 443, { details: { n: i, run: id } }));
  }
  return run(id, startedAt, endpoints, findings);
}

describe('PostgreSQL failures', () => {
  it('a refused connection is a StorageError with a hint, the password hidden', async () => {
    const port = await closedPort();
    const url = `postgres://vigie:s3cr3t@127.0.0.1:${port}/vigie`;
    const error = await errorOf(openPgStore(url, { schema: t.schema(), connectTimeoutMs: 2000 }));
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('s3cr3t');
    expect(String(error.hint)).toMatch(/ne répond pas/);
    expect(String(error.hint)).not.toContain('s3cr3t');
  });

  it('an unknown database is a StorageError saying to create it', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/vigie_pgcore_absente';
    const error = await errorOf(openPgStore(url.toString(), { schema: t.schema() }));
    expect(error.exitCode).toBe(4);
    expect(String(error.hint)).toMatch(/createdb/);
  });

  it('a connection lost in the middle of a save leaves nothing of it, and the store usable', async () => {
    const schema = t.schema();
    const store = await t.open(schema);
    await store.runs.save(bigRun('r1', T1, 2));
    const before = {
      runs: await store.runs.list(),
      findings: await store.findings.list({ now: T3 }),
      timeline: await store.findings.timeline(finding('http.check-0', 'h0.exemple.fr', 443).fingerprint),
    };

    // The save holds the history lock of its schema for its whole transaction: its backend is the one to cut.
    const admin = await t.admin();
    const saving = store.runs.save(bigRun('r2', T2, 300));
    const outcome = saving.then(
      () => undefined,
      (error: unknown) => error,
    );
    let killed = false;
    for (let i = 0; i < 200 && !killed; i++) {
      const r = await admin.query<{ pid: number; terminated: boolean }>(
        `SELECT l.pid, pg_terminate_backend(l.pid) AS terminated
         FROM pg_locks l, (SELECT hashtextextended($1, 0) AS k) key
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND l.classid::bigint = ((key.k >> 32) & 4294967295) AND l.objid::bigint = (key.k & 4294967295)`,
        [`vigie.history:${schema}`],
      );
      killed = r.rows.some((row) => row.terminated);
      if (!killed) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(killed).toBe(true);
    const error = await outcome;
    expect(error).toBeInstanceOf(StorageError);
    expect(String((error as StorageError).hint), (error as Error).message).toMatch(/perdue/);

    expect(await store.runs.list()).toEqual(before.runs);
    expect(await store.runs.get('r2')).toBeUndefined();
    expect(await store.findings.list({ now: T3 })).toEqual(before.findings);
    const fp = finding('http.check-0', 'h0.exemple.fr', 443).fingerprint;
    expect(await store.findings.timeline(fp)).toEqual(before.timeline);
    const rows = await admin.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM ${schema}.run_endpoints) + (SELECT count(*) FROM ${schema}.run_findings) AS n`,
    );
    expect(Number(rows.rows[0]?.n)).toBe(2 + 60);

    // The pool gives a working connection afterwards.
    await store.runs.save(bigRun('r2', T2, 2));
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r2', 'r1']);
  });

  it('a NUL character from a server does not stop a save (stored as U+FFFD)', async () => {
    const store = await t.open();
    const cookie = (value: string) =>
      finding('http.cookie.insecure', 'www.exemple.fr', 443, { key: 'a\u0000b', details: { value } });
    const endpoint: StoredEndpoint = {
      ...assessed('www.exemple.fr', 443, { 'http.cookie.insecure': 'fail' }),
      detail: 'bannière\u0000',
    };
    await store.runs.save(run('r1', T1, [endpoint], [cookie('x')]));
    await store.runs.save(run('r2', T2, [endpoint], [cookie('y\u0000')]));
    const [stored] = await store.findings.list({ now: T3 });
    expect(stored?.key).toBe('a\uFFFDb');
    expect(stored?.details).toEqual({ value: 'y\u0000' });
    const changed = (await store.findings.timeline(stored!.fingerprint)).find(
      (e) => e.kind === 'evidence-changed',
    );
    expect(changed?.detail).toContain('\uFFFD');
    expect((await store.runs.get('r2'))?.endpoints[0]?.detail).toBe('bannière\uFFFD');
  });

  it('two processes saving runs at once take turns: history as if saved one after the other', async () => {
    const schema = t.schema();
    const a = await t.open(schema);
    const b = await t.open(schema);
    const shared = finding('http.check-0', 'h0.exemple.fr', 443, { details: { n: 0 } });
    const [ra, rb] = await Promise.all([
      a.runs.save(bigRun('ra', T2, 20)),
      b.runs.save(bigRun('rb', T1, 20)),
    ]);
    expect(ra).toHaveLength(600);
    expect(rb).toHaveLength(600);
    expect((await a.runs.list()).map((r) => r.id)).toEqual(['ra', 'rb']);
    const tracked = await b.findings.list({ now: T3 });
    expect(tracked).toHaveLength(600);
    // Whichever committed first, the newer run's evidence is the current one, the older one's sighting the first.
    expect(tracked.every((f) => f.firstSeen === T1 && f.lastSeen === T2 && f.lastRunId === 'ra')).toBe(true);
    const timeline = await a.findings.timeline(shared.fingerprint);
    expect(timeline.filter((e) => e.kind === 'first-seen')).toEqual([
      { at: T1, kind: 'first-seen', runId: 'rb' },
    ]);
    expect(timeline.filter((e) => e.kind === 'seen').map((e) => e.runId)).toEqual(['rb', 'ra']);
  });
});
