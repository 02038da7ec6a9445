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
    const ok: HostOutcome = {
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
    };
    const first = await runFinishJob(ctx, job, data);
    expect(first.endpoints.map((e) => `${e.host} ${e.status}`)).toEqual([
      'a.exemple.fr assessed',
      'b.exemple.fr error',
    ]);
    expect(first.findings.map((f) => `${f.checkId} ${f.host}`)).toEqual(['scan.error b.exemple.fr']);
    expect(first.endpoints[1]?.detail).toBe('probe crashed');
    // Its worker died after finishing: the job taken again answers the same, and saves nothing twice.
    const again = await runFinishJob(ctx, job, data);
    expect(again.summary).toEqual(first.summary);
    const reader = openStore(dir);
    try {
      const run = await reader.runs.get('r1');
      expect(run?.endpoints.map((e) => e.host)).toEqual(['a.exemple.fr', 'b.exemple.fr']);
      expect(run?.findings.map((f) => f.checkId)).toEqual(['scan.error']);
    } finally {
      await reader.close();
    }
  });
});
