import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessed, finding, run } from '../store-fixtures.js';
import { TEST_DATABASE_URL, usePgStores } from './pg-fixtures.js';

const t = usePgStores('streamed');

const T1 = '2025-03-01T02:00:00.000Z';
const T2 = '2025-03-02T02:00:00.000Z';
const header = (id: string, startedAt: string) => ({
  id,
  startedAt,
  scoringVersion: '2025.1',
  targets: ['inventory'],
});
const hsts = (host: string) => finding('http.hsts.missing', host, 443, { severity: 'medium' });
const expired = (host: string) => finding('tls.cert.expired', host, 443);
const web = (host: string) =>
  assessed(host, 443, { 'http.hsts.missing': 'fail', 'tls.cert.expired': 'pass' });

describe('runs saved in batches on PostgreSQL', () => {
  it('are invisible to another process until finished', async () => {
    const schema = t.schema();
    const writer = await t.open(schema);
    const reader = await t.open(schema);
    await writer.runs.begin(header('r1', T1));
    await writer.runs.append('r1', { endpoints: [web('a.exemple.fr')], findings: [hsts('a.exemple.fr')] });
    expect(await reader.runs.list()).toEqual([]);
    expect(await reader.runs.get('r1')).toBeUndefined();
    expect(await reader.runs.latestEndpoints()).toEqual([]);
    expect(await reader.findings.list({ now: T2 })).toEqual([]);
    // Another process cannot clean up a run it did not begin while its owner lives; it may finish
    // it (distributed scanning: a worker's finishing job closes the run).
    expect(await reader.runs.removeAbandoned(new Date(T1))).toBe(0);
    await reader.runs.finish('r1', { finishedAt: T2 });
    expect((await reader.runs.list()).map((r) => r.id)).toEqual(['r1']);
    expect((await reader.findings.list({ now: T2 })).map((f) => f.host)).toEqual(['a.exemple.fr']);
  });

  it('left running by a killed process are removed, and the store stays consistent', async () => {
    const schema = t.schema();
    const store = await t.open(schema);
    await store.runs.save(run('r0', T1, [web('a.exemple.fr')], [expired('a.exemple.fr')]));
    // A child process begins a run, saves a batch, and is killed before finishing it.
    const script = `
      import { openPgStore } from ${JSON.stringify(path.resolve('src/store/postgres/open-pg-store.ts'))};
      const store = await openPgStore(process.argv[1], { schema: process.argv[2] });
      await store.runs.begin({ id: 'tué', startedAt: '${T2}', scoringVersion: '2025.1', targets: ['inventory'] });
      await store.runs.append('tué', { endpoints: [{ host: 'b.exemple.fr', port: 443, status: 'assessed', checks: {} }],
        findings: [] });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, TEST_DATABASE_URL, schema],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const admin = await t.admin();
    const running = await admin.query(`SELECT id FROM ${schema}.runs WHERE status = 'running'`);
    expect(running.rows).toEqual([{ id: 'tué' }]);
    // Never visible, and removed by the next cleanup since its process is gone.
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r0']);
    expect((await store.runs.latestEndpoints()).map((e) => e.host)).toEqual(['a.exemple.fr']);
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(1);
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(0);
    const left = await admin.query(
      `SELECT (SELECT count(*) FROM ${schema}.run_endpoints WHERE run_id = 'tué') AS n`,
    );
    expect(Number((left.rows[0] as { n: string }).n)).toBe(0);
    // This process's own running run is kept.
    await store.runs.begin(header('r2', T2));
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(0);
    await store.runs.finish('r2', { finishedAt: T2 });
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r2', 'r0']);
  });

  it('left running longer than a day are removed even when their pid is alive (pid reuse)', async () => {
    const schema = t.schema();
    const other = await t.open(schema);
    await other.runs.begin(header('vieux', T1));
    const store = await t.open(schema);
    const hour = 3600_000;
    expect(await store.runs.removeAbandoned(new Date(Date.parse(T1) + hour))).toBe(0);
    expect(await store.runs.removeAbandoned(new Date(Date.parse(T1) + 25 * hour))).toBe(1);
    expect(await store.runs.list()).toEqual([]);
  });
});
