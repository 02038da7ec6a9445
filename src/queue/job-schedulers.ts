/**
 * BullMQ job schedulers: the daemon's schedules in Redis when it runs distributed (ADR 0026).
 * A scheduler fires each occurrence as ONE job whose id is `repeat:<scheduler id>:<fire time ms>`:
 * two daemons that upsert the same scheduler make the same jobs, so each occurrence runs once.
 */
import { Queue } from 'bullmq';
import type { QueueConnection, QueueName, QueueTuning } from './index.js';
import { repeatStrategyOf, type NextRun } from './repeat-strategy.js';
import { openRedis, queuePrefix, tunedJobOptions } from './redis-connection.js';

/** One schedule: a cron pattern read in `tz`, the job it makes (name and JSON data) in `queue`. */
export interface JobSchedulerSpec {
  id: string;
  queue: QueueName;
  pattern: string;
  tz: string;
  name: string;
  data: unknown;
}

/** A scheduler as Redis holds it, with its next occurrence. */
export interface JobSchedulerState {
  id: string;
  queue: QueueName;
  name: string;
  pattern?: string;
  tz?: string;
  /** Next fire time (ms since the epoch). */
  next?: number;
  data?: unknown;
}

export interface SchedulerSync {
  added: string[];
  updated: string[];
  kept: string[];
  removed: string[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes Redis hold exactly `specs` among the schedulers whose id starts with `managedPrefix`, in
 * `queues`: missing ones are added, changed ones replaced, the others of the prefix removed. A
 * scheduler already as asked is left alone (its next occurrence untouched), so that a second
 * daemon, or the same one checking again, changes nothing.
 */
export async function syncJobSchedulers(
  c: QueueConnection,
  queues: readonly QueueName[],
  specs: readonly JobSchedulerSpec[],
  opts: { managedPrefix: string; nextRun: NextRun; tuning?: QueueTuning },
): Promise<SchedulerSync> {
  const connection = openRedis(c);
  const result: SchedulerSync = { added: [], updated: [], kept: [], removed: [] };
  try {
    for (const name of queues) {
      const queue = new Queue(name, {
        connection,
        prefix: queuePrefix(c),
        settings: { repeatStrategy: repeatStrategyOf(opts.nextRun) },
      });
      queue.on('error', () => undefined);
      try {
        const wanted = specs.filter((s) => s.queue === name);
        const present = new Map((await queue.getJobSchedulers()).map((s) => [s.key, s] as const));
        for (const [id] of present) {
          if (id.startsWith(opts.managedPrefix) && !wanted.some((s) => s.id === id)) {
            await queue.removeJobScheduler(id);
            result.removed.push(id);
          }
        }
        for (const spec of wanted) {
          const current = present.get(spec.id);
          if (
            current &&
            current.pattern === spec.pattern &&
            current.tz === spec.tz &&
            current.name === spec.name &&
            same(current.template?.data, spec.data)
          ) {
            result.kept.push(spec.id);
            continue;
          }
          await queue.upsertJobScheduler(
            spec.id,
            { pattern: spec.pattern, tz: spec.tz },
            { name: spec.name, data: spec.data, opts: tunedJobOptions(opts.tuning ?? {}) },
          );
          (current ? result.updated : result.added).push(spec.id);
        }
      } finally {
        await queue.close();
      }
    }
    return result;
  } finally {
    connection.disconnect();
  }
}

/** The schedulers of `queues` (all of vigie's by default), soonest first. */
export async function listJobSchedulers(
  c: QueueConnection,
  queues: readonly QueueName[],
): Promise<JobSchedulerState[]> {
  const connection = openRedis(c);
  try {
    const out: JobSchedulerState[] = [];
    for (const name of queues) {
      const queue = new Queue(name, { connection, prefix: queuePrefix(c) });
      queue.on('error', () => undefined);
      try {
        for (const s of await queue.getJobSchedulers(0, -1, true)) {
          out.push({
            id: s.key,
            queue: name,
            name: s.name,
            ...(s.pattern === undefined ? {} : { pattern: s.pattern }),
            ...(s.tz === undefined ? {} : { tz: s.tz }),
            ...(s.next === undefined || s.next === null ? {} : { next: s.next }),
            ...(s.template?.data === undefined ? {} : { data: s.template.data as unknown }),
          });
        }
      } finally {
        await queue.close();
      }
    }
    return out.sort((a, b) => (a.next ?? Infinity) - (b.next ?? Infinity) || a.id.localeCompare(b.id));
  } finally {
    connection.disconnect();
  }
}

/** The fire time of a job made by a scheduler (`repeat:<id>:<ms>`), undefined for any other job. */
export function scheduledFireTime(jobId: string): number | undefined {
  const m = /^repeat:.+:(\d+)$/.exec(jobId);
  return m ? Number(m[1]) : undefined;
}
