import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { clearFleetLimits, fleetRate, targetKey, targetSemaphore } from '../../src/queue/index.js';

const REDIS_URL = process.env['VIGIE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Keys of this file only, removed at the end.
const connection = { url: REDIS_URL, prefix: `vigie-test-fleet-redis-${process.pid}` };
afterAll(() => clearFleetLimits(connection), 10_000);

const settled = async (p: Promise<unknown>) =>
  Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]);

describe('the fleet limits in Redis', () => {
  it('gives K slots of an address at once, the next one once a slot is given back', async () => {
    const slots = targetSemaphore(connection, { limit: 2, leaseMs: 30_000 });
    onTestFinished(() => slots.close());
    const a = await slots.acquire('192.0.2.1');
    const b = await slots.acquire('192.0.2.1');
    // Another address has its own slots.
    (await slots.acquire('192.0.2.2'))();
    expect(await slots.held('192.0.2.1')).toBe(2);
    const third = slots.acquire('192.0.2.1');
    expect(await settled(third)).toBe(false);
    a();
    const c = await third;
    expect(await slots.held('192.0.2.1')).toBe(2);
    b();
    c();
    await new Promise((r) => setTimeout(r, 50));
    expect(await slots.held('192.0.2.1')).toBe(0);
  });

  it('frees the slot of a holder that died once its lease has run out, never before', async () => {
    const slots = targetSemaphore(connection, { limit: 1, leaseMs: 30_000 });
    onTestFinished(() => slots.close());
    // A holder that died: its member is there, with an expiry 600 ms from now, and nobody renews it.
    const redis = new Redis(REDIS_URL);
    onTestFinished(() => void redis.disconnect());
    const [s, us] = await redis.time();
    const now = Number(s) * 1000 + Math.floor(Number(us) / 1000);
    await redis.zadd(targetKey(connection.prefix, '192.0.2.3'), now + 600, 'dead:1');
    const waiting = slots.acquire('192.0.2.3');
    expect(await settled(waiting)).toBe(false);
    // Bounded: the lease runs out on Redis's clock.
    const release = await Promise.race([
      waiting,
      new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('slot never freed')), 5000)),
    ]);
    release();
  });

  it('renews the leases of the slots it holds', async () => {
    const slots = targetSemaphore(connection, { limit: 1, leaseMs: 300 });
    onTestFinished(() => slots.close());
    const release = await slots.acquire('192.0.2.4');
    // Three leases later, still held (renewed every 100 ms).
    await new Promise((r) => setTimeout(r, 900));
    expect(await slots.held('192.0.2.4')).toBe(1);
    release();
  });

  it('spaces the takes of the fleet rate evenly', async () => {
    const rate = fleetRate(connection, 20);
    onTestFinished(() => rate.close());
    const redis = new Redis(REDIS_URL);
    onTestFinished(() => void redis.disconnect());
    const redisNow = async () => {
      const [s, us] = await redis.time();
      return Number(s) * 1000 + Number(us) / 1000;
    };
    const before = await redisNow();
    for (let i = 0; i < 6; i++) await rate.take();
    const after = await redisNow();
    // 20 per second: six takes span five intervals of 50 ms at least, on Redis's clock (asked
    // before the first and after the last, any delay only lengthens the span).
    expect(after - before).toBeGreaterThanOrEqual(250);
  });
});
