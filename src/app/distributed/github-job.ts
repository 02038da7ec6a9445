import { loadConfig } from '../../config/index.js';
import { addUniqueJob, type FlowTreeNode } from '../../queue/index.js';
import type { ScheduledJobData } from './daemon-schedules.js';
import type { QueueSettings } from './queue-settings.js';

/**
 * The id of the GitHub synchronisation of a scheduled run: its idempotency key. Two daemons, or a
 * scan job taken again, that start the same run make the same job, so the run is synchronised once.
 */
export const githubJobId = (runId: string): string => `${runId}.github`;

const githubJobData = (inventoryFile: string, runId?: string): ScheduledJobData => ({
  kind: 'scheduled',
  job: 'githubSync',
  inventoryFile,
  ...(runId === undefined ? {} : { runId }),
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
): Promise<boolean> {
  return addUniqueJob(
    settings.connection,
    'notify',
    { name: 'githubSync', id, data: githubJobData(inventoryFile) },
    settings.tuning,
  );
}
