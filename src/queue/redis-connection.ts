import type { JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { QueueConnection, QueueTuning } from './index.js';

/** A connection for BullMQ (blocking commands need `maxRetriesPerRequest: null`); errors stay quiet. */
export function openRedis(c: QueueConnection): Redis {
  const redis = new Redis(c.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  return redis;
}

export const queuePrefix = (c: QueueConnection): string => c.prefix ?? 'vigie';

/** Attempts, backoff and retention of a job, as the host jobs of a distributed scan have them. */
export function tunedJobOptions(t: QueueTuning): JobsOptions {
  return {
    attempts: t.attempts ?? 3,
    backoff: { type: 'exponential', delay: t.backoffMs ?? 2000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
