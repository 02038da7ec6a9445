import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run } from './store-fixtures.js';

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

describe.each(storeBackends)('runs saved in batches ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  it('are invisible until finished, then read exactly as a run saved at once', async () => {
    const opened = await open();
    const batched = opened.store;
    await batched.runs.begin(header('r1', T1));
    await batched.runs.append('r1', { endpoints: [web('a.exemple.fr')], findings: [hsts('a.exemple.fr')] });
    await batched.runs.append('r1', {
      endpoints: [web('b.exemple.fr')],
      findings: [hsts('b.exemple.fr'), hsts('a.exemple.fr')],
    });
    // A reader in another connection sees nothing of the running run.
    const reader = await opened.another();
    try {
      expect(await reader.runs.list()).toEqual([]);
      expect(await reader.runs.get('r1')).toBeUndefined();
      expect(await reader.runs.latestEndpoints()).toEqual([]);
      expect(await reader.findings.list({ now: T2 })).toEqual([]);
    } finally {
      await reader.close();
    }
    const records = await batched.runs.finish('r1', { finishedAt: '2025-03-01T02:01:00.000Z' });
    // A fingerprint seen twice is kept once, in the order first seen.
    expect(records.map((r) => r.host)).toEqual(['a.exemple.fr', 'b.exemple.fr']);
    const [summary] = await batched.runs.list();
    expect(summary).toMatchObject({ id: 'r1', endpointCount: 2, findingCount: 2 });
    expect((await batched.runs.get('r1'))?.endpoints.map((e) => e.host)).toEqual([
      'a.exemple.fr',
      'b.exemple.fr',
    ]);
    expect((await batched.findings.list({ now: T2 })).map((f) => f.host).sort()).toEqual([
      'a.exemple.fr',
      'b.exemple.fr',
    ]);

    // A second run in batches closes what its checks no longer see, as `save` does.
    await batched.runs.begin(header('r2', T2));
    await batched.runs.append('r2', {
      endpoints: [web('a.exemple.fr'), assessed('b.exemple.fr', 443, { 'http.hsts.missing': 'pass' })],
      findings: [hsts('a.exemple.fr')],
    });
    await batched.runs.finish('r2', { finishedAt: T2 });
    const open2 = await batched.findings.list({ now: T2, status: ['open'] });
    expect(open2.map((f) => f.host)).toEqual(['a.exemple.fr']);
  });

  it('hand their merged findings page by page to onMerged, the same records finish would return', async () => {
    const { store } = await open();
    const hosts = Array.from({ length: 1203 }, (_, i) => `h${i}.exemple.fr`);
    const fill = async (id: string, startedAt: string) => {
      await store.runs.begin(header(id, startedAt));
      for (let i = 0; i < hosts.length; i += 400) {
        const some = hosts.slice(i, i + 400);
        await store.runs.append(id, { endpoints: some.map(web), findings: some.map(hsts) });
      }
    };
    await fill('r1', T1);
    const returned = await store.runs.finish('r1', { finishedAt: T1 });
    expect(returned).toHaveLength(hosts.length);
    await fill('r2', T2);
    const pages: number[] = [];
    const handed: unknown[] = [];
    const none = await store.runs.finish('r2', {
      finishedAt: T2,
      onMerged: (records) => {
        pages.push(records.length);
        handed.push(...records);
      },
    });
    expect(none).toEqual([]);
    // In pages (of 500 staged findings), never the whole run at once.
    expect(pages.length).toBeGreaterThan(2);
    expect(Math.max(...pages)).toBeLessThan(hosts.length);
    expect(handed).toHaveLength(hosts.length);
    expect(handed).toEqual(returned.map((r) => ({ ...r, lastSeen: T2, lastRunId: 'r2' })));
    const [latest] = await store.runs.list();
    expect(latest).toMatchObject({ id: 'r2', findingCount: hosts.length, endpointCount: hosts.length });
  });

  it('of a failed scan leave nothing behind when abandoned', async () => {
    const { store } = await open();
    await store.runs.save(run('r0', T1, [web('a.exemple.fr')], [expired('a.exemple.fr')]));
    await store.runs.begin(header('r1', T2));
    await store.runs.append('r1', { endpoints: [web('a.exemple.fr')], findings: [hsts('a.exemple.fr')] });
    await store.runs.abandon('r1');
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r0']);
    expect((await store.findings.list({ now: T2 })).map((f) => f.checkId)).toEqual(['tls.cert.expired']);
    await expect(store.runs.finish('r1', { finishedAt: T2 })).rejects.toThrow(/r1/);
  });

  it('left running by a killed process are removed, and the store stays consistent', async () => {
    const opened = await open();
    const { store } = opened;
    await store.runs.save(run('r0', T1, [web('a.exemple.fr')], [expired('a.exemple.fr')]));
    // A child process begins a run, saves a batch, and is killed before finishing it.
    const script = `
      ${opened.childOpen}
      await store.runs.begin({ id: 'tué', startedAt: '${T2}', scoringVersion: '2025.1', targets: ['inventory'] });
      await store.runs.append('tué', { endpoints: [{ host: 'b.exemple.fr', port: 443, status: 'assessed', checks: {} }],
        findings: [] });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    // Never visible, and removed by the next cleanup since its process is gone.
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r0']);
    expect((await store.runs.latestEndpoints()).map((e) => e.host)).toEqual(['a.exemple.fr']);
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(1);
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(0);
    // This process's own running run is kept.
    await store.runs.begin(header('r2', T2));
    expect(await store.runs.removeAbandoned(new Date(T2))).toBe(0);
    await store.runs.finish('r2', { finishedAt: T2 });
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r2', 'r0']);
  });

  it('left running longer than a day are removed even when their pid is alive (pid reuse)', async () => {
    const opened = await open();
    const other = await opened.another();
    try {
      await other.runs.begin(header('vieux', T1));
    } finally {
      await other.close();
    }
    const { store } = opened;
    const hour = 3600_000;
    expect(await store.runs.removeAbandoned(new Date(Date.parse(T1) + hour))).toBe(0);
    expect(await store.runs.removeAbandoned(new Date(Date.parse(T1) + 25 * hour))).toBe(1);
    expect(await store.runs.list()).toEqual([]);
  });
});
