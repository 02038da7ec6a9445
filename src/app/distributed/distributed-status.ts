import { listJobSchedulers, redactRedisUrl } from '../../queue/index.js';
import { SCHEDULE_PREFIX, SCHEDULED_QUEUES } from './daemon-schedules.js';
import { checkRedis, queueSettings } from './queue-settings.js';

/** One of the daemon's schedulers as Redis holds it. */
export interface DistributedSchedule {
  /** The daemon's job: scan, digest, certificateAlerts, discovery, mailRetry. */
  job: string;
  queue: string;
  pattern?: string;
  timeZone?: string;
  /** Next occurrence, from Redis. */
  nextRunAt?: string;
}

/** What `vigie daemon status` shows of the distributed mode: the schedulers, or why they could not be read. */
export interface DistributedScheduleStatus {
  /** VIGIE_REDIS_URL without its password. */
  redis: string;
  reachable: boolean;
  schedules: DistributedSchedule[];
}

/** The daemon's schedulers in Redis when VIGIE_REDIS_URL is set; undefined otherwise. Never throws. */
export async function distributedSchedules(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DistributedScheduleStatus | undefined> {
  if (!env['VIGIE_REDIS_URL']) return undefined;
  const settings = queueSettings(env);
  const redis = redactRedisUrl(settings.connection.url);
  try {
    await checkRedis(settings);
    const list = await listJobSchedulers(settings.connection, SCHEDULED_QUEUES);
    return {
      redis,
      reachable: true,
      schedules: list
        .filter((s) => s.id.startsWith(SCHEDULE_PREFIX))
        .map((s) => ({
          job: s.id.slice(SCHEDULE_PREFIX.length),
          queue: s.queue,
          ...(s.pattern === undefined ? {} : { pattern: s.pattern }),
          ...(s.tz === undefined ? {} : { timeZone: s.tz }),
          ...(s.next === undefined ? {} : { nextRunAt: new Date(s.next).toISOString() }),
        })),
    };
  } catch {
    return { redis, reachable: false, schedules: [] };
  }
}
