import { describe, expect, it } from 'vitest';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run, T1, T2, T3 } from './store-fixtures.js';

const NAME = 'recette.exemple.fr';
const unlisted = finding('inventory.unlisted', NAME, 53, { severity: 'medium' });
const expired = finding('tls.cert.expired', 'www.exemple.fr', 443);
const names = (cls: 'new' | 'known') => [
  {
    name: NAME,
    domain: 'exemple.fr',
    class: cls,
    sources: ['ct' as const],
    details: { addresses: ['192.0.2.1'] },
  },
];

describe.each(storeBackends)('discovery runs in the store (migration 6) ($name)', (backend) => {
  const t = useStoreBackend(backend);

  it('keeps discovery runs out of the scan runs and the latest endpoints, but merges their findings', async () => {
    const { store } = await t.open();
    await store.runs.save(
      run('scan-1', T1, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' })], [expired]),
    );
    const saved = await store.discovery.saveRun(
      run('disc-1', T2, [assessed(NAME, 53, { 'inventory.unlisted': 'fail' })], [unlisted]),
      names('new'),
    );
    expect(saved.findings.map((f) => [f.checkId, f.firstSeen])).toEqual([['inventory.unlisted', T2]]);
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['scan-1']);
    expect((await store.runs.latestEndpoints()).map((e) => `${e.host}:${e.port}`)).toEqual([
      'www.exemple.fr:443',
    ]);
    expect((await store.findings.list({ now: T2 })).map((f) => f.checkId).sort()).toEqual([
      'inventory.unlisted',
      'tls.cert.expired',
    ]);
    expect(await store.discovery.list()).toEqual([
      expect.objectContaining({ name: NAME, class: 'new', firstSeen: T2, lastSeen: T2, lastRunId: 'disc-1' }),
    ]);
  });

  it('keeps the first sighting, accumulates sources, and closes the finding when the check passes', async () => {
    const { store } = await t.open();
    await store.discovery.saveRun(
      run('d1', T1, [assessed(NAME, 53, { 'inventory.unlisted': 'fail' })], [unlisted]),
      names('new'),
    );
    await store.discovery.saveRun(run('d2', T3, [assessed(NAME, 53, { 'inventory.unlisted': 'pass' })], []), [
      { ...names('known')[0]!, sources: ['dns'] },
    ]);
    expect(await store.discovery.list()).toEqual([
      expect.objectContaining({ class: 'known', sources: ['ct', 'dns'], firstSeen: T1, lastSeen: T3 }),
    ]);
    expect((await store.findings.list({ now: T3 })).map((f) => [f.checkId, f.open])).toEqual([
      ['inventory.unlisted', false],
    ]);
    expect(await store.discovery.firstSeenSince(T2)).toEqual([]);
    expect((await store.discovery.firstSeenSince(T1)).map((n) => n.name)).toEqual([NAME]);
  });

  it('tells when the latest discovery ran, and nothing before the first one', async () => {
    const { store } = await t.open();
    await store.runs.save(run('scan-1', T1, [assessed('www.exemple.fr', 443, {})], []));
    expect(await store.discovery.latestRunAt()).toBeUndefined();
    await store.discovery.saveRun(run('d1', T2, [], []), []);
    await store.discovery.saveRun(run('d0', T1, [], []), []);
    expect(await store.discovery.latestRunAt()).toBe(T2);
    expect(await store.discovery.latestRunAt(T2)).toBe(T1);
  });

  it('previews without writing (--no-save)', async () => {
    const { store } = await t.open();
    expect(await store.discovery.preview(T1, 'd0', names('new'))).toEqual([
      expect.objectContaining({ name: NAME, firstSeen: T1 }),
    ]);
    expect(await store.discovery.list()).toEqual([]);
  });
});
