import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DaemonJobs } from '../../../src/app/daemon/index.js';
import { queueSettings, type ScheduledJobData } from '../../../src/app/distributed/index.js';
import { readRunSpooled } from '../../../src/app/distributed/run-result.js';
import { runFinishJob, type FinishJobData } from '../../../src/app/distributed/scan-jobs.js';
import { runScheduledJob } from '../../../src/app/distributed/scheduled-jobs.js';
import { isAlertFinding } from '../../../src/app/notify/index.js';
import { loadCheckLibrary } from '../../../src/app/shared/check-library.js';
import { fixedClock, SCORING_VERSION, type ScanResult, type Severity } from '../../../src/domain/index.js';
import type { QueueJob } from '../../../src/queue/index.js';
import { openStore, type StoredFindingInput } from '../../../src/store/index.js';

const T0 = '2026-12-03T10:00:00.000Z';
const T1 = '2026-12-04T10:00:00.000Z';
const MAIL =
  'mail: { host: smtp.test, from: "vigie <vigie@exemple.fr>", recipients: { security: [rssi@exemple.fr] } }\n';

const finding = (checkId: string, port: number, severity: Severity): StoredFindingInput => ({
  fingerprint: `${checkId}-${port}`,
  checkId,
  severity,
  category: 'tls',
  host: 'a.exemple.fr',
  port,
  details: { detail: `${checkId} sur ${port}` },
});

const job = (id: string, data: unknown, value: unknown): QueueJob => ({
  id,
  name: 'job',
  data,
  attempt: 1,
  attempts: 3,
  childrenValues: () => Promise.resolve(new Map([['child', value]])),
  ignoredFailures: () => Promise.resolve(new Map()),
  jobData: () => Promise.resolve(undefined),
});

describe('the alerts of a scheduled distributed scan', () => {
  it('mail the new critical and high findings read from the store, as from the whole result', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-scan-alerts-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const inventoryFile = path.join(dir, 'vigie.yml');
    fs.writeFileSync(inventoryFile, `organisation: { name: Test, timezone: Europe/Paris }\n${MAIL}`);
    const ctx = {
      clock: fixedClock(new Date('2026-12-04T10:05:00.000Z')),
      lang: 'fr' as const,
      dataDir: dir,
    };
    const endpoints = [443, 8443, 9443].map((port) => ({
      host: 'a.exemple.fr',
      port,
      status: 'assessed' as const,
      checks: { 'tls.protocol.legacy': 'fail' as const },
    }));
    const store = openStore(dir);
    // Seen the day before: not new.
    await store.runs.save({
      id: 'r0',
      startedAt: T0,
      finishedAt: T0,
      scoringVersion: SCORING_VERSION,
      targets: ['inventory'],
      endpoints,
      findings: [finding('tls.protocol.legacy', 443, 'high')],
    });
    await store.runs.begin({
      id: 'r1',
      startedAt: T1,
      scoringVersion: SCORING_VERSION,
      targets: ['inventory'],
    });
    await store.runs.append('r1', {
      endpoints,
      findings: [
        finding('tls.protocol.legacy', 443, 'high'),
        finding('tls.protocol.legacy', 8443, 'high'),
        finding('tls.certificate.expired', 9443, 'critical'),
        finding('tls.cipher.weak', 9443, 'low'),
      ],
    });
    await store.close();
    const finish: FinishJobData = {
      kind: 'finish',
      scan: {
        runId: 'r1',
        startedAt: T1,
        targets: ['inventory'],
        inventoryFile,
        inventory: true,
        categories: ['tls'],
        caFiles: [],
        profiles: [],
      },
      hosts: [],
    };
    const closed = await runFinishJob(ctx, job('r1.finish', finish, undefined), finish);
    const mailed: ScanResult[] = [];
    const jobs: DaemonJobs = {
      scan: () => Promise.reject(new Error('not here')),
      sendWeeklyDigest: () => Promise.reject(new Error('not here')),
      sendFindingAlerts: (_ctx, o) => {
        mailed.push(o.scan);
        return Promise.resolve({ sent: [`alert:findings:${o.scan.run.id}`] });
      },
      sendCertificateAlerts: () => Promise.reject(new Error('not here')),
      retryPendingMail: () => Promise.reject(new Error('not here')),
      discover: () => Promise.reject(new Error('not here')),
    };
    const d: ScheduledJobData = { kind: 'scheduled', job: 'scanAlerts', inventoryFile, runId: 'r1' };
    const settings = queueSettings({ VIGIE_REDIS_URL: 'redis://127.0.0.1:1' });
    const r = await runScheduledJob(ctx, settings, job('r1.alerts', d, closed), d, jobs);
    expect(r.outcome).toBe('ok');
    expect(r.detail).toContain('r1');
    // What the whole result (as the finishing job returned it before) gave the alerts.
    const reader = openStore(dir);
    const whole = await readRunSpooled(reader, closed, loadCheckLibrary(undefined).catalogue, 'fr');
    const all = [...whole.result.findings];
    whole.close();
    await reader.close();
    expect(all).toHaveLength(4);
    const fresh = all.filter((f) => isAlertFinding(f, T1));
    expect(fresh.map((f) => `${f.checkId}:${f.port}`)).toEqual([
      'tls.certificate.expired:9443',
      'tls.protocol.legacy:8443',
    ]);
    expect(mailed).toHaveLength(1);
    expect(mailed[0]?.findings).toEqual(fresh);
    expect(mailed[0]?.run).toEqual(closed.run);
    expect(mailed[0]?.summary).toEqual(closed.summary);
    // A finishing job of an older version returned the whole result: it is mailed as it is.
    const old: ScanResult = { ...closed, endpoints: [], findings: all };
    await runScheduledJob(ctx, settings, job('r1.alerts', d, old), d, jobs);
    expect(mailed[1]?.findings).toEqual(all);
  });
});
