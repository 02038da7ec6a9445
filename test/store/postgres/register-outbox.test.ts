import { describe, expect, it } from 'vitest';
import { StorageError, UsageError } from '../../../src/domain/index.js';
import { PgDatabase } from '../../../src/store/postgres/pg-database.js';
import { pgRegister, TEST_DATABASE_URL, usePgRegister } from './register-fixtures.js';

const t = usePgRegister('outbox');

const T1 = '2025-03-01T02:00:00.000Z';
const T3 = '2025-03-03T02:00:00.000Z';
const T4 = '2025-03-04T02:00:00.000Z';

const digest = (key: string) => ({
  key,
  kind: 'digest' as const,
  subject: `Synthèse ${key}`,
  recipients: ['dgs@exemple.fr'],
  at: '2026-11-23T07:00:00.000Z',
});

describe('mail outbox, daemon, reports and GitHub links on PostgreSQL', () => {
  it('records a mail once, keeps its failures, and never marks a sent one failed', async () => {
    const { outbox } = t.pg();
    const first = await outbox.reserve(digest('digest:2026-W48'));
    expect(first).toMatchObject({ created: true, entry: { state: 'pending', attempts: 0 } });
    const again = await outbox.reserve({ ...digest('digest:2026-W48'), subject: 'other', recipients: [] });
    expect(again).toMatchObject({
      created: false,
      entry: { subject: 'Synthèse digest:2026-W48', state: 'pending' },
    });
    await outbox.markFailed('digest:2026-W48', {
      at: '2026-11-23T07:00:01.000Z',
      error: 'ECONNREFUSED',
      nextAttemptAt: '2026-11-23T07:01:00.000Z',
    });
    expect(await outbox.list({ dueBy: '2026-11-23T07:00:30.000Z', states: ['pending', 'failed'] })).toEqual(
      [],
    );
    expect(
      await outbox.list({ dueBy: '2026-11-23T07:01:00.000Z', states: ['pending', 'failed'] }),
    ).toHaveLength(1);
    await outbox.markSent('digest:2026-W48', { at: '2026-11-23T07:01:02.000Z', messageId: '<m@x>' });
    await outbox.markFailed('digest:2026-W48', {
      at: '2026-11-23T07:02:00.000Z',
      error: 'late',
      nextAttemptAt: '2026-11-23T07:03:00.000Z',
    });
    expect(await outbox.get('digest:2026-W48')).toEqual({
      key: 'digest:2026-W48',
      kind: 'digest',
      subject: 'Synthèse digest:2026-W48',
      recipients: ['dgs@exemple.fr'],
      createdAt: '2026-11-23T07:00:00.000Z',
      state: 'sent',
      attempts: 2,
      lastAttemptAt: '2026-11-23T07:01:02.000Z',
      sentAt: '2026-11-23T07:01:02.000Z',
      messageId: '<m@x>',
    });
  });

  it('gives one reservation to one of two processes racing for the same key', async () => {
    const a = pgRegister(await t.connect());
    const b = pgRegister(await t.connect());
    const keys = Array.from({ length: 40 }, (_, i) => `digest:2026-W${String(i + 1).padStart(2, '0')}`);
    const results = await Promise.all(
      keys.flatMap((key) => [a.outbox.reserve(digest(key)), b.outbox.reserve(digest(key))]),
    );
    for (const key of keys) {
      const forKey = results.filter((r) => r.entry.key === key);
      expect(forKey, key).toHaveLength(2);
      expect(
        forKey.filter((r) => r.created),
        key,
      ).toHaveLength(1);
    }
    expect(await a.outbox.list()).toHaveLength(keys.length);
  });

  it('never lets two daemons send the same digest', async () => {
    const daemons = await Promise.all([1, 2, 3].map(async () => pgRegister(await t.connect())));
    const sent: string[] = [];
    const weeks = Array.from({ length: 15 }, (_, i) => `digest:2026-W${String(i + 30)}`);
    // What the notifier does: reserve, send only a mail it created, mark it sent.
    await Promise.all(
      daemons.map(async (d, n) => {
        for (const key of weeks) {
          const r = await d.outbox.reserve({ ...digest(key), subject: `daemon ${n}` });
          if (!r.created) continue;
          sent.push(key);
          await d.outbox.markSent(key, { at: '2026-11-23T07:00:05.000Z', messageId: `<${key}@${n}>` });
        }
      }),
    );
    expect([...sent].sort()).toEqual(weeks);
    const entries = await t.pg().outbox.list();
    expect(entries.map((e) => [e.key, e.state, e.attempts])).toEqual(weeks.map((k) => [k, 'sent', 1]));
  });

  it('lets one of several processes claim a due mail, and another only once the claim has lapsed', async () => {
    const pools = await Promise.all([1, 2, 3, 4].map(async () => pgRegister(await t.connect())));
    const keys = Array.from({ length: 20 }, (_, i) => `alert:finding:${i}`);
    for (const key of keys) await pools[0]?.outbox.reserve({ ...digest(key), kind: 'alert' });
    const at = '2026-11-23T07:05:00.000Z';
    const until = '2026-11-23T07:15:00.000Z';
    const claims = await Promise.all(
      keys.flatMap((key) =>
        pools.map(async (p, n) => ({ key, n, entry: await p.outbox.claim(key, { at, until }) })),
      ),
    );
    for (const key of keys) {
      expect(
        claims.filter((c) => c.key === key && c.entry !== undefined),
        key,
      ).toHaveLength(1);
    }
    const key = keys[0] ?? '';
    const again = pools[1]?.outbox;
    expect(
      await again?.claim(key, { at: '2026-11-23T07:14:59.000Z', until: '2026-11-23T07:30:00.000Z' }),
    ).toBeUndefined();
    expect(await again?.claim(key, { at: until, until: '2026-11-23T07:30:00.000Z' })).toMatchObject({
      key,
      state: 'pending',
      nextAttemptAt: '2026-11-23T07:30:00.000Z',
    });
  });

  it('keeps the last and next run of each job, and the heartbeat across reconnecting', async () => {
    const first = pgRegister(await t.connect());
    await first.daemon.jobStarted('scan', '2026-11-28T01:00:00.000Z');
    await first.daemon.jobFinished('scan', {
      at: '2026-11-28T01:02:00.000Z',
      outcome: 'ok',
      nextRunAt: '2026-11-29T01:00:00.000Z',
    });
    await first.daemon.writeHeartbeat({
      pid: 4242,
      hostname: 'h',
      startedAt: '2026-11-28T00:00:00.000Z',
      at: '2026-11-28T01:02:00.000Z',
    });
    const { daemon } = pgRegister(await t.connect());
    expect(await daemon.listJobs()).toEqual([
      {
        job: 'scan',
        lastStartedAt: '2026-11-28T01:00:00.000Z',
        lastFinishedAt: '2026-11-28T01:02:00.000Z',
        lastOutcome: 'ok',
        nextRunAt: '2026-11-29T01:00:00.000Z',
      },
    ]);
    await daemon.markStopped('2026-11-28T02:00:00.000Z');
    expect(await daemon.readHeartbeat()).toEqual({
      pid: 4242,
      hostname: 'h',
      startedAt: '2026-11-28T00:00:00.000Z',
      beatAt: '2026-11-28T01:02:00.000Z',
      stoppedAt: '2026-11-28T02:00:00.000Z',
    });
  });

  it('records reports and finds the previous one', async () => {
    const { reports } = t.pg();
    expect(await reports.last()).toBeUndefined();
    await reports.record({ at: T1, format: 'md', postureIndex: 61.5 });
    await reports.record({ at: '2025-03-02T08:00:00+01:00', format: 'html' });
    await reports.record({ at: T3, format: 'json', postureIndex: 70 });
    expect(await reports.last()).toEqual({ at: T3, format: 'json', postureIndex: 70 });
    expect(await reports.last(T3)).toEqual({ at: '2025-03-02T07:00:00.000Z', format: 'html' });
    expect(await reports.last('2025-03-02T00:00:00Z')).toEqual({ at: T1, format: 'md', postureIndex: 61.5 });
    expect(await reports.last(T1)).toBeUndefined();
    await expect(reports.record({ at: 'jamais', format: 'md' })).rejects.toThrow(UsageError);
    await expect(reports.record({ at: T4, format: 'md', postureIndex: NaN })).rejects.toThrow(UsageError);
  });

  it('replaces a GitHub link by subject and lists them by subject', async () => {
    const { githubLinks } = t.pg();
    await githubLinks.save({
      subject: 'incident:INC-2026-001',
      kind: 'incident',
      issueNumber: 3,
      state: 'open',
      updatedAt: T1,
    });
    await githubLinks.save({
      subject: 'finding:ab',
      kind: 'finding',
      issueNumber: 7,
      bodyHash: 'h',
      state: 'open',
      updatedAt: T1,
    });
    await githubLinks.save({
      subject: 'finding:ab',
      kind: 'finding',
      issueNumber: 8,
      state: 'closed',
      updatedAt: T3,
    });
    expect(await githubLinks.list()).toEqual([
      { subject: 'finding:ab', kind: 'finding', issueNumber: 8, state: 'closed', updatedAt: T3 },
      { subject: 'incident:INC-2026-001', kind: 'incident', issueNumber: 3, state: 'open', updatedAt: T1 },
    ]);
  });

  it('reports a database without the tables as a StorageError naming it, password hidden', async () => {
    const schema = `${t.schema()}_empty`;
    const url = new URL(TEST_DATABASE_URL);
    url.password = 'hunter2';
    const db = await PgDatabase.connect(url.toString(), { schema }).catch(() => undefined);
    // The test database trusts every password: connect with one to see it hidden.
    expect(db).toBeDefined();
    try {
      const error: unknown = await pgRegister(db as PgDatabase)
        .outbox.get('k')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toContain('mail_outbox');
      expect((error as Error).message).not.toContain('hunter2');
    } finally {
      await t.admin().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db?.close();
    }
  });
});
