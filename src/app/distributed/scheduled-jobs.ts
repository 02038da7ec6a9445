import { loadConfig } from '../../config/index.js';
import { nextCronRun } from '../../cron/index.js';
import { OperationalError, type ScanResult } from '../../domain/index.js';
import { msg, t } from '../../i18n/index.js';
import { scheduledFireTime, type QueueJob } from '../../queue/index.js';
import {
  discoveryOutcome,
  failedDiscoverySources,
  hasDiscoveryScope,
  type DaemonJobs,
} from '../daemon/index.js';
import type { GithubSyncResult } from '../github/index.js';
import type { AppContext } from '../shared/context.js';
import { readDataStore, withDataStore } from '../shared/data-store.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import { withLease } from '../shared/lease.js';
import { isAlertFinding } from '../notify/index.js';
import { organisationTimeZone } from '../shared/organisation-time.js';
import { MAIL_RETRY_PATTERN, type ScheduledJobData, type ScheduledJobName } from './daemon-schedules.js';
import type { QueueSettings } from './queue-settings.js';
import { runWithFindings, type FinishOutcome } from './run-result.js';
import { startScheduledScan } from './scheduled-scan.js';

/** What a scheduled job returns (BullMQ keeps it) and records for `vigie daemon status`. */
export interface ScheduledOutcome {
  outcome: 'ok' | 'error' | 'skipped';
  detail?: string;
  /** githubSync asked for by `vigie github sync --distributed`: what it did. */
  github?: GithubSyncResult;
}

/** A notify job holds its lease at most this long (a worker that died frees it then; its retry at once). */
export const NOTIFY_LEASE_MS = 15 * 60_000;

/**
 * How long a GitHub job holds its lease without renewing it (renewed every third of it while it
 * runs): 2 min, or VIGIE_GITHUB_JOB_LEASE_MS (tests shorten it to see the lease of a dead worker expire).
 */
export function githubJobLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['VIGIE_GITHUB_JOB_LEASE_MS']);
  return Number.isInteger(n) && n > 0 ? n : 2 * 60_000;
}

/** Another job holds the lease of this kind of work (another occurrence under way elsewhere). */
class LeaseBusyError extends OperationalError {
  override name = 'LeaseBusyError';
}

/**
 * The mail of this occurrence is claimed (recorded as being sent) by an attempt that died or still
 * runs: thrown so that BullMQ tries again later, once the claim has expired (`VIGIE_MAIL_CLAIM_MS`).
 */
export class MailClaimedError extends OperationalError {
  override name = 'MailClaimedError';
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** When the occurrence was due: the scheduler's fire time (from the job id), or the catch-up's. */
export function occurrenceOf(job: QueueJob, data: ScheduledJobData): Date {
  const fired = scheduledFireTime(job.id);
  if (fired !== undefined) return new Date(fired);
  return data.firedAt ? new Date(data.firedAt) : new Date(0);
}

/**
 * Runs one scheduled job on a worker, as the lone daemon runs it, and records its start, end and
 * next run in the store (`vigie daemon status`). Scan: starts the distributed run (its alerts come
 * with `scanAlerts`, once it is closed, then its GitHub synchronisation with `githubSync`). Digest, certificate alerts, mail retry: single jobs, each
 * under a lease in the store whose holder is the job's id (a retry after a crash takes it back at
 * once; another occurrence finds it busy and is skipped), and each mail is sent once through the
 * outbox (reserve, claim, mark sent).
 */
export async function runScheduledJob(
  ctx: AppContext,
  settings: QueueSettings,
  job: QueueJob,
  data: ScheduledJobData,
  jobs: DaemonJobs,
): Promise<ScheduledOutcome> {
  const config = loadConfig(data.inventoryFile);
  const tz = organisationTimeZone(config);
  const patterns: Record<ScheduledJobName, string | undefined> = {
    ...config.schedule,
    mailRetry: MAIL_RETRY_PATTERN,
    scanAlerts: config.schedule.scan,
    githubSync: config.schedule.scan,
  };
  const recordName = data.job === 'scanAlerts' ? 'scan' : data.job;
  const pattern = patterns[data.job];
  const store = async (fn: Parameters<typeof withDataStore>[1]): Promise<void> => {
    // The record is for `vigie daemon status`: never a reason for the job to fail.
    await withDataStore(ctx, fn).catch(() => undefined);
  };
  if (data.job !== 'scanAlerts')
    await store((s) => s.daemon.jobStarted(recordName, ctx.clock.now().toISOString()));
  const finished = async (result: ScheduledOutcome): Promise<ScheduledOutcome> => {
    const at = ctx.clock.now();
    const next = pattern === undefined ? undefined : nextCronRun(pattern, at, tz);
    await store((s) =>
      s.daemon.jobFinished(recordName, {
        at: at.toISOString(),
        outcome: result.outcome,
        ...(result.detail === undefined ? {} : { detail: result.detail }),
        ...(next ? { nextRunAt: next.toISOString() } : {}),
      }),
    );
    return result;
  };
  const l = ctx.lang;
  const mailConfigured = config.mail !== undefined;
  const leased = async (fn: () => Promise<ScheduledOutcome>): Promise<ScheduledOutcome> => {
    if (!mailConfigured) return { outcome: 'skipped', detail: t(l, 'dist-sched.detail.no-mail') };
    try {
      return await withLease(
        ctx,
        `daemon.${data.job}`,
        NOTIFY_LEASE_MS,
        (holder) =>
          new LeaseBusyError(msg('dist-sched.detail.busy', { owner: holder.owner, until: holder.until })),
        fn,
        `job:${job.id}`,
      );
    } catch (error) {
      if (error instanceof LeaseBusyError) return { outcome: 'skipped', detail: error.message };
      throw error;
    }
  };

  try {
    switch (data.job) {
      case 'scan': {
        const r = await startScheduledScan(ctx, settings, data, {
          jobId: job.id,
          firedAt: occurrenceOf(job, data),
        });
        // The end of the scan is recorded by its alerts job, once the run is closed.
        return {
          outcome: 'ok',
          detail: t(l, r.already ? 'dist-sched.detail.scan-already' : 'dist-sched.detail.scan-started', {
            id: r.runId,
            hosts: r.hosts,
          }),
        };
      }
      case 'scanAlerts':
        return await finished(await scanAlerts(ctx, job, data, jobs, mailConfigured));
      case 'discovery':
        return await finished(await discovery(ctx, data, jobs));
      case 'githubSync': {
        // A single job under the lease `github-sync` (the one of `vigie github sync`), held in the
        // name of this attempt and renewed: a retry waits for an earlier attempt's lease to end or
        // expire, never runs beside it; the links table and each issue's hidden marker make it create
        // no issue twice. Loaded on use (the GitHub client).
        const { runGithubSyncJob } = await import('../github/index.js');
        const { github, ...outcome } = await runGithubSyncJob(ctx, {
          inventoryFile: data.inventoryFile,
          job: { id: job.id, leaseMs: githubJobLeaseMs() },
          ...(data.github?.minSeverity === undefined ? {} : { minSeverity: data.github.minSeverity }),
          ...(data.github?.allowPublic ? { allowPublic: true } : {}),
          ...(jobs.syncGithub ? { sync: jobs.syncGithub.bind(jobs) } : {}),
        });
        // The whole result (every action) is kept only for a command waiting for it, not for a run's.
        return await finished(data.runId === undefined && github ? { ...outcome, github } : outcome);
      }
      case 'digest':
        return await finished(
          await leased(async () => {
            const r = await jobs.sendWeeklyDigest(ctx, { inventoryFile: data.inventoryFile });
            if (!r.sent && !r.alreadySent) {
              const entry = await readDataStore(ctx, undefined, (s) => s.outbox.get(r.key));
              if (entry?.state === 'pending')
                throw new MailClaimedError(msg('dist-sched.error.claimed', { key: r.key }));
            }
            const state = r.sent ? 'sent' : r.alreadySent ? 'already' : 'later';
            return { outcome: 'ok', detail: t(l, `dist-sched.detail.digest.${state}`, { key: r.key }) };
          }),
        );
      case 'certificateAlerts':
        return await finished(
          await leased(async () => {
            const retry = await jobs.retryPendingMail(ctx, { inventoryFile: data.inventoryFile });
            const r = await jobs.sendCertificateAlerts(ctx, { inventoryFile: data.inventoryFile });
            return {
              outcome: 'ok',
              detail: t(l, 'dist-sched.detail.certificates', {
                sent: r.sent.length,
                retried: retry.retried.length,
                failed: retry.failed.length,
              }),
            };
          }),
        );
      case 'mailRetry':
        return await finished(
          await leased(async () => {
            const r = await jobs.retryPendingMail(ctx, { inventoryFile: data.inventoryFile });
            return {
              outcome: 'ok',
              detail: t(l, 'dist-sched.detail.retry', { retried: r.retried.length, failed: r.failed.length }),
            };
          }),
        );
    }
  } catch (error) {
    // A claimed mail is tried again by BullMQ; any other failure is the occurrence's (as the lone
    // daemon records it), and the next occurrence or the mail retry takes it up.
    if (error instanceof MailClaimedError && job.attempt < job.attempts) throw error;
    return finished({ outcome: 'error', detail: message(error) });
  }
}

/**
 * The alerts of a scheduled scan, once its finishing job (the only child) has closed the run: the
 * new critical and high findings are read from the store (the finishing job returns the run's
 * counts, not its lists; one of an older version returned the whole result).
 */
async function scanAlerts(
  ctx: AppContext,
  job: QueueJob,
  data: ScheduledJobData,
  jobs: DaemonJobs,
  mailConfigured: boolean,
): Promise<ScheduledOutcome> {
  const l = ctx.lang;
  const [closed] = [...(await job.childrenValues()).values()] as (FinishOutcome | ScanResult | undefined)[];
  if (!closed) {
    const [reason] = [...(await job.ignoredFailures()).values()];
    return {
      outcome: 'error',
      detail: t(l, 'dist-sched.detail.scan-failed', { id: data.runId ?? '', reason: reason ?? '' }),
    };
  }
  const scan: ScanResult =
    'findings' in closed
      ? closed
      : await withDataStore(ctx, (store) =>
          runWithFindings(store, closed, loadCheckLibrary(loadConfig(data.inventoryFile)).catalogue, l, (r) =>
            isAlertFinding(r, closed.run.startedAt),
          ),
        );
  let alerts: ScheduledOutcome;
  if (!mailConfigured) alerts = { outcome: 'skipped', detail: t(l, 'dist-sched.detail.no-mail') };
  else {
    try {
      const r = await jobs.sendFindingAlerts(ctx, { inventoryFile: data.inventoryFile, scan });
      alerts = { outcome: 'ok', detail: t(l, 'dist-sched.detail.alerts', { n: r.sent.length }) };
    } catch (error) {
      alerts = {
        outcome: 'error',
        detail: t(l, 'dist-sched.detail.alerts-failed', { error: message(error) }),
      };
    }
  }
  return {
    outcome: alerts.outcome === 'error' ? 'error' : 'ok',
    detail: t(l, 'dist-sched.detail.scan-done', {
      id: scan.run.id,
      findings: scan.summary.findings,
      alerts: alerts.detail ?? '',
    }),
  };
}

/** The weekly discovery, as the lone daemon runs it (nothing to discover: skipped). */
async function discovery(
  ctx: AppContext,
  data: ScheduledJobData,
  jobs: DaemonJobs,
): Promise<ScheduledOutcome> {
  const l = ctx.lang;
  if (!hasDiscoveryScope(loadConfig(data.inventoryFile)))
    return { outcome: 'skipped', detail: t(l, 'daemon.discovery.nothing') };
  const r = await jobs.discover(ctx, { inventoryFile: data.inventoryFile });
  return discoveryOutcome(l, r, failedDiscoverySources(r));
}
