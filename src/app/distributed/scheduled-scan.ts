import { createHash } from 'node:crypto';
import { addFlowTree, jobExists, type FlowTreeNode } from '../../queue/index.js';
import type { AppContext } from '../shared/context.js';
import type { ScheduledJobData } from './daemon-schedules.js';
import { beginRun } from './begin-run.js';
import { withGithubSync } from './github-job.js';
import type { QueueSettings } from './queue-settings.js';
import { distributedRunJobs } from './scan-distributed.js';

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
 * `scanAlerts` (queue `notify`), which mails the new findings once the run is closed, and above that,
 * with `github:`, `githubSync` (`<run>.github`), the GitHub synchronisation. Taken again
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
  const started = ctx.clock.now();
  const { scan, targets, finish, children, hosts } = distributedRunJobs(
    {
      targets: [],
      inventoryFile: data.inventoryFile,
      categories: ['tls', 'http', 'services', 'dns'],
      caFiles: [],
      profiles: [],
    },
    runId,
    started,
  );
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
        children: children.map((c): FlowTreeNode => ({ queue: 'scan', ...c })),
      },
    ],
  };
  // An earlier attempt that died between `begin` and the jobs left the run begun: start it again.
  await beginRun(
    ctx,
    { id: runId, startedAt: scan.startedAt, targets },
    started,
    () => addFlowTree(settings.connection, withGithubSync(tree, runId, data.inventoryFile), settings.tuning),
    true,
  );
  return { runId, hosts, already: false };
}
