import { createHash } from 'node:crypto';
import { SCORING_VERSION } from '../../domain/index.js';
import { addFlowTree, jobExists, type FlowTreeNode } from '../../queue/index.js';
import { scanDomains, scanEndpoints } from '../scan/index.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore } from '../shared/data-store.js';
import type { ScheduledJobData } from './daemon-schedules.js';
import type { QueueSettings } from './queue-settings.js';
import { byHost } from './scan-distributed.js';
import {
  domainsJobEndpoints,
  DOMAINS_JOB,
  type DomainsJobData,
  type FinishJobData,
  type HostJobData,
  type ScanSettings,
} from './scan-jobs.js';

/**
 * The run of one occurrence of the scan schedule: its fire time, and 4 hex digits of the job's id
 * (not random: an attempt taken again after a crash starts the same run, never a second one).
 */
export function scheduledRunId(firedAt: Date, jobId: string): string {
  const time = firedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}-${createHash('sha256').update(jobId).digest('hex').slice(0, 4)}`;
}

/** The id of the alerts job of a scheduled run (the parent of its finishing job). */
export const alertsJobId = (runId: string): string => `${runId}.alerts`;

/**
 * Starts the distributed run of a scheduled scan: the whole inventory, every category as the lone
 * daemon scans it, one job per host, one for the domains, the finishing job, and above it
 * `scanAlerts` (queue `notify`), which mails the new findings once the run is closed. Taken again
 * after a crash, it finds its jobs in Redis and adds nothing, or starts the same run afresh.
 */
export async function startScheduledScan(
  ctx: AppContext,
  settings: QueueSettings,
  data: ScheduledJobData,
  occurrence: { jobId: string; firedAt: Date },
): Promise<{ runId: string; hosts: number; already: boolean }> {
  const runId = scheduledRunId(occurrence.firedAt, occurrence.jobId);
  if (await jobExists(settings.connection, 'notify', alertsJobId(runId)))
    return { runId, hosts: 0, already: true };
  const plan = scanEndpoints({ targets: [], inventoryFile: data.inventoryFile });
  const started = ctx.clock.now();
  const scan: ScanSettings = {
    runId,
    startedAt: started.toISOString(),
    targets: plan.targets,
    inventoryFile: data.inventoryFile,
    inventory: plan.inventory,
    categories: ['tls', 'http', 'services', 'dns'],
    caFiles: [],
    profiles: [],
  };
  const hosts = byHost(plan.endpoints).map((h, i) => ({ ...h, jobId: `${runId}.h${i}` }));
  // The domains' DNS and mail checks are one job, as for `scan --distributed`.
  const domains = scanDomains({
    targets: [],
    inventoryFile: data.inventoryFile,
    categories: scan.categories,
  });
  const domainsJob =
    domains.length > 0
      ? { jobId: `${runId}.dns`, host: DOMAINS_JOB, endpoints: domainsJobEndpoints(domains) }
      : undefined;
  const finish: FinishJobData = { kind: 'finish', scan, hosts: domainsJob ? [...hosts, domainsJob] : hosts };
  const alerts: ScheduledJobData = {
    kind: 'scheduled',
    job: 'scanAlerts',
    inventoryFile: data.inventoryFile,
    runId,
  };
  const tree: FlowTreeNode = {
    queue: 'notify',
    name: 'scanAlerts',
    id: alertsJobId(runId),
    data: alerts,
    children: [
      {
        queue: 'scan',
        name: 'finish',
        id: `${runId}.finish`,
        data: finish,
        children: [
          ...hosts.map((h): FlowTreeNode => {
            const host: HostJobData = { kind: 'host', scan, host: h.host, endpoints: h.endpoints };
            return { queue: 'scan', name: 'host', id: h.jobId, data: host };
          }),
          ...(domainsJob
            ? [
                {
                  queue: 'scan' as const,
                  name: 'domains',
                  id: domainsJob.jobId,
                  data: { kind: 'domains', scan, domains } satisfies DomainsJobData,
                },
              ]
            : []),
        ],
      },
    ],
  };
  const store = await openAppStore(ctx);
  try {
    // An earlier attempt that died between `begin` and the jobs left the run begun: start it again.
    await store.runs.abandon(runId);
    await store.runs.removeAbandoned(started);
    await store.runs.begin({
      id: runId,
      startedAt: scan.startedAt,
      scoringVersion: SCORING_VERSION,
      targets: plan.targets,
    });
    await addFlowTree(settings.connection, tree, settings.tuning);
  } catch (error) {
    await store.runs.abandon(runId).catch(() => undefined);
    throw error;
  } finally {
    await store.close();
  }
  return { runId, hosts: hosts.length, already: false };
}
