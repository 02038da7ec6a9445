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

/**
 * Children added with their parent in one flow at most. BullMQ adds a flow in one MULTI whose
 * commands are all held until sent: 50 000 children took 600 MB more in the enqueuing process. A
 * parent with more children gets this many and a **gate** (a delayed child of its own), then the
 * others by batches of this size, then the gate is opened (promoted: a worker ends it at once). The
 * parent cannot run before the last batch is added: the gate is one of its children, still pending.
 */
export const FLOW_BATCH = 500;
/**
 * When the gate opens by itself if the process adding the children died first: the parent then
 * runs with the children added so far (a distributed run's finishing job sees the missing ones
 * and abandons the run: never one closed without some of its hosts, nor one that never ends).
 */
export const GATE_DELAY_MS = 15 * 60_000;

/** The data of a gate job (a worker ends it at once; see {@link FLOW_BATCH}). */
export interface GateJobData {
  kind: 'gate';
}

export const isGateJob = (data: unknown): data is GateJobData =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'gate';

/** The id of the gate of a parent. */
export const gateJobId = (parentId: string): string => `${parentId}.gate`;

/** Children of a parent left to add after its flow, by batches. */
interface LaterChildren {
  parent: FlowTreeNode;
  children: FlowTreeNode[];
}

/**
 * Adds a tree of jobs across queues (a parent per level), ids of the caller's. A parent with more
 * than `batch` leaf children has them added by batches behind a gate (see {@link FLOW_BATCH}).
 */
export async function addFlowTree(
  c: QueueConnection,
  root: FlowTreeNode,
  tuning: QueueTuning = {},
  batch = FLOW_BATCH,
): Promise<void> {
  const connection = openRedis(c);
  const prefix = queuePrefix(c);
  const flows = new FlowProducer({ connection, prefix });
  flows.on('error', () => undefined);
  const opts = tunedJobOptions(tuning);
  const childOpts = { ignoreDependencyOnFailure: true, failParentOnFailure: false };
  const later: LaterChildren[] = [];
  const toFlow = (node: FlowTreeNode, child: boolean): FlowJob => {
    let children = node.children;
    if (children && children.length > batch && children.every((n) => !n.children?.length)) {
      later.push({ parent: node, children: children.slice(batch) });
      const gate: FlowTreeNode = {
        queue: children[0]!.queue,
        name: 'gate',
        id: gateJobId(node.id),
        data: { kind: 'gate' } satisfies GateJobData,
      };
      children = [gate, ...children.slice(0, batch)];
    }
    return {
      name: node.name,
      queueName: node.queue,
      data: node.data,
      opts: {
        ...opts,
        jobId: node.id,
        ...(child ? childOpts : {}),
        ...(isGateJob(node.data) ? { delay: GATE_DELAY_MS } : {}),
      },
      ...(children ? { children: children.map((n) => toFlow(n, true)) } : {}),
    };
  };
  try {
    await flows.add(toFlow(root, false));
    for (const { parent, children } of later) {
      const queue = children[0]!.queue;
      const q = new Queue(queue, { connection, prefix });
      q.on('error', () => undefined);
      try {
        for (let i = 0; i < children.length; i += batch) {
          await q.addBulk(
            children.slice(i, i + batch).map((n) => ({
              name: n.name,
              data: n.data,
              opts: {
                ...opts,
                jobId: n.id,
                ...childOpts,
                parent: { id: parent.id, queue: `${prefix}:${parent.queue}` },
              },
            })),
          );
        }
        // Every child is there: the gate ends at once, and the parent runs once the others have.
        await (await Job.fromId(q, gateJobId(parent.id)))?.promote();
      } finally {
        await q.close();
      }
    }
  } finally {
    await flows.close();
    connection.disconnect();
  }
}
