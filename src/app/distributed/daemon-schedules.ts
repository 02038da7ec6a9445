import { loadConfig, type VigieConfig } from '../../config/index.js';
import { nextCronRun } from '../../cron/index.js';
import type { Severity } from '../../domain/index.js';
import type { JobSchedulerSpec, NextRun, QueueName } from '../../queue/index.js';
import { organisationTimeZone } from '../shared/organisation-time.js';

/** Ids of the daemon's schedulers in Redis: `daemon.scan`, `daemon.digest` … (the daemon owns the prefix). */
export const SCHEDULE_PREFIX = 'daemon.';

/** Failed mails are retried every 5 minutes (the daemon's own timer when it runs alone). */
export const MAIL_RETRY_PATTERN = '*/5 * * * *';

/**
 * What a scheduled job does: the daemon's four jobs, the mail retry, `scanAlerts`, the parent
 * of a scheduled scan's finishing job (alerts on its new findings), and `githubSync`, the parent of
 * `scanAlerts` when vigie.yml has `github:` (the GitHub synchronisation once the run is closed).
 */
export type ScheduledJobName =
  'scan' | 'discovery' | 'digest' | 'certificateAlerts' | 'mailRetry' | 'scanAlerts' | 'githubSync';

/** The JSON of a scheduled job (the template of its scheduler, or a catch-up job). */
export interface ScheduledJobData {
  kind: 'scheduled';
  job: ScheduledJobName;
  /** Absolute path of vigie.yml (the same on every machine). */
  inventoryFile: string;
  /** When the occurrence was due (catch-up jobs; a scheduler's jobs carry it in their id). */
  firedAt?: string;
  /** scanAlerts, githubSync: the run whose finishing job is its child (or grandchild). */
  runId?: string;
  /** githubSync from `vigie github sync --distributed`: its options. */
  github?: { minSeverity?: Severity; allowPublic?: boolean };
}

export const isScheduledJob = (data: unknown): data is ScheduledJobData =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'scheduled';

/** The queue of each scheduled job: the scans with the host jobs, discovery apart, mail jobs together. */
export const SCHEDULED_QUEUE: Record<ScheduledJobName, QueueName> = {
  scan: 'scan',
  discovery: 'discover',
  digest: 'notify',
  certificateAlerts: 'notify',
  mailRetry: 'notify',
  scanAlerts: 'notify',
  githubSync: 'notify',
};

/** The queues that hold scheduled jobs. */
export const SCHEDULED_QUEUES: readonly QueueName[] = ['scan', 'discover', 'notify'];

/** vigie's cron reading (croner, as `vigie inventory validate` and the lone daemon read it). */
export const cronNextRun: NextRun = (pattern, afterMs, tz) =>
  nextCronRun(pattern, new Date(afterMs), tz ?? 'UTC')?.getTime();

/**
 * The schedulers the configuration asks for: `schedule.scan`, `schedule.discovery` always;
 * `schedule.digest`, `schedule.certificateAlerts` and the mail retry only with a `mail:` section
 * (removing it removes them from Redis at the next start of a daemon). Same expressions, same
 * time zone (`organisation.timezone`) as the daemon alone.
 */
export function daemonSchedules(config: VigieConfig, inventoryFile: string): JobSchedulerSpec[] {
  const tz = organisationTimeZone(config);
  const spec = (job: ScheduledJobName, pattern: string): JobSchedulerSpec => {
    const data: ScheduledJobData = { kind: 'scheduled', job, inventoryFile };
    return { id: `${SCHEDULE_PREFIX}${job}`, queue: SCHEDULED_QUEUE[job], pattern, tz, name: job, data };
  };
  const specs = [spec('scan', config.schedule.scan), spec('discovery', config.schedule.discovery)];
  if (config.mail !== undefined) {
    specs.push(
      spec('digest', config.schedule.digest),
      spec('certificateAlerts', config.schedule.certificateAlerts),
      spec('mailRetry', MAIL_RETRY_PATTERN),
    );
  }
  return specs;
}

/** The schedules of the vigie.yml at `inventoryFile`. */
export function daemonSchedulesOf(inventoryFile: string): JobSchedulerSpec[] {
  return daemonSchedules(loadConfig(inventoryFile), inventoryFile);
}
