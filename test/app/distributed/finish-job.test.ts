import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  runFinishJob,
  type FinishJobData,
  type HostOutcome,
} from '../../../src/app/distributed/scan-jobs.js';
import { fixedClock, SCORING_VERSION } from '../../../src/domain/index.js';
import type { QueueJob } from '../../../src/queue/index.js';
import { openStore } from '../../../src/store/index.js';

const T = '2026-12-04T10:00:00.000Z';

describe('the finishing job of a distributed run', () => {
  it('turns a host that failed for good into scan.error, closes the run, and may be taken again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-finish-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ctx = {
      clock: fixedClock(new Date('2026-12-04T10:05:00.000Z')),
      lang: 'fr' as const,
      dataDir: dir,
    };
    const store = openStore(dir);
    await store.runs.begin({
      id: 'r1',
      startedAt: T,
      scoringVersion: SCORING_VERSION,
      targets: ['inventory'],
    });
    // A host job of an older version returned its lists: they are not read (the store has them).
    const ok = {
      host: 'a.exemple.fr',
      endpoints: [{ host: 'a.exemple.fr', port: 443, status: 'assessed', checks: { 'scan.error': 'pass' } }],
      findings: [],
    };
    await store.runs.append('r1', {
      endpoints: [{ host: 'a.exemple.fr', port: 443, status: 'assessed', checks: { 'scan.error': 'pass' } }],
      findings: [],
    });
    await store.close();
    const data: FinishJobData = {
      kind: 'finish',
      scan: {
        runId: 'r1',
        startedAt: T,
        targets: ['inventory'],
        inventoryFile: path.join(dir, 'absent.yml'),
        inventory: false,
        categories: ['tls'],
        caFiles: [],
        profiles: [],
      },
      hosts: [
        { jobId: 'r1.h0', host: 'a.exemple.fr', endpoints: [{ host: 'a.exemple.fr', port: 443 }] },
        { jobId: 'r1.h1', host: 'b.exemple.fr', endpoints: [{ host: 'b.exemple.fr', port: 443 }] },
      ],
    };
    const job: QueueJob = {
      id: 'r1.finish',
      name: 'finish',
      data,
      attempt: 1,
      attempts: 3,
      childrenValues: () => Promise.resolve(new Map([['r1.h0', ok]])),
      ignoredFailures: () => Promise.resolve(new Map([['r1.h1', 'probe crashed']])),
      jobData: () => Promise.reject(new Error('the finishing job of an older version lists the endpoints')),
    };
    const first = await runFinishJob(ctx, job, data);
    // Counts and posture, not the lists.
    expect(Object.keys(first).sort()).toEqual(['posture', 'run', 'summary']);
    expect(first.summary).toMatchObject({ endpoints: 2, assessed: 1, findings: 1 });
    expect(first.summary.bySeverity.medium + first.summary.bySeverity.high).toBe(1);
    expect(first.run).toMatchObject({ id: 'r1', startedAt: T, finishedAt: '2026-12-04T10:05:00.000Z' });
    // Its worker died after finishing: the job taken again answers the same, and saves nothing twice.
    const again = await runFinishJob(ctx, job, data);
    expect(again.summary).toEqual(first.summary);
    const reader = openStore(dir);
    try {
      const run = await reader.runs.get('r1');
      expect(run?.endpoints.map((e) => e.host)).toEqual(['a.exemple.fr', 'b.exemple.fr']);
      expect(run?.endpoints[1]?.detail).toBe('probe crashed');
      expect(run?.findings.map((f) => f.checkId)).toEqual(['scan.error']);
      expect(run?.posture).toEqual(first.posture);
    } finally {
      await reader.close();
    }
  });

  it('reads the endpoints of a failed host from its own job, and weighs the posture by the asset index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-finish-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ctx = {
      clock: fixedClock(new Date('2026-12-04T10:05:00.000Z')),
      lang: 'fr' as const,
      dataDir: dir,
    };
    const store = openStore(dir);
    await store.runs.begin({
      id: 'r2',
      startedAt: T,
      scoringVersion: SCORING_VERSION,
      targets: ['inventory'],
    });
    await store.runs.append('r2', {
      endpoints: [
        {
          host: 'a.exemple.fr',
          port: 443,
          assetId: 'a',
          status: 'assessed',
          checks: { 'scan.error': 'pass' },
        },
      ],
      findings: [],
    });
    await store.close();
    const data: FinishJobData = {
      kind: 'finish',
      scan: {
        runId: 'r2',
        startedAt: T,
        targets: ['inventory'],
        inventoryFile: path.join(dir, 'absent.yml'),
        inventory: true,
        categories: ['tls'],
        caFiles: [],
        profiles: [],
      },
      hosts: [
        { jobId: 'r2.h0', host: 'a.exemple.fr' },
        { jobId: 'r2.h1', host: 'b.exemple.fr' },
      ],
      assetIndex: [
        ['a', 'équipe-a', 'high'],
        ['b', 'équipe-b', 'critical'],
      ],
    };
    const asked: string[] = [];
    const job: QueueJob = {
      id: 'r2.finish',
      name: 'finish',
      data,
      attempt: 1,
      attempts: 3,
      childrenValues: () =>
        Promise.resolve(
          new Map<string, HostOutcome>([['r2.h0', { host: 'a.exemple.fr', endpoints: 1, findings: 0 }]]),
        ),
      ignoredFailures: () => Promise.resolve(new Map([['r2.h1', 'probe crashed']])),
      jobData: (id) => {
        asked.push(id);
        return Promise.resolve({
          kind: 'host',
          host: 'b.exemple.fr',
          endpoints: [
            { host: 'b.exemple.fr', port: 443, assetId: 'b' },
            { host: 'b.exemple.fr', port: 8443, assetId: 'b' },
          ],
        });
      },
    };
    const outcome = await runFinishJob(ctx, job, data);
    expect(asked).toEqual(['r2.h1']);
    expect(outcome.summary).toMatchObject({ endpoints: 3, assessed: 1, findings: 2 });
    expect(outcome.posture?.byOwner.map((o) => o.owner).sort()).toEqual(['équipe-a', 'équipe-b']);
    const reader = openStore(dir);
    try {
      const run = await reader.runs.get('r2');
      expect(run?.endpoints.map((e) => `${e.host}:${e.port} ${e.status} ${e.assetId}`)).toEqual([
        'a.exemple.fr:443 assessed a',
        'b.exemple.fr:443 error b',
        'b.exemple.fr:8443 error b',
      ]);
      expect(run?.findings.map((f) => `${f.checkId} ${f.port}`)).toEqual([
        'scan.error 443',
        'scan.error 8443',
      ]);
    } finally {
      await reader.close();
    }
  });
  it('abandons a run one of whose host jobs was never enqueued, rather than close it without that host', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-finish-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ctx = {
      clock: fixedClock(new Date('2026-12-04T10:05:00.000Z')),
      lang: 'en' as const,
      dataDir: dir,
    };
    const store = openStore(dir);
    await store.runs.begin({
      id: 'r3',
      startedAt: T,
      scoringVersion: SCORING_VERSION,
      targets: ['inventory'],
    });
    await store.runs.append('r3', {
      endpoints: [{ host: 'a.exemple.fr', port: 443, status: 'assessed', checks: { 'scan.error': 'pass' } }],
      findings: [],
    });
    await store.close();
    const data: FinishJobData = {
      kind: 'finish',
      scan: {
        runId: 'r3',
        startedAt: T,
        targets: ['inventory'],
        inventoryFile: path.join(dir, 'absent.yml'),
        inventory: false,
        categories: ['tls'],
        caFiles: [],
        profiles: [],
      },
      hosts: [
        { jobId: 'r3.h0', host: 'a.exemple.fr' },
        { jobId: 'r3.h1', host: 'b.exemple.fr' },
        { jobId: 'r3.h2', host: 'c.exemple.fr' },
      ],
    };
    // The enqueuing process died after the first batch: only r3.h0 ever ran, and the gate opened.
    const job: QueueJob = {
      id: 'r3.finish',
      name: 'finish',
      data,
      attempt: 1,
      attempts: 1,
      childrenValues: () => Promise.resolve(new Map<string, unknown>([['r3.h0', { host: 'a.exemple.fr' }]])),
      ignoredFailures: () => Promise.resolve(new Map()),
      jobData: () => Promise.resolve(undefined),
    };
    await expect(runFinishJob(ctx, job, data)).rejects.toThrow(
      'analyse r3 abandonnée : 2 tâche(s) d’hôte sur 3 n’ont jamais été mises en file',
    );
    const reader = openStore(dir);
    try {
      // Not closed as a complete run: nothing was resolved on the hosts it lacks.
      expect(await reader.runs.get('r3')).toBeUndefined();
    } finally {
      await reader.close();
    }
  });
});
