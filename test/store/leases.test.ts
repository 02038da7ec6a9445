import { describe, expect, it } from 'vitest';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';

const T = (minutes: number) =>
  new Date(Date.parse('2026-12-01T10:00:00.000Z') + minutes * 60_000).toISOString();

describe.each(storeBackends)('leases ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  it('lets one owner hold a lease until its time is over, renew it, and give it back', async () => {
    const { store } = await open();
    const a = { owner: 'a', at: T(0), until: T(30) };
    expect(await store.daemon.acquireLease('github-sync', a)).toBeUndefined();
    expect(await store.daemon.acquireLease('github-sync', { owner: 'b', at: T(10), until: T(40) })).toEqual({
      owner: 'a',
      until: T(30),
    });
    // Other names are free.
    expect(
      await store.daemon.acquireLease('digest', { owner: 'b', at: T(10), until: T(40) }),
    ).toBeUndefined();
    // The holder renews.
    expect(
      await store.daemon.acquireLease('github-sync', { owner: 'a', at: T(20), until: T(50) }),
    ).toBeUndefined();
    expect(
      await store.daemon.acquireLease('github-sync', { owner: 'b', at: T(40), until: T(70) }),
    ).toMatchObject({
      owner: 'a',
    });
    // Only its owner gives it back.
    await store.daemon.releaseLease('github-sync', 'b');
    expect(
      await store.daemon.acquireLease('github-sync', { owner: 'b', at: T(41), until: T(70) }),
    ).toMatchObject({
      owner: 'a',
    });
    await store.daemon.releaseLease('github-sync', 'a');
    expect(
      await store.daemon.acquireLease('github-sync', { owner: 'b', at: T(42), until: T(70) }),
    ).toBeUndefined();
  });

  it('frees the lease of a holder that died once its time is over', async () => {
    const { store } = await open();
    await store.daemon.acquireLease('github-sync', { owner: 'dead', at: T(0), until: T(30) });
    expect(
      await store.daemon.acquireLease('github-sync', { owner: 'b', at: T(30), until: T(60) }),
    ).toBeUndefined();
  });

  it('gives a lease to exactly one of many processes asking at once', async () => {
    const first = await open();
    const asks = Array.from({ length: 12 }, (_, i) =>
      first.store.daemon.acquireLease('race', { owner: `p${i}`, at: T(0), until: T(30) }),
    );
    const results = await Promise.all(asks);
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
  });
});
