import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { storeBackends, useStoreBackend, type OpenedStore } from '../helpers/store-backends.js';

describe.each(storeBackends)('mail outbox, daemon jobs and heartbeat ($name)', (backend) => {
  const { open } = useStoreBackend(backend);
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await open();
    store = opened.store;
  });

  it('records a mail once, keeps its failures, and never marks a sent one failed', async () => {
    const first = await store.outbox.reserve({
      key: 'digest:2026-W48',
      kind: 'digest',
      subject: 'S',
      recipients: ['dgs@exemple.fr'],
      at: '2026-11-23T07:00:00.000Z',
    });
    expect(first.created).toBe(true);
    const again = await store.outbox.reserve({
      key: 'digest:2026-W48',
      kind: 'digest',
      subject: 'other',
      recipients: [],
      at: '2026-11-23T08:00:00.000Z',
    });
    expect(again).toMatchObject({ created: false, entry: { subject: 'S', state: 'pending' } });
    await store.outbox.markFailed('digest:2026-W48', {
      at: '2026-11-23T07:00:01.000Z',
      error: 'ECONNREFUSED',
      nextAttemptAt: '2026-11-23T07:01:00.000Z',
    });
    expect(
      await store.outbox.list({ dueBy: '2026-11-23T07:00:30.000Z', states: ['pending', 'failed'] }),
    ).toEqual([]);
    expect(
      await store.outbox.list({ dueBy: '2026-11-23T07:01:00.000Z', states: ['pending', 'failed'] }),
    ).toHaveLength(1);
    await store.outbox.markSent('digest:2026-W48', { at: '2026-11-23T07:01:02.000Z', messageId: '<m@x>' });
    await store.outbox.markFailed('digest:2026-W48', {
      at: '2026-11-23T07:02:00.000Z',
      error: 'late',
      nextAttemptAt: '2026-11-23T07:03:00.000Z',
    });
    expect(await store.outbox.get('digest:2026-W48')).toMatchObject({
      state: 'sent',
      attempts: 2,
      messageId: '<m@x>',
    });
  });

  it('keeps the last and next run of each job, and the heartbeat across reopening', async () => {
    await store.daemon.jobStarted('scan', '2026-11-28T01:00:00.000Z');
    await store.daemon.jobFinished('scan', {
      at: '2026-11-28T01:02:00.000Z',
      outcome: 'ok',
      nextRunAt: '2026-11-29T01:00:00.000Z',
    });
    await store.daemon.writeHeartbeat({
      pid: 4242,
      hostname: 'h',
      startedAt: '2026-11-28T00:00:00.000Z',
      at: '2026-11-28T01:02:00.000Z',
    });
    store = await opened.reopen();
    expect(await store.daemon.listJobs()).toEqual([
      {
        job: 'scan',
        lastStartedAt: '2026-11-28T01:00:00.000Z',
        lastFinishedAt: '2026-11-28T01:02:00.000Z',
        lastOutcome: 'ok',
        nextRunAt: '2026-11-29T01:00:00.000Z',
      },
    ]);
    await store.daemon.markStopped('2026-11-28T02:00:00.000Z');
    expect(await store.daemon.readHeartbeat()).toMatchObject({
      pid: 4242,
      stoppedAt: '2026-11-28T02:00:00.000Z',
    });
  });
});
