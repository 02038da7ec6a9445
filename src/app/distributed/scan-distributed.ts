import { setTimeout as sleep } from 'node:timers/promises';
import { OperationalError, SCORING_VERSION, type Endpoint, type ScanResult } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import { addFlow, watchQueue } from '../../queue/index.js';
import { newRunId, scanEndpoints } from '../scan/index.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore } from '../shared/data-store.js';
import { checkRedis, queueSettings } from './queue-settings.js';
import type { FinishJobData, HostJobData, ScanSettings } from './scan-jobs.js';

export interface DistributedScanRequest {
  targets: readonly string[];
  inventoryFile: string;
  categories: ScanSettings['categories'];
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

/** Endpoints by host (case-insensitive), in the order first seen. */
function byHost(endpoints: readonly Endpoint[]): { host: string; endpoints: Endpoint[] }[] {
  const hosts = new Map<string, { host: string; endpoints: Endpoint[] }>();
  for (const e of endpoints) {
    const key = e.host.toLowerCase();
    const entry = hosts.get(key) ?? { host: e.host, endpoints: [] };
    entry.endpoints.push(e);
    hosts.set(key, entry);
  }
  return [...hosts.values()];
}

/**
 * A scan run by the fleet: the run begins in the shared store, one job per host and a finishing
 * job go to Redis, and this waits (bounded) for the finishing job to close the run.
 */
export async function scanDistributed(ctx: AppContext, req: DistributedScanRequest): Promise<ScanResult> {
  const settings = queueSettings(req.env);
  await checkRedis(settings);
  const plan = scanEndpoints({ targets: req.targets, inventoryFile: req.inventoryFile });
  const started = ctx.clock.now();
  const runId = newRunId(started);
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
  };
  const hosts = byHost(plan.endpoints).map((h, i) => ({ ...h, jobId: `${runId}.h${i}` }));
  const store = await openAppStore(ctx);
  try {
    await store.runs.removeAbandoned(started);
    await store.runs.begin({
      id: runId,
      startedAt: scan.startedAt,
      scoringVersion: SCORING_VERSION,
      targets: plan.targets,
    });
    const finish: FinishJobData = { kind: 'finish', scan, hosts };
    await addFlow(
      settings.connection,
      'scan',
      { name: 'finish', id: `${runId}.finish`, data: finish },
      hosts.map((h) => {
        const data: HostJobData = { kind: 'host', scan, host: h.host, endpoints: h.endpoints };
        return { name: 'host', id: h.jobId, data };
      }),
      settings.tuning,
    );
  } catch (error) {
    await store.runs.abandon(runId).catch(() => undefined);
    throw error;
  } finally {
    await store.close();
  }

  const watcher = watchQueue(settings.connection);
  const deadline = Date.now() + (req.waitMs ?? 3600_000);
  try {
    for (;;) {
      const state = await watcher.flowState('scan', `${runId}.finish`);
      req.onProgress?.(state.done, hosts.length);
      if (state.state === 'completed') return state.returnValue as ScanResult;
      if (state.state === 'failed') {
        throw new OperationalError(
          msg('cli.scan.distributed.failed', { id: runId, reason: state.failedReason ?? '' }),
        );
      }
      if (Date.now() > deadline) {
        throw new OperationalError(
          msg('cli.scan.distributed.timeout', { id: runId, done: state.done, total: hosts.length }),
          {
            hint: msg('cli.scan.distributed.timeout.hint'),
          },
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    await watcher.close();
  }
}
