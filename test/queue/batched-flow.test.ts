import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addFlow,
  isGateJob,
  obliterateQueues,
  startWorker,
  watchQueue,
  type FlowState,
} from '../../src/queue/index.js';

const REDIS_URL = process.env['VIGIE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Queues of this file only, removed at the end.
const connection = { url: REDIS_URL, prefix: `vigie-test-batched-flow-${process.pid}` };
afterAll(() => obliterateQueues(connection), 30_000);

describe('a flow whose children are added by batches', () => {
  it('runs its parent once, after every child of every batch, even when the first ones end at once', async () => {
    const ended: string[] = [];
    // The worker takes jobs before the flow is added: the first batch may end before the others come.
    const worker = startWorker(
      connection,
      'scan',
      async (job) => {
        if (isGateJob(job.data)) return {};
        if (job.name === 'parent') {
          ended.push('parent');
          return { children: [...(await job.childrenValues()).keys()].sort() };
        }
        ended.push(job.id);
        return job.id;
      },
      { concurrency: 4 },
    );
    await worker.ready();
    const children = Array.from({ length: 7 }, (_, i) => ({ name: 'child', id: `c${i}`, data: { i } }));
    await addFlow(connection, 'scan', { name: 'parent', id: 'p', data: {} }, children, {}, 2);
    const watcher = watchQueue(connection);
    let state: FlowState | undefined;
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        state = await watcher.flowState('scan', 'p');
        if (state.state === 'completed') break;
        await sleep(100);
      }
    } finally {
      await watcher.close();
      await worker.close();
    }
    expect(state?.state).toBe('completed');
    expect(state?.returnValue).toEqual({ children: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'p.gate'] });
    expect(ended.filter((e) => e === 'parent')).toHaveLength(1);
    expect(ended.at(-1)).toBe('parent');
    expect(ended.filter((e) => e !== 'parent').sort()).toEqual(children.map((c) => c.id));
  }, 60_000);
});
