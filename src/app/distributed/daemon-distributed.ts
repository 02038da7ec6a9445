import os from 'node:os';
import { loadConfig } from '../../config/index.js';
import { listJobSchedulers, redactRedisUrl, syncJobSchedulers } from '../../queue/index.js';
import { catchUpDecision, isoWeekKey, startOfIsoWeek, type DaemonLog } from '../daemon/index.js';
import { nextCronRun } from '../../cron/index.js';
import type { AppContext } from '../shared/context.js';
import { withDataStore } from '../shared/data-store.js';
import { organisationTimeZone } from '../shared/organisation-time.js';
import { cronNextRun, daemonSchedules, SCHEDULE_PREFIX, SCHEDULED_QUEUES } from './daemon-schedules.js';
import { checkRedis, queueSettings, type QueueSettings } from './queue-settings.js';
import { enqueueOccurrence } from './scheduled-occurrence.js';

/** The distributed daemon beats (store heartbeat, schedulers checked in Redis) this often. */
export const DISTRIBUTED_BEAT_MS = 30_000;

export interface RunDistributedDaemonOptions {
  inventoryFile: string;
  signal: AbortSignal;
  log: DaemonLog;
  env?: NodeJS.ProcessEnv;
  heartbeatMs?: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Puts the configured schedules in Redis (idempotent), and records their next runs for `daemon status`. */
export async function syncDaemonSchedules(
  ctx: AppContext,
  settings: QueueSettings,
  inventoryFile: string,
): Promise<Awaited<ReturnType<typeof syncJobSchedulers>>> {
  const specs = daemonSchedules(loadConfig(inventoryFile), inventoryFile);
  const result = await syncJobSchedulers(settings.connection, SCHEDULED_QUEUES, specs, {
    managedPrefix: SCHEDULE_PREFIX,
    nextRun: cronNextRun,
    tuning: settings.tuning,
  });
  const present = await listJobSchedulers(settings.connection, SCHEDULED_QUEUES);
  await withDataStore(ctx, async (s) => {
    for (const p of present) {
      if (p.id.startsWith(SCHEDULE_PREFIX) && p.next !== undefined)
        await s.daemon.setJobNextRun(p.id.slice(SCHEDULE_PREFIX.length), new Date(p.next).toISOString());
    }
  });
  return result;
}

/**
 * The daemon in distributed mode: it runs nothing itself. It puts the schedules of vigie.yml in
 * Redis as BullMQ job schedulers (same expressions, `organisation.timezone`), removes those the
 * configuration no longer asks for, enqueues the catch-ups (a scan older than 26 h, this week's
 * digest not sent) under ids that two daemons compute alike, then beats: heartbeat in the store,
 * schedulers checked again in Redis (restored if Redis lost them). Two may run (availability): the
 * same ids make the same jobs, so each occurrence runs once, on a worker. No daemon.lock is taken.
 */
export async function runDistributedDaemon(ctx: AppContext, o: RunDistributedDaemonOptions): Promise<void> {
  const { log, inventoryFile } = o;
  const settings = queueSettings(o.env);
  const config = loadConfig(inventoryFile);
  const timeZone = organisationTimeZone(config);
  await checkRedis(settings);
  const startedAt = ctx.clock.now().toISOString();
  const synced = await syncDaemonSchedules(ctx, settings, inventoryFile);
  log({
    level: 'info',
    event: 'daemon.started',
    mode: 'distributed',
    pid: process.pid,
    dataDir: ctx.dataDir,
    inventoryFile,
    timeZone,
    redis: redactRedisUrl(settings.connection.url),
  });
  log({ level: 'info', event: 'schedules.synced', ...synced });

  const beatOnce = async (): Promise<void> => {
    await withDataStore(ctx, (s) =>
      s.daemon.writeHeartbeat({
        pid: process.pid,
        hostname: os.hostname(),
        startedAt,
        at: ctx.clock.now().toISOString(),
      }),
    ).catch((error: unknown) =>
      log({ level: 'error', event: 'store.failed', what: 'heartbeat', error: message(error) }),
    );
  };
  await beatOnce();

  // Catch-up: what should have run while no daemon was up, under ids both daemons compute alike.
  try {
    const at = ctx.clock.now();
    const specs = daemonSchedules(config, inventoryFile);
    const state = await withDataStore(ctx, async (s) => ({
      lastScan: (await s.runs.list(1))[0]?.finishedAt,
      digestSent: (await s.outbox.get(`digest:${isoWeekKey(at, timeZone)}`))?.state === 'sent',
    }));
    const digestTime = nextCronRun(
      config.schedule.digest,
      new Date(startOfIsoWeek(at, timeZone).getTime() - 1),
      timeZone,
    );
    const decision = catchUpDecision({
      now: at,
      lastScanFinishedAt: state.lastScan === undefined ? undefined : new Date(state.lastScan),
      digestTimeThisWeek: digestTime,
      digestSentThisWeek: state.digestSent,
    });
    const scan = specs.find((s) => s.id === `${SCHEDULE_PREFIX}scan`);
    const digest = specs.find((s) => s.id === `${SCHEDULE_PREFIX}digest`);
    const enqueued: string[] = [];
    if (decision.scan && scan) {
      const since = state.lastScan === undefined ? 0 : new Date(state.lastScan).getTime();
      if (await enqueueOccurrence(settings, scan, at, `catch-up.${scan.id}.${since}`)) enqueued.push(scan.id);
    }
    if (decision.digest && digest && digestTime) {
      if (await enqueueOccurrence(settings, digest, digestTime)) enqueued.push(digest.id);
    }
    log({ level: 'info', event: 'catch-up', ...decision, enqueued });
  } catch (error) {
    log({ level: 'error', event: 'catch-up.failed', error: message(error) });
  }

  const timer = setInterval(() => {
    void beatOnce();
    void syncDaemonSchedules(ctx, settings, inventoryFile).then(
      (r) => {
        if (r.added.length + r.updated.length + r.removed.length > 0)
          log({ level: 'warn', event: 'schedules.restored', ...r });
      },
      (error: unknown) => log({ level: 'error', event: 'schedules.failed', error: message(error) }),
    );
  }, o.heartbeatMs ?? DISTRIBUTED_BEAT_MS);
  try {
    await new Promise<void>((resolve) => {
      if (o.signal.aborted) resolve();
      else o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    clearInterval(timer);
  }
  log({ level: 'info', event: 'daemon.stopping' });
  await withDataStore(ctx, (s) => s.daemon.markStopped(ctx.clock.now().toISOString())).catch(() => undefined);
  log({ level: 'info', event: 'daemon.stopped' });
}
