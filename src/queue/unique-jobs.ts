/**
 * Jobs added under an id of the caller's (an idempotency key): adding the same id again while the
 * job is in Redis (waiting, running, or kept after it ended) adds nothing.
 */
import { FlowProducer, Job, Queue, type FlowJob } from 'bullmq';
import type { FlowJobSpec, QueueConnection, QueueName, QueueTuning } from './index.js';
import { openRedis, queuePrefix, tunedJobOptions } from './redis-connection.js';

/** Adds one job with the id `spec.id`; false when a job with that id was there already. */
export async function addUniqueJob(
  c: QueueConnection,
  queue: QueueName,
  spec: FlowJobSpec,
  tuning: QueueTuning = {},
): Promise<boolean> {
  const connection = openRedis(c);
  const q = new Queue(queue, { connection, prefix: queuePrefix(c) });
  q.on('error', () => undefined);
  try {
    if (await Job.fromId(q, spec.id)) return false;
    await q.add(spec.name, spec.data, { ...tunedJobOptions(tuning), jobId: spec.id });
    return true;
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/** A job of a tree: it runs once every child has ended (a failed child never blocks it). */
export interface FlowTreeNode extends FlowJobSpec {
  queue: QueueName;
  children?: FlowTreeNode[];
}

/** Whether a job with this id is in Redis (any state). */
export async function jobExists(c: QueueConnection, queue: QueueName, id: string): Promise<boolean> {
  const connection = openRedis(c);
  const q = new Queue(queue, { connection, prefix: queuePrefix(c) });
  q.on('error', () => undefined);
  try {
    return (await Job.fromId(q, id)) !== undefined;
  } finally {
    await q.close();
    connection.disconnect();
  }
}

/** Adds a tree of jobs across queues (a parent per level), ids of the caller's. */
export async function addFlowTree(
  c: QueueConnection,
  root: FlowTreeNode,
  tuning: QueueTuning = {},
): Promise<void> {
  const connection = openRedis(c);
  const flows = new FlowProducer({ connection, prefix: queuePrefix(c) });
  flows.on('error', () => undefined);
  const opts = tunedJobOptions(tuning);
  const toFlow = (node: FlowTreeNode, child: boolean): FlowJob => ({
    name: node.name,
    queueName: node.queue,
    data: node.data,
    opts: {
      ...opts,
      jobId: node.id,
      ...(child ? { ignoreDependencyOnFailure: true, failParentOnFailure: false } : {}),
    },
    ...(node.children ? { children: node.children.map((n) => toFlow(n, true)) } : {}),
  });
  try {
    await flows.add(toFlow(root, false));
  } finally {
    await flows.close();
    connection.disconnect();
  }
}
