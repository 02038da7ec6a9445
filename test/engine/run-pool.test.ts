import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { planEndpoints, runScan } from '../../src/engine/index.js';
import { runPool } from '../../src/engine/run-pool.js';
import { loadServiceCatalogue } from '../../src/config/index.js';
import { listenForTest } from '../helpers/listen.js';

/** A task the test ends by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('runPool', () => {
  it('starts no more than its size, and reads an item from the iterator only when a runner is free', async () => {
    let pulled = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 10; i++) {
        pulled += 1;
        yield i;
      }
    }
    const running = new Map<number, () => void>();
    const started: number[] = [];
    const pool = runPool(items(), { size: 3 }, (i) => {
      started.push(i);
      const d = deferred();
      running.set(i, d.resolve);
      return d.promise.finally(() => running.delete(i));
    });
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect(pulled).toBe(3);
    running.get(1)!();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pulled).toBe(4);
    expect(running.size).toBe(3);
    while (running.size > 0) {
      for (const end of [...running.values()]) end();
      await settle();
      expect(running.size).toBeLessThanOrEqual(3);
    }
    await pool;
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps a key to its limit while the other keys go ahead, and hands the slot to that key next', async () => {
    const items = ['a1', 'a2', 'a3', 'b1', 'a4', 'b2'];
    const running = new Map<string, () => void>();
    const started: string[] = [];
    const pool = runPool(items, { size: 3, perKey: 2, keyOf: (s) => s[0]! }, (s) => {
      started.push(s);
      const d = deferred();
      running.set(s, d.resolve);
      return d.promise.finally(() => running.delete(s));
    });
    await settle();
    expect(started).toEqual(['a1', 'a2', 'b1']);
    running.get('a1')!();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    running.get('b1')!();
    await settle();
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'b2']);
    while (running.size > 0) {
      for (const end of [...running.values()]) end();
      await settle();
    }
    await pool;
    expect([...started].sort()).toEqual([...items].sort());
  });

  it('starts nothing more after a failure, and throws it once the items in flight have ended', async () => {
    const started: number[] = [];
    const slow = deferred();
    const pool = runPool([0, 1, 2, 3, 4], { size: 2 }, async (i) => {
      started.push(i);
      if (i === 0) throw new Error('échec');
      await slow.promise;
    });
    let settled = false;
    void pool.catch(() => undefined).finally(() => (settled = true));
    await settle();
    expect(started).toEqual([0, 1]);
    expect(settled).toBe(false);
    slow.resolve();
    await expect(pool).rejects.toThrow('échec');
    expect(started).toEqual([0, 1]);
  });
});

describe('runScan in flight', () => {
  it('never has more endpoint observations started and not done than its concurrency', async () => {
    // A service that accepts and never answers: each endpoint stays in flight until its timeout.
    const server = net.createServer(() => undefined);
    const port = await listenForTest(server);
    const catalogue = loadServiceCatalogue(new URL('../../checks/services.yaml', import.meta.url).pathname);
    const entry = { ...catalogue.services.get('redis')!, ports: [port] };
    const plan = planEndpoints(
      Array.from({ length: 12 }, (_, i) => ({ host: `h${i}.vigie.test`, address: '127.0.0.1', port })),
      { categories: ['services'], services: [entry], customChecks: [], adHoc: true },
    );
    expect(plan).toHaveLength(12);
    let inFlight = 0;
    let most = 0;
    let finished = 0;
    await runScan(plan, {
      timeoutMs: 200,
      concurrency: 3,
      perHostConcurrency: 64,
      trustAnchors: [],
      now: () => new Date('2026-12-04T12:00:00Z'),
      expiryDays: 30,
      onEndpointStart: () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
      },
      onEndpointDone: () => {
        inFlight -= 1;
        finished += 1;
      },
      onResults: () => undefined,
    });
    expect(finished).toBe(12);
    expect(most).toBe(3);
  });
});
