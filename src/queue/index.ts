/**
 * The job queue of distributed scanning: a thin adapter over BullMQ on Redis, the only code that
 * imports `bullmq` and `ioredis` (ADR 0026). Jobs carry plain JSON; what they mean is src/app's.
 */
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { repeatStrategyOf, type NextRun } from './repeat-strategy.js';
import { addFlowTree } from './unique-jobs.js';

/**
 * The queues vigie uses: `scan` holds host jobs and the finishing job of each distributed run (and
 * the daemon's scheduled scans); `discover` the scheduled discovery; `notify` the mail jobs.
 */
export const QUEUE_NAMES = ['scan', 'discover', 'notify'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Where the queues live: a Redis URL (may hold a password: never printed) and the key prefix. */
export interface QueueConnection {
  url: string;
  /** Key prefix in Redis (`vigie` by default; tests use one of their own). */
  prefix?: string;
}

/** Retries and stalled-job recovery (short values in tests). */
export interface QueueTuning {
  /** Attempts of a job before it fails for good (default 3). */
  attempts?: number;
  /** First retry delay, doubled at each attempt (default 2 s). */
  backoffMs?: number;
  /** How long a worker's lock on its job lasts without renewal (default 30 s). */
  lockMs?: number;
  /** How often workers look for stalled jobs (default 30 s). */
  stalledIntervalMs?: number;
  /** How many times a job may stall (its worker died) before it fails (default 2). */
  maxStalledCount?: number;
}

const DEFAULT_PREFIX = 'vigie';

/** The URL with its password (and user name) replaced by `***`: what may be printed. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://***';
  }
}

function connect(c: QueueConnection): Redis {
  // BullMQ's blocking commands need `maxRetriesPerRequest: null`; reconnection is ioredis's.
  const redis = new Redis(c.url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Errors are surfaced by the commands that fail; the connection keeps retrying meanwhile.
  redis.on('error', () => undefined);
  return redis;
}

const prefixOf = (c: QueueConnection) => c.prefix ?? DEFAULT_PREFIX;

/** One job of a flow: its name (`host`, `finish` …), its id (unique in the queue) and its data. */
export interface FlowJobSpec {
  name: string;
  id: string;
  data: unknown;
}

/**
 * Adds a parent job that runs once every child has ended (completed, or failed after its retries:
 * a failed child never blocks the parent, which reads the failures with `ignoredFailures`). Many
 * children are added by batches behind a gate (`FLOW_BATCH`): one more child, ended at once.
 */
export async function addFlow(
  c: QueueConnection,
  queue: QueueName,
  parent: FlowJobSpec,
  children: readonly FlowJobSpec[],
  tuning: QueueTuning = {},
  batch?: number,
): Promise<void> {
  await addFlowTree(
    c,
    { queue, ...parent, children: children.map((child) => ({ queue, ...child })) },
    tuning,
    batch,
  );
}

/** What a job handler sees of its job. */
export interface QueueJob {
  id: string;
  name: string;
  data: unknown;
  /** 1 for the first attempt. */
  attempt: number;
  attempts: number;
  /** Return values of the children that completed, by child job id. */
  childrenValues(): Promise<Map<string, unknown>>;
  /** Failure reasons of the children that failed after their retries, by child job id. */
  ignoredFailures(): Promise<Map<string, string>>;
  /**
   * The data of one job of this job's queue (a child that failed, read alone rather than every
   * child's); undefined when it is no longer in Redis.
   */
  jobData(id: string): Promise<unknown>;
}

const idOfKey = (key: string) => key.slice(key.lastIndexOf(':') + 1);

function wrap(job: Job, read: (id: string) => Promise<Job | undefined>): QueueJob {
  return {
    id: job.id ?? '',
    name: job.name,
    data: job.data as unknown,
    attempt: job.attemptsMade + 1,
    attempts: job.opts.attempts ?? 1,
    childrenValues: async () =>
      new Map(Object.entries(await job.getChildrenValues()).map(([k, v]) => [idOfKey(k), v as unknown])),
    ignoredFailures: async () =>
      new Map(Object.entries(await job.getIgnoredChildrenFailures()).map(([k, v]) => [idOfKey(k), v])),
    jobData: async (id) => (await read(id))?.data as unknown,
  };
}

/** A running consumer of one queue. */
export interface QueueWorker {
  /** Stops taking jobs, lets the current ones finish (or hands them back when `force`), disconnects. */
  close(force?: boolean): Promise<void>;
  /** Resolves once connected and ready to take jobs. */
  ready(): Promise<void>;
}

export interface WorkerOptions extends QueueTuning {
  concurrency?: number;
  /** How job schedulers' next occurrences are computed (the same everywhere: daemons and workers). */
  nextRun?: NextRun;
  onActive?: (job: { id: string; name: string }) => void;
  onEnded?: (job: { id: string; name: string }) => void;
}

/** Takes the jobs of `queue`, `concurrency` at a time; a handler that throws fails the attempt. */
export function startWorker(
  c: QueueConnection,
  queue: QueueName,
  handle: (job: QueueJob) => Promise<unknown>,
  opts: WorkerOptions = {},
): QueueWorker {
  const connection = connect(c);
  const read = (id: string): Promise<Job | undefined> => Job.fromId(worker, id);
  const worker: Worker = new Worker(queue, async (job: Job) => handle(wrap(job, read)), {
    connection,
    prefix: prefixOf(c),
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
    ...(opts.nextRun ? { settings: { repeatStrategy: repeatStrategyOf(opts.nextRun) } } : {}),
  });
  worker.on('error', () => undefined);
  worker.on('active', (job: Job) => opts.onActive?.({ id: job.id ?? '', name: job.name }));
  const ended = (job: Job | undefined) => {
    if (job) opts.onEnded?.({ id: job.id ?? '', name: job.name });
  };
  worker.on('completed', ended);
  worker.on('failed', ended);
  return {
    close: async (force = false) => {
      await worker.close(force);
      connection.disconnect();
    },
    ready: async () => {
      await worker.waitUntilReady();
    },
  };
}

/** Where a flow's parent job stands. */
export interface FlowState {
  state: 'waiting-children' | 'waiting' | 'active' | 'completed' | 'failed' | 'unknown';
  /** Children ended (completed or failed for good) and in all. */
  done: number;
  total: number;
  returnValue?: unknown;
  failedReason?: string;
}

/** A client that watches jobs (the scanner waiting for its run). */
export interface QueueWatcher {
  flowState(queue: QueueName, parentId: string): Promise<FlowState>;
  close(): Promise<void>;
}

export function watchQueue(c: QueueConnection): QueueWatcher {
  const connection = connect(c);
  const queues = new Map<QueueName, Queue>();
  const queueOf = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: prefixOf(c) });
      // Redis going away is seen by the caller (no answer, or the job gone), not printed here.
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };
  return {
    flowState: async (name, parentId) => {
      // By id only: the parent's data (every host of the run: megabytes for 50 000) is read once
      // it has ended, for its return value, not at every look.
      const queue = queueOf(name);
      const state = await queue.getJobState(parentId);
      if (state === 'unknown') return { state: 'unknown', done: 0, total: 0 };
      const counts = await new Job(queue, 'finish', null, {}, parentId).getDependenciesCount();
      const ended =
        state === 'completed' || state === 'failed' ? await Job.fromId(queue, parentId) : undefined;
      if ((state === 'completed' || state === 'failed') && !ended)
        return { state: 'unknown', done: 0, total: 0 };
      const job = { returnvalue: ended?.returnvalue as unknown, failedReason: ended?.failedReason ?? '' };
      const done = (counts.processed ?? 0) + (counts.ignored ?? 0) + (counts.failed ?? 0);
      return {
        state:
          (['waiting-children', 'waiting', 'active', 'completed', 'failed'] as const).find(
            (s) => s === state,
          ) ?? (state === 'delayed' || state === 'prioritized' ? 'waiting' : 'unknown'),
        done,
        total: done + (counts.unprocessed ?? 0),
        ...(state === 'completed' ? { returnValue: job.returnvalue } : {}),
        ...(state === 'failed' ? { failedReason: job.failedReason } : {}),
      };
    },
    close: async () => {
      for (const q of queues.values()) await q.close();
      connection.disconnect();
    },
  };
}

/** Removes every job and key of the queues under this prefix (tests, and `vigie worker --purge` later). */
export async function obliterateQueues(c: QueueConnection): Promise<void> {
  const connection = connect(c);
  try {
    for (const name of QUEUE_NAMES) {
      const q = new Queue(name, { connection, prefix: prefixOf(c) });
      await q.obliterate({ force: true });
      await q.close();
    }
    const keys = await connection.keys(`${prefixOf(c)}:workers:*`);
    if (keys.length > 0) await connection.del(...keys);
  } finally {
    connection.disconnect();
  }
}

/** A worker's heartbeat: what `vigie workers` lists. */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  lastBeatAt: string;
  queues: string[];
  concurrency: number;
  /** The jobs under way (ids). */
  jobs: string[];
}

/** Records the heartbeat, kept `ttlMs` (a worker that stops beating disappears from the list). */
export interface HeartbeatWriter {
  beat(record: WorkerBeat, ttlMs: number): Promise<void>;
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

export function heartbeats(c: QueueConnection): HeartbeatWriter & { list(): Promise<WorkerBeat[]> } {
  const connection = connect(c);
  const key = (id: string) => `${prefixOf(c)}:workers:${id}`;
  return {
    beat: async (record, ttlMs) => {
      await connection.set(key(record.id), JSON.stringify(record), 'PX', ttlMs);
    },
    remove: async (id) => {
      await connection.del(key(id));
    },
    list: async () => {
      const out: WorkerBeat[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefixOf(c)}:workers:*`, 'COUNT', 100);
        cursor = next;
        if (keys.length === 0) continue;
        for (const value of await connection.mget(...keys)) {
          if (value) out.push(JSON.parse(value) as WorkerBeat);
        }
      } while (cursor !== '0');
      return out.sort((a, b) => a.host.localeCompare(b.host) || a.id.localeCompare(b.id));
    },
    close: async () => {
      connection.disconnect();
    },
  };
}

/** Checks that Redis answers within `timeoutMs`; throws otherwise (the caller words the error). */
export async function pingRedis(c: QueueConnection, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(c.url, {
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

export type { NextRun } from './repeat-strategy.js';
export * from './job-schedulers.js';
export * from './unique-jobs.js';
export {
  targetSemaphore,
  targetKey,
  type TargetSemaphore,
  type TargetSemaphoreOptions,
} from './target-semaphore.js';
export { clearFleetLimits, fleetRate, rateKey, type FleetRate } from './fleet-rate.js';
