export { scanDistributed, type DistributedScanRequest } from './scan-distributed.js';
export { listWorkers, runWorker, workerQueues, type WorkerRequest } from './worker.js';
export { queueSettings, type QueueSettings } from './queue-settings.js';
export type { FinishJobData, HostJobData, HostOutcome, ScanSettings } from './scan-jobs.js';
export type { WorkerBeat } from '../../queue/index.js';
