import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import pg from 'pg';
import ScanCommand from '../../src/commands/scan.js';
import WorkersCommand from '../../src/commands/workers.js';
import type { ScanResult } from '../../src/domain/index.js';
import { obliterateQueues } from '../../src/queue/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { openPgStore } from '../../src/store/postgres/open-pg-store.js';
import { runCommand } from '../helpers/run-command.js';
import { beats, REDIS_URL, resetServer, silentServer, startWorker, until } from './fleet.js';

// Queues of this file only, removed at the end.
const PREFIX = `vigie-test-dist-${process.pid}`;
const connection = { url: REDIS_URL, prefix: PREFIX };
afterAll(() => obliterateQueues(connection), 30_000);

/** Short timings: a dead worker's job is taken again within a few seconds. */
const FAST = {
  VIGIE_REDIS_URL: REDIS_URL,
  VIGIE_QUEUE_PREFIX: PREFIX,
  VIGIE_QUEUE_LOCK_MS: '2000',
  VIGIE_QUEUE_STALLED_MS: '1000',
  VIGIE_QUEUE_ATTEMPTS: '2',
  VIGIE_QUEUE_BACKOFF_MS: '200',
  VIGIE_WORKER_HEARTBEAT_MS: '300',
};

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const scan = (targets: string[], env: Record<string, string>, extra: string[] = []) =>
  runCommand(
    ScanCommand,
    [...targets, '--distributed', '--only', 'tls', '--json', '--wait', '90', ...extra],
    env,
  );

/** Each endpoint of the run as stored, with how many rows it has. */
async function storedRows(store: Store, runId: string): Promise<Record<string, number>> {
  const run = await store.runs.get(runId);
  const rows: Record<string, number> = {};
  for (const e of run?.endpoints ?? []) rows[`${e.host}:${e.port}`] = (rows[`${e.host}:${e.port}`] ?? 0) + 1;
  return rows;
}

async function sqliteRows(dir: string, runId: string): Promise<Record<string, number>> {
  const store = openStore(dir);
  try {
    return await storedRows(store, runId);
  } finally {
    await store.close();
  }
}

describe('vigie scan --distributed with vigie worker processes', () => {
  it('scans one job per host on two workers, lists them, and they stop on SIGTERM with code 0', async () => {
    const dir = dataDir();
    const env = { ...FAST, VIGIE_DATA_DIR: dir };
    const [a, b] = await Promise.all([startWorker(env), startWorker(env)]);
    const listed = await runCommand(WorkersCommand, ['--json'], env);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(
      listed
        .json<{ workers: { pid: number }[] }>()
        .workers.map((w) => w.pid)
        .sort(),
    ).toEqual([a.pid, b.pid].sort());
    const hosts = await Promise.all([
      resetServer('127.0.0.2'),
      resetServer('127.0.0.3'),
      resetServer('127.0.0.4'),
    ]);
    const out = await scan(
      hosts.map((h) => h.target),
      env,
      ['--timeout', '2000'],
    );
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    expect(result.endpoints.map((e) => `${e.host}:${e.port}`).sort()).toEqual(
      hosts.map((h) => h.target).sort(),
    );
    expect(result.run.saved).toBe(true);
    expect(result.posture).toBeDefined();
    expect(await sqliteRows(dir, result.run.id)).toEqual(Object.fromEntries(hosts.map((h) => [h.target, 1])));
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(await beats(connection)).toEqual([]);
  }, 180_000);

  it('takes again the job of a worker killed with SIGKILL mid-host: the run completes, each endpoint saved once', async () => {
    const dir = dataDir();
    const env = { ...FAST, VIGIE_DATA_DIR: dir };
    const slow = await Promise.all([silentServer('127.0.0.5'), silentServer('127.0.0.6')]);
    const first = await startWorker(env);
    // The hosts take 4 s each (no TLS handshake ever comes).
    const running = scan(
      slow.map((s) => s.target),
      env,
      ['--timeout', '4000'],
    );
    await until('the first worker holds a host job', async () => {
      const mine = (await beats(connection)).find((w) => w.pid === first.pid);
      return mine && mine.jobs.length > 0 ? true : undefined;
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const second = await startWorker(env, ['--concurrency', '2']);
    const out = await running;
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    expect(result.endpoints.map((e) => `${e.host}:${e.port}:${e.status}`).sort()).toEqual(
      slow.map((s) => `${s.target}:timeout`).sort(),
    );
    expect(await sqliteRows(dir, result.run.id)).toEqual(Object.fromEntries(slow.map((s) => [s.target, 1])));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);

  it('gives up a poison host after its bounded attempts: scan.error for it, and the run still closes', async () => {
    const dir = dataDir();
    // Each attempt is cut after 1.5 s while the probe would wait 20 s.
    const env = { ...FAST, VIGIE_DATA_DIR: dir, VIGIE_QUEUE_JOB_TIMEOUT_MS: '1500' };
    const poison = await silentServer('127.0.0.7');
    const fine = await resetServer('127.0.0.8');
    const worker = await startWorker(env, ['--concurrency', '2']);
    const started = Date.now();
    const out = await scan([poison.target, fine.target], env, ['--timeout', '20000']);
    expect(out.exitCode, out.stderr).toBe(0);
    // Two attempts of 1.5 s, not one probe of 20 s.
    expect(Date.now() - started).toBeLessThan(19_000);
    const result = out.json<ScanResult>();
    const poisoned = result.endpoints.find((e) => `${e.host}:${e.port}` === poison.target);
    expect(poisoned).toMatchObject({ status: 'error', checks: { 'scan.error': 'fail' } });
    expect(poisoned?.detail).toMatch(/1500 ms/);
    expect(result.findings.map((f) => `${f.checkId} ${f.host}:${f.port}`)).toContain(
      `scan.error ${poison.target}`,
    );
    const store = openStore(dir);
    try {
      expect((await store.runs.list()).map((r) => r.id)).toEqual([result.run.id]);
      expect(await storedRows(store, result.run.id)).toEqual({ [poison.target]: 1, [fine.target]: 1 });
    } finally {
      await store.close();
    }
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 180_000);

  it('on SIGTERM mid-job, a worker finishes its job, exits 0, and the run completes', async () => {
    const dir = dataDir();
    const env = { ...FAST, VIGIE_DATA_DIR: dir };
    const slow = await silentServer('127.0.0.9');
    const worker = await startWorker(env);
    const running = scan([slow.target], env, ['--timeout', '3000']);
    await until('the worker holds the host job', async () => {
      const mine = (await beats(connection)).find((w) => w.pid === worker.pid);
      return mine && mine.jobs.length > 0 ? true : undefined;
    });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    // Its host job was finished before it left (saved once, never redone); the finishing job
    // waits for the next worker.
    const next = await startWorker(env);
    const out = await running;
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    expect(result.endpoints.map((e) => e.status)).toEqual(['timeout']);
    expect(await sqliteRows(dir, result.run.id)).toEqual({ [slow.target]: 1 });
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 180_000);

  it('runs on a shared PostgreSQL store', async () => {
    const base = process.env['VIGIE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `t_distributed_${process.pid}`;
    const url = `${base}?schema=${schema}`;
    onTestFinished(async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    const env = { ...FAST, VIGIE_DATA_DIR: dataDir(), VIGIE_DATABASE_URL: url };
    const hosts = await Promise.all([resetServer('127.0.0.10'), resetServer('127.0.0.11')]);
    const worker = await startWorker(env, ['--concurrency', '2']);
    const out = await scan(
      hosts.map((h) => h.target),
      env,
      ['--timeout', '2000'],
    );
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    const store = await openPgStore(base, { schema });
    try {
      expect(await storedRows(store, result.run.id)).toEqual(
        Object.fromEntries(hosts.map((h) => [h.target, 1])),
      );
    } finally {
      await store.close();
    }
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 180_000);
});
