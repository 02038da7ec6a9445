import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config/index.js';
import type { Severity } from '../../domain/index.js';
import { t } from '../../i18n/index.js';
import type { LeaseHolder } from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import type { GithubSyncRequest, GithubSyncResult } from './github-sync.js';

/** The name of the job in the daemon's records (`vigie daemon status`) and in the queue `notify`. */
export const GITHUB_SYNC_JOB = 'githubSync';

/** What the GitHub synchronisation after a scan did, as the daemon records its jobs. */
export interface GithubSyncJobOutcome {
  outcome: 'ok' | 'error' | 'skipped';
  detail: string;
  /** What was done on GitHub (absent when skipped or failed). */
  github?: GithubSyncResult;
}

export interface GithubSyncJobRequest {
  inventoryFile: string;
  /**
   * A queue job: its id names the holder of the lease (`job:<id>@<host>:<pid>:<random>`, one per
   * attempt), held `leaseMs` and renewed while the synchronisation runs. An attempt that finds the
   * lease held by an earlier attempt of the same job (dead, or alive but cut off from its queue
   * lock) waits for it to end or expire, at most 3 × `leaseMs`: never two attempts at once.
   */
  job?: { id: string; leaseMs: number };
  env?: NodeJS.ProcessEnv;
  minSeverity?: Severity;
  allowPublic?: boolean;
  /** The synchronisation (tests pass a fake); `syncGithub` by default. */
  sync?: (ctx: AppContext, req: GithubSyncRequest) => Promise<GithubSyncResult>;
  warn?: (message: string) => void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The GitHub synchronisation the daemon runs after each scheduled scan, alone (`vigie daemon`) or
 * as a single job on a worker (`vigie daemon --distributed`): `vigie github sync` on the store as it
 * is. Never throws: without `github:` or without VIGIE_GITHUB_TOKEN it is skipped with its reason;
 * with the lease held elsewhere (a `vigie github sync`, another occurrence) it is skipped too (held
 * by an earlier attempt of the same job: waited for, see `job`); any
 * other failure is its outcome (the next synchronisation converges, through the links table and the
 * hidden marker of each issue).
 */
export async function runGithubSyncJob(
  ctx: AppContext,
  req: GithubSyncJobRequest,
): Promise<GithubSyncJobOutcome> {
  const l = ctx.lang;
  let busy: (error: unknown) => LeaseHolder | undefined = () => undefined;
  try {
    const github = loadConfig(req.inventoryFile).github;
    if (!github) return { outcome: 'skipped', detail: t(l, 'github-job.detail.not-configured') };
    // Loaded on use: the daemon's other jobs do not need the GitHub client.
    const { GITHUB_TOKEN_ENV, GithubSyncBusyError, syncGithub } = await import('./github-sync.js');
    busy = (error) => (error instanceof GithubSyncBusyError ? error.holder : undefined);
    const env = req.env ?? process.env;
    if (ctx.github === undefined && !env[GITHUB_TOKEN_ENV]?.trim())
      return {
        outcome: 'skipped',
        detail: t(l, 'github-job.detail.no-token', { variable: GITHUB_TOKEN_ENV }),
      };
    const own = req.job ? `job:${req.job.id}@` : undefined;
    const request: GithubSyncRequest = {
      inventoryFile: req.inventoryFile,
      env,
      ...(req.job
        ? {
            leaseOwner: `${own}${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
            leaseMs: req.job.leaseMs,
          }
        : {}),
      ...(req.minSeverity === undefined ? {} : { minSeverity: req.minSeverity }),
      ...(req.allowPublic ? { allowPublic: true } : {}),
      ...(req.warn ? { warn: req.warn } : {}),
    };
    const maxWaitMs = req.job ? 3 * req.job.leaseMs : 0;
    let waited = 0;
    let result: GithubSyncResult | undefined;
    while (result === undefined) {
      try {
        result = await (req.sync ?? syncGithub)(ctx, request);
      } catch (error) {
        const holder = busy(error);
        if (!holder || own === undefined || !holder.owner.startsWith(own) || waited >= maxWaitMs) throw error;
        // An earlier attempt of this job: looked at again once its lease has expired (or each second).
        const left = new Date(holder.until).getTime() - ctx.clock.now().getTime();
        const ms = Math.min(Math.max(left + 50, 50), 1000);
        await sleep(ms);
        waited += ms;
      }
    }
    const count = (kind: string) => result.actions.filter((a) => a.kind === kind && a.done).length;
    return {
      outcome: 'ok',
      detail: t(l, 'github-job.detail.done', {
        repository: result.repository,
        actions: result.actions.filter((a) => a.done).length,
        created: count('create'),
        closed: count('close'),
        recovered: result.recovered,
      }),
      github: result,
    };
  } catch (error) {
    if (busy(error)) return { outcome: 'skipped', detail: message(error) };
    return { outcome: 'error', detail: t(l, 'github-job.detail.failed', { error: message(error) }) };
  }
}
