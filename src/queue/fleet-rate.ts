/**
 * A rate shared by every worker of a fleet through Redis: at most `perSecond` takes per second,
 * spaced evenly (generic cell rate algorithm: one key holds the theoretical time of the next take;
 * no burst beyond one). In any window of W seconds, at most ⌊W × perSecond⌋ + 1 takes succeed.
 * The clock is Redis's (`TIME`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { QueueConnection } from './index.js';

// KEYS[1]: the rate's key; ARGV: interval in µs. 0 when taken, else the µs to wait before trying again.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then return tat - now end
redis.call('SET', KEYS[1], string.format('%.0f', now + interval), 'PX', math.ceil(interval / 1000) + 1000)
return 0`;

interface RateCommands {
  vigieRateTake(key: string, intervalUs: number): Promise<number>;
}

/** Takes one unit of the fleet's rate, waiting as long as needed. */
export interface FleetRate {
  /** Resolves once a take is allowed. Rejects when `signal` aborts. */
  take(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Where the rate lives: `<prefix>:fleet:rate`. */
export const rateKey = (prefix: string) => `${prefix}:fleet:rate`;

export function fleetRate(c: QueueConnection, perSecond: number): FleetRate {
  const redis = new Redis(c.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  redis.defineCommand('vigieRateTake', { numberOfKeys: 1, lua: TAKE });
  const cmd = redis as unknown as Redis & RateCommands;
  const key = rateKey(c.prefix ?? 'vigie');
  const intervalUs = Math.max(1, Math.round(1_000_000 / perSecond));
  return {
    take: async (signal) => {
      for (;;) {
        signal?.throwIfAborted();
        const waitUs = await cmd.vigieRateTake(key, intervalUs);
        if (waitUs === 0) return;
        // Others wait too: a little jitter spreads the retries.
        const ms = waitUs / 1000 + Math.random() * Math.min(20, intervalUs / 4000);
        await sleep(ms, undefined, signal ? { signal } : undefined);
      }
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

/** Removes the fleet's limits (slots and rate) under this prefix: tests and benches, at their end. */
export async function clearFleetLimits(c: QueueConnection): Promise<void> {
  const redis = new Redis(c.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${c.prefix ?? 'vigie'}:fleet:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
