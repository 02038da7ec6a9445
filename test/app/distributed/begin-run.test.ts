import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { beginRun } from '../../../src/app/distributed/begin-run.js';
import { fixedClock } from '../../../src/domain/index.js';
import { openStore } from '../../../src/store/index.js';

const T = '2026-12-04T10:00:00.000Z';
const run = { id: 'r1', startedAt: T, targets: ['inventory'] };
const batch = {
  endpoints: [{ host: 'a.exemple.fr', port: 443, status: 'assessed' as const, checks: {} }],
  findings: [],
};

function context() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-begin-run-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { clock: fixedClock(new Date(T)), lang: 'fr' as const, dataDir: dir };
}

describe('beginRun', () => {
  it('leaves the run open to its jobs once they are enqueued', async () => {
    const ctx = context();
    let enqueued = 0;
    await beginRun(ctx, run, new Date(T), async () => {
      enqueued += 1;
    });
    expect(enqueued).toBe(1);
    const store = openStore(ctx.dataDir);
    try {
      await expect(store.runs.append('r1', batch)).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('abandons the run when its jobs cannot be enqueued: none waits for jobs that never come', async () => {
    const ctx = context();
    await expect(
      beginRun(ctx, run, new Date(T), async () => {
        throw new Error('Redis gone');
      }),
    ).rejects.toThrow('Redis gone');
    const store = openStore(ctx.dataDir);
    try {
      await expect(store.runs.append('r1', batch)).rejects.toThrow(/r1/);
    } finally {
      await store.close();
    }
  });

  it('begins afresh, when asked, a run an earlier attempt began and left', async () => {
    const ctx = context();
    await beginRun(ctx, run, new Date(T), async () => undefined);
    let enqueued = 0;
    await beginRun(
      ctx,
      run,
      new Date(T),
      async () => {
        enqueued += 1;
      },
      true,
    );
    expect(enqueued).toBe(1);
    const store = openStore(ctx.dataDir);
    try {
      await expect(store.runs.append('r1', batch)).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
    // Without `again`, the run already begun is refused (and the failed attempt abandons it).
    await expect(beginRun(ctx, run, new Date(T), async () => undefined)).rejects.toThrow();
  });
});
