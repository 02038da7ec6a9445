import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fleetLimits, loadConfig, type Asset } from '../../config/index.js';
import { OperationalError, type Catalogue, type Endpoint, type ScanResult } from '../../domain/index.js';
import { msg, type CataloguePart } from '../../i18n/index.js';
import { addFlow, redactRedisUrl, watchQueue, type FlowJobSpec, type FlowState } from '../../queue/index.js';
import { newRunId, scanDomains, scanEndpoints, spooledResult } from '../scan/index.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore } from '../shared/data-store.js';
import { checkRedis, queueSettings, type QueueSettings } from './queue-settings.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { SpooledScan } from '../scan/index.js';
import { readRunSpooled, type FinishOutcome } from './run-result.js';
import { beginRun } from './begin-run.js';
import {
  assetIndexOf,
  DOMAINS_JOB,
  type DomainsJobData,
  type FinishJobData,
  type HostJobData,
  type ScanSettings,
} from './scan-jobs.js';

export interface DistributedScanRequest {
  targets: readonly string[];
  inventoryFile: string;
  categories: ScanSettings['categories'];
  /** `--only dns` given: bare-host targets are domains too (as for `vigie scan`). */
  adHocDomains?: boolean;
  caFiles: readonly string[];
  profiles: readonly string[];
  timeoutMs?: number;
  concurrency?: number;
  /** How long to wait for the run to close (default 1 h). */
  waitMs?: number;
  onProgress?: (done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

const POLL_MS = 250;
/** Longest wait for one answer of Redis before looking again at the clocks. */
const POLL_TIMEOUT_MS = 1000;
/** Polls in a row without the finishing job before the run is declared lost. */
const LOST_POLLS = 3;

/** How long Redis may stay unreachable before the run is given up (VIGIE_QUEUE_LOST_MS, 2 min). */
function lostAfterMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['VIGIE_QUEUE_LOST_MS']);
  return Number.isInteger(n) && n > 0 ? n : 120_000;
}

/** Endpoints by host (case-insensitive), in the order first seen. */
export function byHost(endpoints: readonly Endpoint[]): { host: string; endpoints: Endpoint[] }[] {
  const hosts = new Map<string, { host: string; endpoints: Endpoint[] }>();
  for (const e of endpoints) {
    const key = e.host.toLowerCase();
    const entry = hosts.get(key) ?? { host: e.host, endpoints: [] };
    entry.endpoints.push(e);
    hosts.set(key, entry);
  }
  return [...hosts.values()];
}

/** What a distributed run is made of: the scan's settings, the finishing job, and the jobs under it. */
export interface DistributedRunJobs {
  scan: ScanSettings;
  /** The run's `targets` (`inventory`, or the targets given). */
  targets: string[];
  finish: FinishJobData;
  /** One job per host, then the domains job (if any): the finishing job's children. */
  children: FlowJobSpec[];
  /** Host jobs among `children`. */
  hosts: number;
}

/**
 * The jobs of one distributed run, as `scan --distributed` and the scheduled scan enqueue them:
 * one per host (with its assets of vigie.yml), one for the domains' DNS and mail checks, and the
 * finishing job; each carries the fleet's limits and vigie.yml without its assets.
 */
export function distributedRunJobs(
  req: Omit<DistributedScanRequest, 'waitMs' | 'onProgress'>,
  runId: string,
  started: Date,
): DistributedRunJobs {
  // vigie.yml read once (50 000 assets: hundreds of megabytes while parsed).
  const config = fs.existsSync(req.inventoryFile) ? loadConfig(req.inventoryFile) : undefined;
  const plan = scanEndpoints({ targets: req.targets, inventoryFile: req.inventoryFile }, config);
  const scan: ScanSettings = {
    runId,
    startedAt: started.toISOString(),
    targets: plan.targets,
    inventoryFile: req.inventoryFile,
    inventory: plan.inventory,
    categories: [...req.categories],
    caFiles: [...req.caFiles],
    profiles: [...req.profiles],
    ...(req.timeoutMs === undefined ? {} : { timeoutMs: req.timeoutMs }),
    ...(req.concurrency === undefined ? {} : { concurrency: req.concurrency }),
    fleet: fleetLimits(req.env, config),
    // The workers read this, not the whole inventory (50 000 assets: 250 MB to parse in each).
    ...(config ? { config: { ...config, assets: [] } } : {}),
  };
  const assets = new Map((config?.assets ?? []).map((a) => [a.id, a]));
  // Host jobs run every category but DNS; the domains (and the mail servers they name) are one job.
  const hostCategories = scan.categories.filter((c) => c !== 'dns');
  const hosts = (hostCategories.length > 0 ? byHost(plan.endpoints) : []).map((h, i) => ({
    ...h,
    jobId: `${runId}.h${i}`,
  }));
  const domains = scanDomains({ ...req, targets: req.targets }, config);
  const domainsJob = domains.length > 0 ? { jobId: `${runId}.dns`, host: DOMAINS_JOB } : undefined;
  const children: FlowJobSpec[] = hosts.map((h) => {
    const data: HostJobData = {
      kind: 'host',
      scan,
      host: h.host,
      endpoints: h.endpoints,
      ...(config ? { assets: assetsOf(h.endpoints, assets) } : {}),
    };
    return { name: 'host', id: h.jobId, data };
  });
  if (domainsJob) {
    const data: DomainsJobData = { kind: 'domains', scan, domains };
    children.push({ name: 'domains', id: domainsJob.jobId, data });
  }
  // The finishing job reads each host's endpoints from its job only if it failed, and the run's
  // results from the store: its data is the jobs' ids and what the posture needs of the assets.
  const finish: FinishJobData = {
    kind: 'finish',
    scan,
    hosts: [
      ...hosts.map((h) => ({ jobId: h.jobId, host: h.host })),
      ...(domainsJob ? [{ jobId: domainsJob.jobId, host: domainsJob.host }] : []),
    ],
    ...(config ? { assetIndex: assetIndexOf(config.assets) } : {}),
  };
  return { scan, targets: plan.targets, finish, children, hosts: hosts.length };
}

/** {@link scanDistributedSpooled}, its endpoints and findings read into memory (small runs, tests). */
export async function scanDistributed(ctx: AppContext, req: DistributedScanRequest): Promise<ScanResult> {
  return spooledResult(await scanDistributedSpooled(ctx, req));
}

/**
 * A scan run by the fleet: the run begins in the shared store, one job per host and a finishing
 * job go to Redis, and this waits (bounded) for the finishing job to close the run. The run's
 * endpoints and findings are then read from the store page by page into a private spool, as
 * `vigie scan` keeps its own: the caller closes it.
 */
export async function scanDistributedSpooled(
  ctx: AppContext,
  req: DistributedScanRequest,
): Promise<SpooledScan> {
  const settings = queueSettings(req.env);
  const { runId, jobCount, catalogue } = await enqueueRun(ctx, req, settings);
  const watcher = watchQueue(settings.connection);
  const deadline = Date.now() + (req.waitMs ?? 3600_000);
  const lostMs = lostAfterMs(req.env);
  // One question to Redis at a time: while Redis is down, ioredis keeps it queued until it is back.
  let pending: Promise<{ state: FlowState } | { error: unknown }> | undefined;
  let lastAnswer = Date.now();
  let missing = 0;
  let done = 0;
  const giveUp = async (reason: CataloguePart): Promise<never> => {
    // The run's jobs are gone (or Redis is): nothing will close it, so it is removed, not left running.
    const store = await openAppStore(ctx);
    try {
      await store.runs.abandon(runId);
    } finally {
      await store.close();
    }
    throw new OperationalError(msg('cli.scan.distributed.failed', { id: runId }, { reason }), {
      hint: msg('cli.scan.distributed.lost.hint'),
    });
  };
  try {
    for (;;) {
      pending ??= watcher.flowState('scan', `${runId}.finish`).then(
        (state) => ({ state }),
        (error: unknown) => ({ error }),
      );
      const answer = await Promise.race([pending, sleep(POLL_TIMEOUT_MS).then(() => undefined)]);
      if (answer !== undefined) pending = undefined;
      if (answer !== undefined && 'state' in answer) {
        lastAnswer = Date.now();
        const state = answer.state;
        // Hosts added by batches have a gate too: one more child, not a host.
        done = Math.min(state.done, jobCount);
        req.onProgress?.(done, jobCount);
        if (state.state === 'completed') {
          const outcome = state.returnValue as FinishOutcome;
          const store = await openAppStore(ctx);
          try {
            return await readRunSpooled(store, outcome, catalogue, ctx.lang);
          } finally {
            await store.close();
          }
        }
        if (state.state === 'failed') {
          throw new OperationalError(
            msg('cli.scan.distributed.failed', { id: runId, reason: state.failedReason ?? '' }),
          );
        }
        // The finishing job is no longer in Redis (restarted without persistence, or flushed).
        missing = state.state === 'unknown' ? missing + 1 : 0;
        if (missing >= LOST_POLLS) await giveUp({ key: 'cli.scan.distributed.lost' });
      } else if (Date.now() - lastAnswer > lostMs) {
        await giveUp({
          key: 'cli.scan.distributed.unreachable',
          params: { url: redactRedisUrl(settings.connection.url), s: Math.round(lostMs / 1000) },
        });
      }
      if (Date.now() > deadline) {
        throw new OperationalError(
          msg('cli.scan.distributed.timeout', { id: runId, done, total: jobCount }),
          {
            hint: msg('cli.scan.distributed.timeout.hint'),
          },
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    // Bounded: closing must not hang on a Redis that is gone.
    await Promise.race([watcher.close().catch(() => undefined), sleep(2000)]);
  }
}

/**
 * Begins the run and enqueues its jobs. Apart, so that none of what they are made of (the inventory,
 * the plan, every host job's data: 70 MB for 50 000 hosts) stays alive while the run is awaited and
 * read back: only the run's id, its number of jobs and the catalogue come out.
 */
async function enqueueRun(
  ctx: AppContext,
  req: DistributedScanRequest,
  settings: QueueSettings,
): Promise<{ runId: string; jobCount: number; catalogue: Catalogue }> {
  const started = ctx.clock.now();
  const runId = newRunId(started);
  const { scan, targets, finish, children } = distributedRunJobs(req, runId, started);
  const { catalogue } = loadCheckLibrary(scan.config);
  await checkRedis(settings);
  await beginRun(ctx, { id: runId, startedAt: scan.startedAt, targets }, started, () =>
    addFlow(
      settings.connection,
      'scan',
      { name: 'finish', id: `${runId}.finish`, data: finish },
      children,
      settings.tuning,
    ),
  );
  return { runId, jobCount: finish.hosts.length, catalogue };
}

/** The inventory's assets these endpoints belong to (their settings: TLS profile, criticality). */
function assetsOf(endpoints: readonly Endpoint[], assets: ReadonlyMap<string, Asset>): Asset[] {
  const ids = new Set(endpoints.flatMap((e) => (e.assetId ? [e.assetId] : [])));
  return [...ids].flatMap((id) => {
    const asset = assets.get(id);
    return asset ? [asset] : [];
  });
}
