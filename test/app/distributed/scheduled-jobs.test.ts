import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DaemonJobs } from '../../../src/app/daemon/index.js';
import { queueSettings, workerQueues, type ScheduledJobData } from '../../../src/app/distributed/index.js';
import { MailClaimedError, runScheduledJob } from '../../../src/app/distributed/scheduled-jobs.js';
import type { AppContext } from '../../../src/app/shared/context.js';
import { withDataStore } from '../../../src/app/shared/index.js';
import DaemonCommand from '../../../src/commands/daemon/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import type { QueueJob } from '../../../src/queue/index.js';
import { runCommand } from '../../helpers/run-command.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const MAIL =
  'mail: { host: smtp.test, from: "vigie <vigie@exemple.fr>", recipients: { managers: [dgs@exemple.fr] } }\n';

function setup(mail: boolean): { ctx: AppContext; inventoryFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-sched-jobs-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const inventoryFile = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventoryFile,
    `organisation: { name: Test, timezone: Europe/Paris }\n${mail ? MAIL : ''}`,
  );
  return { ctx: { clock: fixedClock(NOW), lang: 'fr', dataDir: path.join(dir, 'data') }, inventoryFile };
}

/** A job as a worker sees it; no queue behind it (these jobs read neither children nor Redis). */
function job(id: string, data: ScheduledJobData, attempt = 1, attempts = 3): QueueJob {
  return {
    id,
    name: data.job,
    data,
    attempt,
    attempts,
    childrenValues: () => Promise.resolve(new Map()),
    ignoredFailures: () => Promise.resolve(new Map([['x.finish', 'délai dépassé']])),
    jobData: () => Promise.resolve(undefined),
  };
}

function fakeJobs(digest: () => ReturnType<DaemonJobs['sendWeeklyDigest']>, calls: string[]): DaemonJobs {
  return {
    scan: () => Promise.reject(new Error('not here')),
    sendWeeklyDigest: () => {
      calls.push('digest');
      return digest();
    },
    sendFindingAlerts: () => Promise.resolve({ sent: [] }),
    sendCertificateAlerts: () => Promise.resolve({ sent: [] }),
    retryPendingMail: () => {
      calls.push('retry');
      return Promise.resolve({ retried: [], failed: [] });
    },
    discover: () => Promise.reject(new Error('not here')),
  };
}

const settings = queueSettings({ VIGIE_REDIS_URL: 'redis://127.0.0.1:1' });
const sent = { key: 'digest:2026-W50', subject: 'S', sent: true, alreadySent: false, recipients: [] };
const data = (inventoryFile: string, name: ScheduledJobData['job']): ScheduledJobData => ({
  kind: 'scheduled',
  job: name,
  inventoryFile,
});

describe("runScheduledJob (the daemon's jobs on a worker, fake use cases, SQLite store)", () => {
  it('skips the mail jobs without `mail:`, and records the outcome and the next run for daemon status', async () => {
    const { ctx, inventoryFile } = setup(false);
    const calls: string[] = [];
    const r = await runScheduledJob(
      ctx,
      settings,
      job('repeat:daemon.digest:1', data(inventoryFile, 'digest')),
      data(inventoryFile, 'digest'),
      fakeJobs(() => Promise.resolve(sent), calls),
    );
    expect(r).toEqual({ outcome: 'skipped', detail: 'mail non configuré' });
    expect(calls).toEqual([]);
    const record = await withDataStore(ctx, async (s) =>
      (await s.daemon.listJobs()).find((j) => j.job === 'digest'),
    );
    // Monday 08:00 in Paris, a week later.
    expect(record).toMatchObject({ lastOutcome: 'skipped', nextRunAt: '2026-12-14T07:00:00.000Z' });
  });

  it('holds the lease `daemon.digest` as its job: another job is skipped, the same job taken again runs', async () => {
    const { ctx, inventoryFile } = setup(true);
    const calls: string[] = [];
    const until = new Date(NOW.getTime() + 60_000).toISOString();
    // A retry of the same job after its worker died: its own lease, taken back at once.
    await withDataStore(ctx, (s) =>
      s.daemon.acquireLease('daemon.digest', {
        owner: 'job:repeat:daemon.digest:1',
        at: NOW.toISOString(),
        until,
      }),
    );
    const jobs = fakeJobs(() => Promise.resolve(sent), calls);
    const d = data(inventoryFile, 'digest');
    expect(await runScheduledJob(ctx, settings, job('repeat:daemon.digest:1', d, 2), d, jobs)).toEqual({
      outcome: 'ok',
      detail: 'digest:2026-W50 : envoyé',
    });
    // Released at the end; now held by another occurrence (another job id): this one passes.
    await withDataStore(ctx, (s) =>
      s.daemon.acquireLease('daemon.digest', {
        owner: 'job:repeat:daemon.digest:2',
        at: NOW.toISOString(),
        until,
      }),
    );
    const skipped = await runScheduledJob(ctx, settings, job('repeat:daemon.digest:3', d), d, jobs);
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.detail).toMatch(/déjà en cours ailleurs \(job:repeat:daemon\.digest:2/);
    expect(calls).toEqual(['digest']);
  });

  it('a mail claimed by a dead attempt fails the attempt (BullMQ retries); on the last one it is recorded as an error', async () => {
    const { ctx, inventoryFile } = setup(true);
    await withDataStore(ctx, async (s) => {
      await s.outbox.reserve({
        key: 'digest:2026-W50',
        kind: 'digest',
        subject: 'S',
        recipients: [],
        at: NOW.toISOString(),
      });
      await s.outbox.claim('digest:2026-W50', {
        at: NOW.toISOString(),
        until: new Date(NOW.getTime() + 600_000).toISOString(),
      });
    });
    const notDue = { ...sent, sent: false };
    const jobs = fakeJobs(() => Promise.resolve(notDue), []);
    const d = data(inventoryFile, 'digest');
    await expect(
      runScheduledJob(ctx, settings, job('repeat:daemon.digest:1', d, 1, 3), d, jobs),
    ).rejects.toBeInstanceOf(MailClaimedError);
    const last = await runScheduledJob(ctx, settings, job('repeat:daemon.digest:1', d, 3, 3), d, jobs);
    expect(last.outcome).toBe('error');
    expect(last.detail).toMatch(/digest:2026-W50 est pris par une autre tentative/);
    // A failed send (backoff) is not a claim: the mail retry takes it, the job ends.
    await withDataStore(ctx, (s) =>
      s.outbox.markFailed('digest:2026-W50', {
        at: NOW.toISOString(),
        error: 'x',
        nextAttemptAt: NOW.toISOString(),
      }),
    );
    const later = await runScheduledJob(ctx, settings, job('repeat:daemon.digest:1', d, 1, 3), d, jobs);
    expect(later).toEqual({
      outcome: 'ok',
      detail: 'digest:2026-W50 : non envoyé (nouvel essai par la relance des courriels)',
    });
  });

  it('records a scheduled scan whose run was not closed as an error of the scan job', async () => {
    const { ctx, inventoryFile } = setup(true);
    const d: ScheduledJobData = { ...data(inventoryFile, 'scanAlerts'), runId: 'x' };
    const r = await runScheduledJob(
      ctx,
      settings,
      job('x.alerts', d),
      d,
      fakeJobs(() => Promise.resolve(sent), []),
    );
    expect(r).toEqual({ outcome: 'error', detail: 'l’analyse x n’a pas été close : délai dépassé' });
    const record = await withDataStore(ctx, async (s) =>
      (await s.daemon.listJobs()).find((j) => j.job === 'scan'),
    );
    expect(record?.lastOutcome).toBe('error');
  });

  it('vigie worker --queues takes scan, discover and notify', () => {
    expect(workerQueues(['scan', 'discover', 'notify', 'scan'])).toEqual(['scan', 'discover', 'notify']);
    expect(() => workerQueues(['mail'])).toThrow(/file inconnue « mail » \(files : scan, discover, notify\)/);
  });

  it('vigie daemon --distributed without VIGIE_REDIS_URL says so, exit 2', async () => {
    const { inventoryFile } = setup(false);
    const r = await runCommand(DaemonCommand, ['--distributed', '-i', inventoryFile], {
      VIGIE_REDIS_URL: '',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/VIGIE_REDIS_URL/);
  });
});
