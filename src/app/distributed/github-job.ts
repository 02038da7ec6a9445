import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config/index.js';
import { OperationalError, type Severity } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { addUniqueJob, watchQueue, type FlowState, type FlowTreeNode } from '../../queue/index.js';
import type { GithubSyncJobOutcome } from '../github/index.js';
import type { AppContext } from '../shared/context.js';
import type { ScheduledJobData } from './daemon-schedules.js';
import { checkRedis, queueSettings, type QueueSettings } from './queue-settings.js';

/**
 * The id of the GitHub synchronisation of a scheduled run: its idempotency key. Two daemons, or a
 * scan job taken again, that start the same run make the same job, so the run is synchronised once.
 */
export const githubJobId = (runId: string): string => `${runId}.github`;

/** What `vigie github sync --distributed` passes to its job (the scheduled ones pass nothing). */
export interface GithubJobOptions {
  minSeverity?: Severity;
  allowPublic?: boolean;
}

const githubJobData = (
  inventoryFile: string,
  runId?: string,
  options: GithubJobOptions = {},
): ScheduledJobData => ({
  kind: 'scheduled',
  job: 'githubSync',
  inventoryFile,
  ...(runId === undefined ? {} : { runId }),
  ...(Object.keys(options).length > 0 ? { github: options } : {}),
});

/**
 * The tree of a scheduled run with, above it, its GitHub synchronisation (queue `notify`, a single
 * job: it runs once the alerts job, hence the run, has ended), when vigie.yml has `github:`.
 * Without it, the tree as it is.
 */
export function withGithubSync(tree: FlowTreeNode, runId: string, inventoryFile: string): FlowTreeNode {
  if (loadConfig(inventoryFile).github === undefined) return tree;
  return {
    queue: 'notify',
    name: 'githubSync',
    id: githubJobId(runId),
    data: githubJobData(inventoryFile, runId),
    children: [tree],
  };
}

/**
 * Adds a GitHub synchronisation as a single job on `notify` under `id`, unless a job of that id is
 * in Redis (waiting, running, or kept after it ended): false then.
 */
export function enqueueGithubSync(
  settings: QueueSettings,
  inventoryFile: string,
  id: string,
  options: GithubJobOptions = {},
): Promise<boolean> {
  return addUniqueJob(
    settings.connection,
    'notify',
    { name: 'githubSync', id, data: githubJobData(inventoryFile, undefined, options) },
    settings.tuning,
  );
}

export interface DistributedGithubSyncRequest extends GithubJobOptions {
  inventoryFile: string;
  /** How long to wait for a worker to run it (10 min by default). */
  waitMs?: number;
  env?: NodeJS.ProcessEnv;
}

const POLL_MS = 250;
/** A question to Redis that takes longer than this is asked again (Redis gone: the deadline ends it). */
const POLL_TIMEOUT_MS = 1000;

/**
 * `vigie github sync --distributed`: the synchronisation as a single job on `notify` (the one of
 * the daemon, under its lease: never beside another), run by a worker (which holds the token);
 * waits for it, bounded by `waitMs`. Its id is this request's (`github-sync.<time>.<random>`): taken
 * again after a crash, the job is the same; the command run again is a new request.
 */
export async function githubSyncDistributed(
  ctx: AppContext,
  req: DistributedGithubSyncRequest,
): Promise<GithubSyncJobOutcome> {
  const settings = queueSettings(req.env);
  await checkRedis(settings);
  const at = ctx.clock.now().getTime();
  const id = `github-sync.${at}.${randomBytes(2).toString('hex')}`;
  const options: GithubJobOptions = {
    ...(req.minSeverity === undefined ? {} : { minSeverity: req.minSeverity }),
    ...(req.allowPublic ? { allowPublic: true } : {}),
  };
  await enqueueGithubSync(settings, req.inventoryFile, id, options);
  const watcher = watchQueue(settings.connection);
  const deadline = Date.now() + (req.waitMs ?? 10 * 60_000);
  let pending: Promise<FlowState | undefined> | undefined;
  try {
    for (;;) {
      pending ??= watcher.flowState('notify', id).catch(() => undefined);
      const state = await Promise.race([pending, sleep(POLL_TIMEOUT_MS).then(() => 'slow' as const)]);
      if (state !== 'slow') {
        pending = undefined;
        if (state?.state === 'completed') return state.returnValue as GithubSyncJobOutcome;
        if (state?.state === 'failed') {
          throw new OperationalError(
            msg('github-job.distributed.failed', { id, reason: state.failedReason ?? '' }),
          );
        }
      }
      if (Date.now() > deadline) {
        throw new OperationalError(msg('github-job.distributed.timeout', { id }), {
          hint: msg('github-job.distributed.timeout.hint'),
        });
      }
      await sleep(POLL_MS);
    }
  } finally {
    // Bounded: closing must not hang on a Redis that is gone.
    await Promise.race([watcher.close().catch(() => undefined), sleep(2000)]);
  }
}
