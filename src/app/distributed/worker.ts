import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { OperationalError, UsageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import {
  heartbeats,
  isGateJob,
  QUEUE_NAMES,
  startWorker,
  type QueueName,
  type WorkerBeat,
} from '../../queue/index.js';
import { keepValidatedConfig, DEFAULT_MAX_PER_TARGET, type FleetLimits } from '../../config/index.js';
import { defaultDaemonJobs, type DaemonJobs } from '../daemon/index.js';
import { keepCheckLibraries } from '../shared/check-library.js';
import type { AppContext } from '../shared/context.js';
import { openAppStore } from '../shared/data-store.js';
import { cronNextRun, isScheduledJob } from './daemon-schedules.js';
import { fleetGate, type FleetGate } from './fleet-gate.js';
import { checkRedis, queueSettings } from './queue-settings.js';
import { runScheduledJob } from './scheduled-jobs.js';
import {
  DOMAINS_JOB,
  runDomainsJob,
  runFinishJob,
  runHostJob,
  type DomainsJobData,
  type FinishJobData,
  type HostJobData,
} from './scan-jobs.js';

export interface WorkerRequest {
  concurrency: number;
  queues: readonly string[];
  /** Resolves when the worker must stop (SIGTERM, SIGINT): current jobs finish first. */
  stop: Promise<void>;
  /** Told once the worker takes jobs, and when it stops (with its id). */
  onEvent?: (event: 'ready' | 'stopped', id: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The use cases of the daemon's scheduled jobs (tests pass fakes). */
  jobs?: DaemonJobs;
}

/** The queues named by `--queues`, checked. */
export function workerQueues(names: readonly string[]): QueueName[] {
  const known = new Set<string>(QUEUE_NAMES);
  for (const n of names) {
    if (!known.has(n)) {
      throw new UsageError(msg('cli.worker.error.queue', { queue: n, known: QUEUE_NAMES.join(', ') }));
    }
  }
  return [...new Set(names)] as QueueName[];
}

/**
 * Takes jobs from Redis until told to stop: each host job runs the engine of `vigie scan` on one
 * host and appends to its run in the shared store; a finishing job closes its run; a scheduled job
 * (the daemon's, in distributed mode) runs as `runScheduledJob` says. The worker
 * records its heartbeat (id, host, pid, jobs under way) with a time to live.
 */
export async function runWorker(ctx: AppContext, req: WorkerRequest): Promise<void> {
  const settings = queueSettings(req.env);
  const queues = workerQueues(req.queues);
  await checkRedis(settings);
  const store = await openAppStore(ctx);
  const id = `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const jobs = new Set<string>();
  const daemonJobs = req.jobs ?? defaultDaemonJobs();
  const beats = heartbeats(settings.connection);
  const record = (): WorkerBeat => ({
    id,
    host: os.hostname(),
    pid: process.pid,
    startedAt,
    lastBeatAt: ctx.clock.now().toISOString(),
    queues: [...queues],
    concurrency: req.concurrency,
    jobs: [...jobs],
  });
  const startedAt = ctx.clock.now().toISOString();
  const ttl = settings.heartbeatMs * 3;
  // Thousands of jobs on one vigie.yml: validated once per change, the check library read once per
  // configuration, the store opened once (not per job: that was most of a small job's time).
  keepValidatedConfig();
  keepCheckLibraries();
  const jobCtx: AppContext = { ...ctx, sharedStore: store };
  // One gate per set of limits (a run carries its own), shared by the jobs of all runs that use it.
  const gates = new Map<string, FleetGate>();
  const gateOf = (limits: FleetLimits = { maxPerTarget: DEFAULT_MAX_PER_TARGET }) => {
    const key = `${limits.maxPerTarget}|${limits.ratePerSecond ?? ''}`;
    let gate = gates.get(key);
    if (!gate) {
      gate = fleetGate(settings.connection, limits, settings.fleetLeaseMs);
      gates.set(key, gate);
    }
    return gate;
  };
  const beat = () => beats.beat(record(), ttl).catch(() => undefined);
  const workers = queues.map((queue) =>
    startWorker(
      settings.connection,
      queue,
      async (job) => {
        if (isScheduledJob(job.data)) return runScheduledJob(ctx, settings, job, job.data, daemonJobs);
        // The gate of a run whose hosts were added by batches: all are there once it runs.
        if (isGateJob(job.data)) return {};
        const data = job.data as HostJobData | DomainsJobData | FinishJobData;
        if (data.kind === 'finish') return runFinishJob(jobCtx, job, data);
        if (data.kind === 'domains') {
          return withDeadline(settings.jobTimeoutMs, DOMAINS_JOB, (signal) =>
            runDomainsJob(jobCtx, data, signal, gateOf(data.scan.fleet)),
          );
        }
        return withDeadline(settings.jobTimeoutMs, data.host, (signal) =>
          runHostJob(jobCtx, data, signal, gateOf(data.scan.fleet)),
        );
      },
      {
        ...settings.tuning,
        concurrency: req.concurrency,
        nextRun: cronNextRun,
        onActive: (job) => {
          jobs.add(job.id);
          void beat();
        },
        onEnded: (job) => {
          jobs.delete(job.id);
          void beat();
        },
      },
    ),
  );
  const timer = setInterval(() => void beat(), settings.heartbeatMs);
  try {
    await Promise.all(workers.map((w) => w.ready()));
    await beat();
    req.onEvent?.('ready', id);
    await req.stop;
  } finally {
    clearInterval(timer);
    // Current jobs finish (BullMQ waits for them); a job cut short is handed back as stalled.
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all([...gates.values()].map((g) => g.close()));
    await store.close();
    await beats.remove(id).catch(() => undefined);
    await beats.close();
    req.onEvent?.('stopped', id);
  }
}

/**
 * A host job that outlives its deadline (a probe that hangs) fails this attempt: it is retried, then
 * becomes `scan.error`; what the abandoned scan still finds is not saved.
 */
async function withDeadline<T>(
  ms: number,
  host: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const work = run(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new OperationalError(msg('cli.worker.error.job-timeout', { host, ms }));
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

/** The workers whose heartbeat is still alive. */
export async function listWorkers(env: NodeJS.ProcessEnv = process.env): Promise<WorkerBeat[]> {
  const settings = queueSettings(env);
  await checkRedis(settings);
  const beats = heartbeats(settings.connection);
  try {
    return await beats.list();
  } finally {
    await beats.close();
  }
}
