import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  daemonStatus,
  runDaemon,
  type DaemonEvent,
  type DaemonJobs,
  type DaemonScheduler,
} from '../../../src/app/daemon/index.js';
import { withDataStore } from '../../../src/app/shared/index.js';
import { fixedClock, type ScanResult } from '../../../src/domain/index.js';
import { createJobScheduler } from '../../../src/scheduler/index.js';

const scanResult = { run: { id: 'run-1' }, summary: { endpoints: 1, findings: 2 } } as unknown as ScanResult;

function discoverResult(failing = false): Awaited<ReturnType<DaemonJobs['discover']>> {
  return {
    run: { id: 'disc-1' },
    sources: [
      failing
        ? { source: 'ct', domain: 'exemple.fr', status: 'failed' }
        : { source: 'ct', domain: 'exemple.fr', status: 'ok' },
      { source: 'dns', domain: 'exemple.fr', status: 'ok' },
    ],
    summary: { names: 5, known: 1, new: 2, dangling: 1, unresolved: 1, findings: 3 },
  };
}

describe('runDaemon (fake jobs, scheduler driven by hand)', () => {
  it('catches up, alerts after a scan, survives a failing job, and stops cleanly on abort', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-daemon-app-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const inventoryFile = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventoryFile,
      'organisation: { name: Test }\nmail: { host: smtp.test, from: "vigie <vigie@exemple.fr>" }\n',
    );
    const calls: string[] = [];
    const jobs: DaemonJobs = {
      scan: () => {
        calls.push('scan');
        return Promise.resolve(scanResult);
      },
      sendFindingAlerts: (_c, o) => {
        calls.push(`alerts:${o.scan.run.id}`);
        return Promise.resolve({ sent: ['alert:finding:x'] });
      },
      sendWeeklyDigest: () => {
        calls.push('digest');
        return Promise.reject(new Error('SMTP injoignable'));
      },
      sendCertificateAlerts: () => Promise.resolve({ sent: [] }),
      retryPendingMail: () => {
        calls.push('retry');
        return Promise.resolve({ retried: [], failed: [] });
      },
      discover: () => {
        calls.push('discover');
        return Promise.resolve(discoverResult());
      },
    };
    const events: DaemonEvent[] = [];
    let logged: () => void = () => undefined;
    /** Resolves once the log holds what `seen` waits for; fails after 10 s (a bound, not a timing). */
    const until = async (what: string, seen: (e: DaemonEvent[]) => boolean): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!seen(events)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`daemon log: no ${what} within 10 s: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          logged = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    };
    const finished = (job: string) => (e: DaemonEvent[]) =>
      e.some((x) => x.event === 'job.finished' && x['job'] === job);
    const controller = new AbortController();
    let scheduler: DaemonScheduler | undefined;
    const ctx = { clock: fixedClock('2026-11-30T10:00:00Z'), lang: 'fr' as const, dataDir: dir };
    const done = runDaemon(ctx, {
      inventoryFile,
      signal: controller.signal,
      log: (e) => {
        events.push(e);
        logged();
      },
      jobs,
      scheduler: (spec) => (scheduler = createJobScheduler(spec, { timers: false })),
    });
    // Catch-up: no scan ever, Monday 08:00 has passed, digest not sent: both run, then are recorded.
    await until('catch-up scan and digest', (e) => finished('scan')(e) && finished('digest')(e));
    expect(calls).toEqual(expect.arrayContaining(['scan', 'alerts:run-1', 'digest']));
    expect(events.find((e) => e.event === 'catch-up')).toMatchObject({ scan: true, digest: true });
    expect(await scheduler?.tick('certificateAlerts')).toBe('ran');
    expect(calls).toContain('retry');
    const jobsState = await withDataStore(ctx, (s) => s.daemon.listJobs());
    expect(jobsState.find((j) => j.job === 'digest')).toMatchObject({
      lastOutcome: 'error',
      lastDetail: 'SMTP injoignable',
      nextRunAt: '2026-12-07T07:00:00.000Z',
    });
    expect(jobsState.find((j) => j.job === 'scan')).toMatchObject({ lastOutcome: 'ok' });
    // The weekly discovery is scheduled (Sunday 03:00, Paris) and listed by `daemon status`; with no
    // domain nor range in vigie.yml it says so instead of « found nothing ».
    expect((await daemonStatus(ctx, inventoryFile)).jobs.find((j) => j.job === 'discovery')).toMatchObject({
      nextRunAt: '2026-12-06T02:00:00.000Z',
    });
    expect(await scheduler?.tick('discovery')).toBe('ran');
    expect(calls).not.toContain('discover');
    expect(
      (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'discovery'),
    ).toMatchObject({
      lastOutcome: 'skipped',
      lastDetail: 'rien à explorer : ni domaines (domains:) ni plages (discovery.networks) dans vigie.yml',
    });
    expect(fs.existsSync(path.join(dir, 'daemon.lock'))).toBe(true);
    controller.abort();
    await done;
    expect(fs.existsSync(path.join(dir, 'daemon.lock'))).toBe(false);
    expect(await withDataStore(ctx, async (s) => (await s.daemon.readHeartbeat())?.stoppedAt)).toBeDefined();
    expect(events.at(-1)?.event).toBe('daemon.stopped');
  });
});

describe('runDaemon and its lock', () => {
  const idleJobs: DaemonJobs = {
    scan: () => Promise.resolve(scanResult),
    sendFindingAlerts: () => Promise.resolve({ sent: [] }),
    sendWeeklyDigest: () => Promise.reject(new Error('pas de courriel ici')),
    sendCertificateAlerts: () => Promise.resolve({ sent: [] }),
    retryPendingMail: () => Promise.resolve({ retried: [], failed: [] }),
    discover: () => Promise.resolve(discoverResult()),
  };

  it('says why it took a stale lock over, and stops (exit 4) if another daemon takes its lock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-daemon-lock-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const inventoryFile = path.join(dir, 'vigie.yml');
    fs.writeFileSync(inventoryFile, 'organisation: { name: Test }\n');
    const lockFile = path.join(dir, 'daemon.lock');
    fs.writeFileSync(
      lockFile,
      JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2026-11-29T10:00:00.000Z' }),
    );
    const events: DaemonEvent[] = [];
    const ctx = { clock: fixedClock('2026-11-30T10:00:00Z'), lang: 'fr' as const, dataDir: dir };
    const done = runDaemon(ctx, {
      inventoryFile,
      signal: new AbortController().signal,
      log: (e) => events.push(e),
      jobs: idleJobs,
      scheduler: (spec) => createJobScheduler(spec, { timers: false }),
      heartbeatMs: 40,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !events.some((e) => e.event === 'catch-up')) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(events.find((e) => e.event === 'lock.recovered')).toMatchObject({
      level: 'warn',
      reason: 'own-pid',
    });
    // Another daemon judged this one dead and took the lock.
    const other = { pid: process.pid, host: os.hostname(), startedAt: 'x', instance: 'un-autre-demon' };
    fs.writeFileSync(lockFile, JSON.stringify(other));
    const error = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    expect(error).toMatchObject({ name: 'OperationalError', exitCode: 4 });
    expect(events.find((e) => e.event === 'lock.lost')).toMatchObject({ level: 'error' });
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toEqual(other);
  });
});

describe('the weekly discovery job', () => {
  it('discovers the inventory’s domains, records what it found, and a failed source as an error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-daemon-discovery-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const inventoryFile = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventoryFile,
      'organisation: { name: Test }\nassets:\n  - { id: a, name: A, owner: DSI, criticality: low, domains: [exemple.fr] }\nschedule: { discovery: "0 4 * * 6" }\n',
    );
    let failing = false;
    const jobs: DaemonJobs = {
      scan: () => Promise.resolve(scanResult),
      sendFindingAlerts: () => Promise.resolve({ sent: [] }),
      sendWeeklyDigest: () => Promise.reject(new Error('pas de courriel ici')),
      sendCertificateAlerts: () => Promise.resolve({ sent: [] }),
      retryPendingMail: () => Promise.resolve({ retried: [], failed: [] }),
      discover: (_c, o) => {
        expect(o.inventoryFile).toBe(inventoryFile);
        return Promise.resolve(discoverResult(failing));
      },
    };
    const events: DaemonEvent[] = [];
    const controller = new AbortController();
    let scheduler: DaemonScheduler | undefined;
    const ctx = { clock: fixedClock('2026-11-30T10:00:00Z'), lang: 'fr' as const, dataDir: dir };
    const done = runDaemon(ctx, {
      inventoryFile,
      signal: controller.signal,
      log: (e) => events.push(e),
      jobs,
      scheduler: (spec) => (scheduler = createJobScheduler(spec, { timers: false })),
    });
    try {
      expect(await scheduler?.tick('discovery')).toBe('ran');
      const job = async () =>
        (await withDataStore(ctx, (s) => s.daemon.listJobs())).find((j) => j.job === 'discovery');
      // schedule.discovery of vigie.yml: Saturday 04:00, Paris
      expect(await job()).toMatchObject({
        lastOutcome: 'ok',
        lastDetail: 'découverte disc-1 : 5 nom(s), 2 nouveau(x), 1 CNAME abandonné(s)',
        nextRunAt: '2026-12-05T03:00:00.000Z',
      });
      expect(events.find((e) => e.event === 'discovery.saved')).toMatchObject({ new: 2, dangling: 1 });
      failing = true;
      expect(await scheduler?.tick('discovery')).toBe('ran');
      expect(await job()).toMatchObject({
        lastOutcome: 'error',
        lastDetail:
          'découverte disc-1 : 5 nom(s), 2 nouveau(x), 1 CNAME abandonné(s) ; sources en échec : ct (exemple.fr)',
      });
    } finally {
      controller.abort();
      await done;
    }
  });
});
