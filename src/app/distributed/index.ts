export { scanDistributed, scanDistributedSpooled, type DistributedScanRequest } from './scan-distributed.js';
export { listWorkers, runWorker, workerQueues, type WorkerRequest } from './worker.js';
export { queueSettings, type QueueSettings } from './queue-settings.js';
export type { FinishJobData, HostJobData, HostOutcome, ScanSettings } from './scan-jobs.js';
export type { WorkerBeat } from '../../queue/index.js';
export {
  runDistributedDaemon,
  syncDaemonSchedules,
  type RunDistributedDaemonOptions,
} from './daemon-distributed.js';
export {
  distributedSchedules,
  type DistributedSchedule,
  type DistributedScheduleStatus,
} from './distributed-status.js';
export {
  cronNextRun,
  daemonSchedules,
  SCHEDULE_PREFIX,
  type ScheduledJobData,
  type ScheduledJobName,
} from './daemon-schedules.js';
export { enqueueOccurrence, occurrenceJobId } from './scheduled-occurrence.js';
export { alertsJobId, scheduledRunId, startScheduledScan } from './scheduled-scan.js';
export {
  enqueueGithubSync,
  githubJobId,
  githubSyncDistributed,
  type DistributedGithubSyncRequest,
  type GithubJobOptions,
} from './github-job.js';
