import os from 'node:os';
import { OperationalError } from '../../domain/index.js';
import { loadConfig } from '../../config/index.js';
import { t } from '../../i18n/index.js';
import type { AppContext } from '../shared/context.js';
import { catchUpDecision, isoWeekKey, startOfIsoWeek } from './daemon-catch-up.js';
import { withDataStore } from '../shared/data-store.js';
import type { DaemonJobs } from './daemon-jobs.js';
import { discoveryOutcome, failedDiscoverySources, hasDiscoveryScope } from './discovery-outcome.js';
import { acquireDaemonLock, LOCK_STALE_MS, type LockRecoveryReason } from './daemon-lock.js';
import type { DaemonLog } from './daemon-log.js';
import {
  DAEMON_JOBS,
  type DaemonJobName,
  type DaemonScheduler,
  type SchedulerFactory,
} from './daemon-scheduler.js';
import { organisationTimeZone } from '../shared/organisation-time.js';

export const HEARTBEAT_MS = 30_000;
/** How long a stop waits for the running job (its database write) before letting go. */
export const STOP_GRACE_MS = 8_000;
/** Failed mails are retried this often (besides every certificate-alert tick). */
export const MAIL_RETRY_MS = 5 * 60_000;
export const MAIL_NOT_CONFIGURED = 'mail non configuré';

const LOCK_RECOVERY_TEXT: Record<LockRecoveryReason, string> = {
  unreadable: 'fichier illisible',
  dead: 'processus disparu',
  'own-pid': 'pid de ce processus, laissé par un processus précédent, par ex. un conteneur redémarré',
  'pid-reused': 'pid repris depuis par un autre processus',
  'not-a-daemon': 'le pid est celui d’un processus qui n’est pas un démon vigie',
  heartbeat: `aucun battement depuis plus de ${LOCK_STALE_MS / 60_000} min`,
};

export interface RunDaemonOptions {
  inventoryFile: string;
  signal: AbortSignal;
  log: DaemonLog;
  jobs: DaemonJobs;
  /** The scheduler implementation (src/scheduler: croner; tests: the same with no timers). */
  scheduler: SchedulerFactory;
  heartbeatMs?: number;
  stopGraceMs?: number;
  mailRetryMs?: number;
}

interface JobResult {
  outcome: 'ok' | 'error' | 'skipped';
  detail?: string;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The daemon: takes the data directory's lock, beats a heartbeat, catches up missed work, runs the
 * three jobs on their schedule without overlap, survives every job failure, and resolves once
 * `signal` aborts and the running job (bounded) is done. Throws at start (bad config, lock held), or
 * once stopped if another daemon took its lock over (it then stops by itself, never running beside it).
 */
export async function runDaemon(ctx: AppContext, o: RunDaemonOptions): Promise<void> {
  const now = (): Date => ctx.clock.now();
  const { log, jobs, inventoryFile } = o;
  const config = loadConfig(inventoryFile);
  const timeZone = organisationTimeZone(config);
  const mailConfigured = (): boolean => loadConfig(inventoryFile).mail !== undefined;
  /** Read at each scan; a vigie.yml that no longer loads: no (the scan has said why). */
  const githubConfigured = (): boolean => {
    try {
      return loadConfig(inventoryFile).github !== undefined;
    } catch {
      return false;
    }
  };
  let mailBusy = false;

  const withMail = async (fn: () => Promise<JobResult>): Promise<JobResult> => {
    if (!mailConfigured()) return { outcome: 'skipped', detail: MAIL_NOT_CONFIGURED };
    mailBusy = true;
    try {
      return await fn();
    } finally {
      mailBusy = false;
    }
  };

  const bodies: Record<DaemonJobName, () => Promise<JobResult>> = {
    scan: async () => {
      const result = await jobs.scan(ctx, { inventoryFile });
      log({
        level: 'info',
        event: 'scan.saved',
        runId: result.run.id,
        endpoints: result.summary.endpoints,
        findings: result.summary.findings,
        ...(result.posture ? { posture: result.posture } : {}),
      });
      const detail = `analyse ${result.run.id} : ${result.summary.findings} constat(s)`;
      const alerts = await withMail(async () => {
        const sent = await jobs.sendFindingAlerts(ctx, { inventoryFile, scan: result });
        return { outcome: 'ok', detail: `${sent.sent.length} alerte(s)` };
      }).catch((error: unknown): JobResult => {
        log({ level: 'error', event: 'alerts.failed', error: message(error) });
        return { outcome: 'error', detail: `alertes en échec : ${message(error)}` };
      });
      if (alerts.outcome === 'skipped')
        log({ level: 'info', event: 'alerts.skipped', reason: MAIL_NOT_CONFIGURED });
      return {
        outcome: alerts.outcome === 'error' ? 'error' : 'ok',
        detail: `${detail} ; ${alerts.detail ?? ''}`,
      };
    },
    digest: () =>
      withMail(async () => {
        const r = await jobs.sendWeeklyDigest(ctx, { inventoryFile });
        log({ level: 'info', event: 'digest.done', key: r.key, sent: r.sent, alreadySent: r.alreadySent });
        return {
          outcome: 'ok',
          detail: `${r.key} : ${r.alreadySent ? 'déjà envoyé' : r.sent ? 'envoyé' : 'non envoyé'}`,
        };
      }),
    discovery: async () => {
      if (!hasDiscoveryScope(loadConfig(inventoryFile)))
        return { outcome: 'skipped', detail: t(ctx.lang, 'daemon.discovery.nothing') };
      const r = await jobs.discover(ctx, { inventoryFile });
      const failed = failedDiscoverySources(r);
      log({
        level: failed.length ? 'warn' : 'info',
        event: 'discovery.saved',
        runId: r.run.id,
        names: r.summary.names,
        new: r.summary.new,
        dangling: r.summary.dangling,
        findings: r.summary.findings,
        ...(failed.length ? { failedSources: failed } : {}),
      });
      return discoveryOutcome(ctx.lang, r, failed);
    },
    certificateAlerts: () =>
      withMail(async () => {
        const retry = await jobs.retryPendingMail(ctx, { inventoryFile });
        const r = await jobs.sendCertificateAlerts(ctx, { inventoryFile });
        return {
          outcome: 'ok',
          detail: `${r.sent.length} alerte(s) ; ${retry.retried.length} relancé(s), ${retry.failed.length} en échec`,
        };
      }),
  };

  /** Writes to the store; a failure is logged, never thrown (the daemon keeps running). */
  const record = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      log({ level: 'error', event: 'store.failed', what, error: message(error) });
    }
  };

  let scheduler: DaemonScheduler | undefined = undefined;
  /** Runs one job, logged and recorded for `vigie daemon status`; its next run is that of `schedule`. */
  const recordedJob = async (
    name: string,
    schedule: DaemonJobName,
    body: () => Promise<JobResult>,
  ): Promise<void> => {
    const startedAt = now();
    log({ level: 'info', event: 'job.started', job: name });
    await record('jobStarted', () =>
      withDataStore(ctx, (s) => s.daemon.jobStarted(name, startedAt.toISOString())),
    );
    let result: JobResult;
    try {
      result = await body();
    } catch (error) {
      result = { outcome: 'error', detail: message(error) };
    }
    const finishedAt = now();
    const next = scheduler?.nextRun(schedule, finishedAt);
    log({
      level: result.outcome === 'error' ? 'error' : 'info',
      event: 'job.finished',
      job: name,
      outcome: result.outcome,
      ...(result.detail === undefined ? {} : { detail: result.detail }),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      ...(next ? { nextRunAt: next.toISOString() } : {}),
    });
    await record('jobFinished', () =>
      withDataStore(ctx, (s) =>
        s.daemon.jobFinished(name, {
          at: finishedAt.toISOString(),
          outcome: result.outcome,
          ...(result.detail === undefined ? {} : { detail: result.detail }),
          ...(next ? { nextRunAt: next.toISOString() } : {}),
        }),
      ),
    );
  };
  const runJob = async (name: DaemonJobName): Promise<void> => {
    await recordedJob(name, name, bodies[name]);
    // After each scan (scheduled or caught up), with `github:`: the GitHub synchronisation, as the
    // job `githubSync` (the same use case as on a worker in distributed mode). Read at each scan.
    if (name !== 'scan' || !githubConfigured()) return;
    // Loaded on use: without `github:`, the daemon never loads the GitHub client.
    const { GITHUB_SYNC_JOB, runGithubSyncJob } = await import('../github/index.js');
    await recordedJob(GITHUB_SYNC_JOB, 'scan', () =>
      runGithubSyncJob(ctx, {
        inventoryFile,
        ...(jobs.syncGithub ? { sync: jobs.syncGithub.bind(jobs) } : {}),
        warn: (detail) => log({ level: 'warn', event: 'github.warning', detail }),
      }),
    );
  };

  scheduler = o.scheduler({
    expressions: config.schedule,
    timeZone,
    file: inventoryFile,
    run: runJob,
    onOverlap: (job) =>
      log({
        level: 'warn',
        event: 'job.overlap',
        job,
        detail: 'exécution précédente en cours : tick ignoré',
      }),
    now,
  });
  const lock = acquireDaemonLock(ctx.dataDir, {
    pid: process.pid,
    host: os.hostname(),
    startedAt: now().toISOString(),
  });
  const timers: NodeJS.Timeout[] = [];
  // Heartbeats are written one after another, and before the stop is recorded (a heartbeat clears it).
  let beating: Promise<void> = Promise.resolve();
  const lostController = new AbortController();
  let lockLost = false;
  try {
    log({
      level: 'info',
      event: 'daemon.started',
      pid: process.pid,
      dataDir: ctx.dataDir,
      inventoryFile,
      timeZone,
    });
    if (lock.recovered) {
      log({
        level: 'warn',
        event: 'lock.recovered',
        reason: lock.recovered.reason,
        detail: `verrou périmé repris (${LOCK_RECOVERY_TEXT[lock.recovered.reason]})`,
        ...(lock.recovered.previous ? { previous: lock.recovered.previous } : {}),
      });
    }
    const beat = (): void => {
      if (lockLost) return;
      if (!lock.beat()) {
        lockLost = true;
        log({
          level: 'error',
          event: 'lock.lost',
          detail: 'verrou repris par un autre démon (celui-ci semblait arrêté) : arrêt',
        });
        lostController.abort();
        return;
      }
      const at = now().toISOString();
      beating = beating.then(() =>
        record('heartbeat', () =>
          withDataStore(ctx, (s) =>
            s.daemon.writeHeartbeat({
              pid: lock.info.pid,
              hostname: lock.info.host,
              startedAt: lock.info.startedAt,
              at,
            }),
          ),
        ),
      );
    };
    beat();
    timers.push(setInterval(beat, o.heartbeatMs ?? HEARTBEAT_MS));

    const sched = scheduler;
    scheduler.start();
    for (const job of DAEMON_JOBS) {
      const next = sched.nextRun(job);
      if (next)
        await record('setJobNextRun', () =>
          withDataStore(ctx, (s) => s.daemon.setJobNextRun(job, next.toISOString())),
        );
    }
    timers.push(
      setInterval(() => {
        if (mailBusy || o.signal.aborted) return;
        void withMail(async () => {
          const r = await jobs.retryPendingMail(ctx, { inventoryFile });
          if (r.retried.length + r.failed.length > 0) log({ level: 'info', event: 'mail.retried', ...r });
          return { outcome: 'ok' };
        }).catch((error: unknown) =>
          log({ level: 'error', event: 'mail.retry.failed', error: message(error) }),
        );
      }, o.mailRetryMs ?? MAIL_RETRY_MS),
    );

    // Catch-up: what should have run while the daemon was down.
    try {
      const at = now();
      const state = await withDataStore(ctx, async (s) => ({
        lastScan: (await s.runs.list(1))[0]?.finishedAt,
        digestSent: (await s.outbox.get(`digest:${isoWeekKey(at, timeZone)}`))?.state === 'sent',
      }));
      const decision = catchUpDecision({
        now: at,
        lastScanFinishedAt: state.lastScan === undefined ? undefined : new Date(state.lastScan),
        digestTimeThisWeek: sched.nextRun('digest', new Date(startOfIsoWeek(at, timeZone).getTime() - 1)),
        digestSentThisWeek: state.digestSent,
      });
      log({ level: 'info', event: 'catch-up', ...decision });
      if (decision.scan) void sched.tick('scan');
      if (decision.digest) void sched.tick('digest');
    } catch (error) {
      log({ level: 'error', event: 'catch-up.failed', error: message(error) });
    }

    const stopSignal = AbortSignal.any([o.signal, lostController.signal]);
    await new Promise<void>((resolve) => {
      if (stopSignal.aborted) resolve();
      else stopSignal.addEventListener('abort', () => resolve(), { once: true });
    });
    log({ level: 'info', event: 'daemon.stopping' });
    for (const timer of timers) clearInterval(timer);
    const idle = await sched.stop(o.stopGraceMs ?? STOP_GRACE_MS);
    if (!idle)
      log({
        level: 'warn',
        event: 'daemon.stop.timeout',
        detail: 'un travail tourne encore : arrêt sans l’attendre',
      });
    await beating;
    if (!lockLost)
      await record('markDaemonStopped', () =>
        withDataStore(ctx, (s) => s.daemon.markStopped(now().toISOString())),
      );
  } finally {
    for (const timer of timers) clearInterval(timer);
    lock.release();
  }
  log({ level: 'info', event: 'daemon.stopped' });
  if (lockLost) {
    throw new OperationalError(`verrou ${lock.file} repris par un autre démon : celui-ci s’est arrêté`, {
      hint: 'un seul démon par répertoire de données : vérifiez qu’un seul service vigie tourne',
    });
  }
}
