import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  runDaemon,
  type DaemonEvent,
  type DaemonJobs,
  type DaemonScheduler,
} from '../../../src/app/daemon/index.js';
import { queueSettings, type ScheduledJobData } from '../../../src/app/distributed/index.js';
import { runScheduledJob } from '../../../src/app/distributed/scheduled-jobs.js';
import type { GithubSyncRequest } from '../../../src/app/github/index.js';
import type { AppContext } from '../../../src/app/shared/context.js';
import { withDataStore } from '../../../src/app/shared/index.js';
import { fixedClock, type ScanResult } from '../../../src/domain/index.js';
import type { QueueJob } from '../../../src/queue/index.js';
import { createJobScheduler } from '../../../src/scheduler/index.js';
import { openStore } from '../../../src/store/index.js';
import { startGithubApiServer } from '../../helpers/github-api-server.js';

const TOKEN = 'ghp_TESTTOKEN9876543210zyxwvuZYXWVU987654';
const NOW = new Date('2026-12-07T09:00:00Z');

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A data directory with one closed run of two findings, and vigie.yml (with `github:` when given). */
async function setup(apiUrl: string | undefined): Promise<{ ctx: AppContext; inventoryFile: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-github-job-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const inventoryFile = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventoryFile,
    `organisation: { name: Commune Test, timezone: Europe/Paris }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: www.commune.test }], ports: [443] }
${apiUrl ? `github: { repository: exemple/securite, apiUrl: "${apiUrl}", allowInsecureLoopback: true, labelPrefix: secu }\n` : ''}`,
  );
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const store = openStore(dataDir);
  const at = NOW.toISOString();
  await store.runs.save({
    id: 'run-1',
    startedAt: at,
    finishedAt: at,
    scoringVersion: 'test',
    targets: ['inventory'],
    endpoints: [
      {
        host: 'www.commune.test',
        port: 443,
        assetId: 'portail',
        status: 'assessed',
        checks: { 'tls.cert.weak-signature': 'fail' },
      },
    ],
    findings: [
      {
        fingerprint: 'c0ffee0123456789',
        checkId: 'tls.cert.weak-signature',
        severity: 'high',
        category: 'tls',
        host: 'www.commune.test',
        port: 443,
        assetId: 'portail',
        details: { subject: 'CN=www.commune.test', algorithm: 'sha1WithRSAEncryption' },
      },
    ],
  });
  await store.close();
  return { ctx: { clock: fixedClock(NOW), lang: 'fr', dataDir }, inventoryFile };
}

/** A job as a worker sees it; no queue behind it. */
function job(id: string, data: ScheduledJobData): QueueJob {
  return {
    id,
    name: data.job,
    data,
    attempt: 1,
    attempts: 3,
    childrenValues: () => Promise.resolve(new Map()),
    ignoredFailures: () => Promise.resolve(new Map()),
    jobData: () => Promise.resolve(undefined),
  };
}

const noJobs: DaemonJobs = {
  scan: () => Promise.reject(new Error('not here')),
  sendWeeklyDigest: () => Promise.reject(new Error('not here')),
  sendFindingAlerts: () => Promise.resolve({ sent: [] }),
  sendCertificateAlerts: () => Promise.resolve({ sent: [] }),
  retryPendingMail: () => Promise.resolve({ retried: [], failed: [] }),
  discover: () => Promise.reject(new Error('not here')),
};

const settings = queueSettings({ VIGIE_REDIS_URL: 'redis://127.0.0.1:1' });
const githubData = (inventoryFile: string): ScheduledJobData => ({
  kind: 'scheduled',
  job: 'githubSync',
  inventoryFile,
  runId: '20261207T010000Z-abcd',
});

describe('githubSync, the single job of a scheduled run (fake GitHub on the loopback, SQLite store)', () => {
  it('without VIGIE_GITHUB_TOKEN: skipped with its reason, recorded for daemon status, nothing sent', async () => {
    const server = await startGithubApiServer({ token: TOKEN });
    onTestFinished(() => server.close());
    const { ctx, inventoryFile } = await setup(server.apiUrl);
    vi.stubEnv('VIGIE_GITHUB_TOKEN', '');
    const data = githubData(inventoryFile);
    const r = await runScheduledJob(ctx, settings, job(`${data.runId}.github`, data), data, noJobs);
    expect(r).toEqual({
      outcome: 'skipped',
      detail: expect.stringMatching(
        /^variable VIGIE_GITHUB_TOKEN absente : synchronisation GitHub ignorée/,
      ) as string,
    });
    expect(server.calls).toEqual([]);
    const record = (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'githubSync');
    // Its next run is after the next scan (02:00 in Paris).
    expect(record).toMatchObject({
      lastOutcome: 'skipped',
      lastDetail: r.detail,
      nextRunAt: '2026-12-08T01:00:00.000Z',
    });
  });

  it('syncs as its job: another holder of the lease skips it; an earlier attempt of the same job is waited for; twice creates one issue', async () => {
    const server = await startGithubApiServer({ token: TOKEN });
    onTestFinished(() => server.close());
    const { ctx: fixed, inventoryFile } = await setup(server.apiUrl);
    // Time goes on from NOW (leases expire while the job waits for them).
    const t0 = Date.now();
    const ctx: AppContext = { ...fixed, clock: { now: () => new Date(NOW.getTime() + Date.now() - t0) } };
    vi.stubEnv('VIGIE_GITHUB_TOKEN', TOKEN);
    vi.stubEnv('VIGIE_GITHUB_JOB_LEASE_MS', '400');
    const data = githubData(inventoryFile);
    const id = `${data.runId}.github`;
    const acquire = (owner: string, ms = 60_000) => {
      const at = ctx.clock.now();
      return withDataStore(ctx, (s) =>
        s.daemon.acquireLease('github-sync', {
          owner,
          at: at.toISOString(),
          until: new Date(at.getTime() + ms).toISOString(),
        }),
      );
    };

    // A `vigie github sync` under way elsewhere: this occurrence is skipped, GitHub untouched.
    expect(await acquire('autre-machine:42:abcd')).toBeUndefined();
    const busy = await runScheduledJob(ctx, settings, job(id, data), data, noJobs);
    expect(busy.outcome).toBe('skipped');
    expect(busy.detail).toContain('autre-machine:42:abcd');
    expect(server.issues.size).toBe(0);
    await withDataStore(ctx, (s) => s.daemon.releaseLease('github-sync', 'autre-machine:42:abcd'));

    // An earlier attempt of this job that holds on (alive, cut off from its queue lock): this one
    // waits for it 3 × the job's lease (1.2 s here), never runs beside it, then passes.
    const alive = `job:${id}@ailleurs:7:abcd`;
    expect(await acquire(alive)).toBeUndefined();
    const waited = Date.now();
    const held = await runScheduledJob(ctx, settings, job(id, data), data, noJobs);
    expect(held.outcome).toBe('skipped');
    expect(held.detail).toContain(alive);
    expect(Date.now() - waited).toBeGreaterThanOrEqual(1200);
    expect(server.issues.size).toBe(0);
    await withDataStore(ctx, (s) => s.daemon.releaseLease('github-sync', alive));

    // An earlier attempt that died: its lease, no longer renewed, expires; this one then syncs.
    expect(await acquire(`job:${id}@morte:8:dcba`, 300)).toBeUndefined();
    const r = await runScheduledJob(ctx, settings, job(id, data), data, noJobs);
    expect(r).toMatchObject({
      outcome: 'ok',
      detail: 'exemple/securite : 1 action(s) (1 ticket(s) créé(s), 0 fermé(s), 0 lien(s) retrouvé(s))',
    });
    expect([...server.issues.values()].map((i) => i.title)).toEqual([
      expect.stringContaining('www.commune.test:443') as string,
    ]);
    // Released once done: a second occurrence runs, and has nothing to do.
    const again = await runScheduledJob(ctx, settings, job('other.github', data), data, noJobs);
    expect(again.detail).toMatch(/^exemple\/securite : 0 action\(s\)/);
    expect(server.issues.size).toBe(1);
    expect(
      (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'githubSync'),
    ).toMatchObject({ lastOutcome: 'ok' });
  });

  it('two attempts of one job at once (one cut off from its queue lock, still alive, and its retry): each issue once', async () => {
    const server = await startGithubApiServer({ token: TOKEN });
    onTestFinished(() => server.close());
    const { ctx: fixed, inventoryFile } = await setup(server.apiUrl);
    const t0 = Date.now();
    const ctx: AppContext = { ...fixed, clock: { now: () => new Date(NOW.getTime() + Date.now() - t0) } };
    vi.stubEnv('VIGIE_GITHUB_TOKEN', TOKEN);
    // Far shorter than the synchronisation: held only because it is renewed.
    vi.stubEnv('VIGIE_GITHUB_JOB_LEASE_MS', '300');
    const data = githubData(inventoryFile);
    const id = `${data.runId}.github`;
    const results = await Promise.all([
      runScheduledJob(ctx, settings, job(id, data), data, noJobs),
      runScheduledJob(ctx, settings, job(id, data), data, noJobs),
    ]);
    expect(server.sequence().filter((c) => c === 'POST /issues')).toHaveLength(1);
    expect(server.issues.size).toBe(1);
    const details = results.map((r) => r.detail ?? '');
    expect(
      details.filter((d) => d.includes('1 ticket(s) créé(s)')),
      details.join(' | '),
    ).toHaveLength(1);
  });

  it('a GitHub failure is the outcome of the job (recorded), never a throw', async () => {
    const server = await startGithubApiServer({ token: TOKEN });
    onTestFinished(() => server.close());
    const { ctx, inventoryFile } = await setup(server.apiUrl);
    vi.stubEnv('VIGIE_GITHUB_TOKEN', `${TOKEN}-faux`);
    const data = githubData(inventoryFile);
    const r = await runScheduledJob(ctx, settings, job('x.github', data), data, noJobs);
    expect(r.outcome).toBe('error');
    expect(r.detail).toMatch(/^synchronisation GitHub en échec : .*HTTP 401/s);
    expect(r.detail).not.toContain('TESTTOKEN');
  });
});

describe('the lone daemon: githubSync after each scan', () => {
  const scanResult = {
    run: { id: 'run-9' },
    summary: { endpoints: 1, findings: 0 },
  } as unknown as ScanResult;

  /** Starts the lone daemon (catch-up: nothing, the last scan is recent), ticks its scan, stops it. */
  async function scanOnce(
    inventoryFile: string,
    ctx: AppContext,
    syncGithub?: DaemonJobs['syncGithub'],
  ): Promise<DaemonEvent[]> {
    const events: DaemonEvent[] = [];
    const controller = new AbortController();
    let scheduler: DaemonScheduler | undefined;
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const done = runDaemon(ctx, {
      inventoryFile,
      signal: controller.signal,
      log: (e) => {
        events.push(e);
        if (e.event === 'catch-up') started();
      },
      jobs: { ...noJobs, scan: () => Promise.resolve(scanResult), ...(syncGithub ? { syncGithub } : {}) },
      scheduler: (spec) => (scheduler = createJobScheduler(spec, { timers: false })),
    });
    await Promise.race([ready, done]);
    expect(await scheduler?.tick('scan')).toBe('ran');
    controller.abort();
    await done;
    return events;
  }

  it('runs the same use case after the scan, recorded as githubSync; without a token, skipped', async () => {
    const { ctx, inventoryFile } = await setup('http://127.0.0.1:9');
    const calls: GithubSyncRequest[] = [];
    vi.stubEnv('VIGIE_GITHUB_TOKEN', TOKEN);
    const events = await scanOnce(inventoryFile, ctx, (_c, req) => {
      calls.push(req);
      return Promise.resolve({
        repository: 'exemple/securite',
        dryRun: false,
        minSeverity: 'medium',
        recovered: 0,
        stepsFromGithub: [],
        actions: [],
      });
    });
    // (The digest's catch-up runs too: skipped, no `mail:`.)
    const order = events
      .filter((e) => e.event === 'job.finished' && e['job'] !== 'digest')
      .map((e) => `${String(e['job'])} ${String(e['outcome'])}`);
    expect(order).toEqual(['scan ok', 'githubSync ok']);
    expect(calls.map((c) => c.inventoryFile)).toEqual([inventoryFile]);
    expect(
      (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'githubSync'),
    ).toMatchObject({
      lastOutcome: 'ok',
      lastDetail: expect.stringMatching(/^exemple\/securite : 0 action/) as string,
    });

    vi.stubEnv('VIGIE_GITHUB_TOKEN', '');
    await scanOnce(inventoryFile, ctx, () => Promise.reject(new Error('never called')));
    expect(
      (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'githubSync'),
    ).toMatchObject({
      lastOutcome: 'skipped',
      lastDetail: expect.stringContaining('VIGIE_GITHUB_TOKEN') as string,
    });
  });

  it('without `github:` in vigie.yml, no githubSync job at all', async () => {
    const { ctx, inventoryFile } = await setup(undefined);
    vi.stubEnv('VIGIE_GITHUB_TOKEN', TOKEN);
    const events = await scanOnce(inventoryFile, ctx, () => Promise.reject(new Error('never called')));
    expect(
      events.filter((e) => e.event === 'job.finished' && e['job'] !== 'digest').map((e) => e['job']),
    ).toEqual(['scan']);
    expect(events.some((e) => e['job'] === 'githubSync')).toBe(false);
    expect((await withDataStore(ctx, (s) => s.daemon.listJobs())).map((j) => j.job)).not.toContain(
      'githubSync',
    );
  });
});
