/**
 * A counting semaphore per target address, shared by every worker of a fleet through Redis: at most
 * `limit` holders of one address at once. Each slot is a lease: a sorted-set member whose score is
 * its expiry; its holder renews it while it runs, and a holder that dies (SIGKILL, machine lost)
 * stops renewing, so its slot is free again once the lease has run out, never held forever.
 * The clock is Redis's (`TIME`), the same for every worker.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { QueueConnection } from './index.js';

// KEYS[1]: the address's set; ARGV: member, limit, lease ms. 1 when taken, 0 when full.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0`;

// KEYS[1]: the address's set; ARGV: member, lease ms. 1 when renewed, 0 when the lease was lost.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
if renewed == 1 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return renewed`;

interface SemaphoreCommands {
  vigieSlotAcquire(key: string, member: string, limit: number, leaseMs: number): Promise<number>;
  vigieSlotRenew(key: string, member: string, leaseMs: number): Promise<number>;
}

export interface TargetSemaphoreOptions {
  /** Holders of one address at once, fleet-wide. */
  limit: number;
  /** How long a slot outlives its holder's last renewal (renewed every third of it). */
  leaseMs: number;
  /** Longest pause between two tries while the address is full (default 100 ms; the first is 5 ms). */
  maxPollMs?: number;
}

/** Takes and gives back the slots of addresses; `close` disconnects (slots still held are released). */
export interface TargetSemaphore {
  /** Waits for a slot of `address`; resolves to its release. Rejects when `signal` aborts. */
  acquire(address: string, signal?: AbortSignal): Promise<() => void>;
  /** Slots of `address` held now, fleet-wide (expired ones excluded). */
  held(address: string): Promise<number>;
  close(): Promise<void>;
}

/** Where the slots of an address live: `<prefix>:fleet:target:<address>`. */
export const targetKey = (prefix: string, address: string) => `${prefix}:fleet:target:${address}`;

export function targetSemaphore(c: QueueConnection, opts: TargetSemaphoreOptions): TargetSemaphore {
  const redis = new Redis(c.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  redis.defineCommand('vigieSlotAcquire', { numberOfKeys: 1, lua: ACQUIRE });
  redis.defineCommand('vigieSlotRenew', { numberOfKeys: 1, lua: RENEW });
  const cmd = redis as unknown as Redis & SemaphoreCommands;
  const prefix = c.prefix ?? 'vigie';
  const owner = randomBytes(6).toString('hex');
  const maxPollMs = opts.maxPollMs ?? 100;
  let count = 0;
  /** Slots held by this process, renewed together. */
  const holding = new Map<string, string>();
  const renewal = setInterval(
    () => {
      for (const [member, key] of holding) {
        void cmd.vigieSlotRenew(key, member, opts.leaseMs).catch(() => undefined);
      }
    },
    Math.max(50, Math.floor(opts.leaseMs / 3)),
  );
  renewal.unref();

  return {
    acquire: async (address, signal) => {
      const key = targetKey(prefix, address);
      const member = `${owner}:${(count += 1)}`;
      let pause = 5;
      for (;;) {
        signal?.throwIfAborted();
        if ((await cmd.vigieSlotAcquire(key, member, opts.limit, opts.leaseMs)) === 1) break;
        // Jitter: the workers waiting for one address do not all come back at the same instant.
        await sleep(pause / 2 + Math.random() * pause, undefined, signal ? { signal } : undefined);
        pause = Math.min(maxPollMs, pause * 2);
      }
      holding.set(member, key);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holding.delete(member);
        void redis.zrem(key, member).catch(() => undefined);
      };
    },
    held: async (address) => {
      const key = targetKey(prefix, address);
      const [s, us] = await redis.time();
      const ms = Number(s) * 1000 + Math.floor(Number(us) / 1000);
      return redis.zcount(key, `(${ms}`, '+inf');
    },
    close: async () => {
      clearInterval(renewal);
      const held = [...holding];
      holding.clear();
      await Promise.all(held.map(([member, key]) => redis.zrem(key, member).catch(() => undefined)));
      redis.disconnect();
    },
  };
}
