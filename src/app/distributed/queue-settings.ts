import { OperationalError, UsageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { pingRedis, redactRedisUrl, type QueueConnection, type QueueTuning } from '../../queue/index.js';

/** The Redis of distributed scanning (VIGIE_REDIS_URL), its key prefix and timings. */
export interface QueueSettings {
  connection: QueueConnection;
  tuning: QueueTuning;
  /** How often a worker beats, and how long its beat is kept. */
  heartbeatMs: number;
  /** Longest run of one host job (VIGIE_QUEUE_JOB_TIMEOUT_MS, 15 min by default). */
  jobTimeoutMs: number;
  /** How long a connection slot outlives a worker that died holding it (VIGIE_FLEET_LEASE_MS, 30 s). */
  fleetLeaseMs: number;
}

const intOf = (text: string | undefined): number | undefined => {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * From the environment: VIGIE_REDIS_URL (required), VIGIE_QUEUE_PREFIX (`vigie`), and the timings
 * VIGIE_QUEUE_ATTEMPTS, VIGIE_QUEUE_BACKOFF_MS, VIGIE_QUEUE_LOCK_MS, VIGIE_QUEUE_STALLED_MS (tests
 * shorten them).
 */
export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const url = env['VIGIE_REDIS_URL'];
  if (!url) {
    throw new UsageError(msg('cli.worker.error.no-redis'), { hint: msg('cli.worker.error.no-redis.hint') });
  }
  const tuning: QueueTuning = {};
  const attempts = intOf(env['VIGIE_QUEUE_ATTEMPTS']);
  const backoffMs = intOf(env['VIGIE_QUEUE_BACKOFF_MS']);
  const lockMs = intOf(env['VIGIE_QUEUE_LOCK_MS']);
  const stalledIntervalMs = intOf(env['VIGIE_QUEUE_STALLED_MS']);
  if (attempts !== undefined) tuning.attempts = attempts;
  if (backoffMs !== undefined) tuning.backoffMs = backoffMs;
  if (lockMs !== undefined) tuning.lockMs = lockMs;
  if (stalledIntervalMs !== undefined) tuning.stalledIntervalMs = stalledIntervalMs;
  return {
    connection: { url, prefix: env['VIGIE_QUEUE_PREFIX'] || 'vigie' },
    tuning,
    heartbeatMs: intOf(env['VIGIE_WORKER_HEARTBEAT_MS']) ?? 5000,
    jobTimeoutMs: intOf(env['VIGIE_QUEUE_JOB_TIMEOUT_MS']) ?? 15 * 60_000,
    fleetLeaseMs: intOf(env['VIGIE_FLEET_LEASE_MS']) ?? 30_000,
  };
}

/** Fails early, with a clear message (password hidden), when Redis does not answer. */
export async function checkRedis(settings: QueueSettings): Promise<void> {
  try {
    await pingRedis(settings.connection);
  } catch (error) {
    throw new OperationalError(
      msg('cli.worker.error.redis-down', {
        url: redactRedisUrl(settings.connection.url),
        reason: error instanceof Error ? error.message : String(error),
      }),
      { hint: msg('cli.worker.error.redis-down.hint') },
    );
  }
}
