import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import type { ScanResult } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { runCommand } from '../helpers/run-command.js';
import { beats, resetServer, silentServer, startWorker, until } from './fleet.js';

// A private Redis on a port of our own: the machine's Redis (6379) is never stopped.
const PREFIX = `vigie-test-restart-${process.pid}`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const redisCli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();

/**
 * Starts `redis-server` on `port` and waits (bounded) until it answers. Without `dir` it keeps nothing
 * on disk; with `dir` it writes an append-only file there, synced at every write, as a production
 * Redis that must survive a restart would.
 */
async function startRedis(port: number, dir?: string): Promise<ChildProcess> {
  const persistence =
    dir === undefined
      ? ['--appendonly', 'no']
      : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
    {
      stdio: 'ignore',
    },
  );
  onTestFinished(() => void child.kill('SIGKILL'));
  await until('the private Redis answers', async () =>
    redisCli(port, 'ping') === 'PONG' ? true : undefined,
  );
  return child;
}

describe('Redis restarted (without persistence) during a distributed run', () => {
  it('the scanner fails with a clear reason and exit 4, the run is not left running, the workers reconnect', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const connection = { url, prefix: PREFIX };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-restart-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const env = {
      VIGIE_REDIS_URL: url,
      VIGIE_QUEUE_PREFIX: PREFIX,
      VIGIE_QUEUE_LOCK_MS: '2000',
      VIGIE_QUEUE_STALLED_MS: '1000',
      VIGIE_QUEUE_ATTEMPTS: '2',
      VIGIE_QUEUE_BACKOFF_MS: '200',
      VIGIE_WORKER_HEARTBEAT_MS: '300',
      VIGIE_QUEUE_LOST_MS: '20000',
      VIGIE_DATA_DIR: dir,
    };
    const [a, b] = await Promise.all([startWorker(env), startWorker(env)]);
    // Six hosts of 2 s each on two workers: about 6 s of work.
    const hosts = await Promise.all([12, 13, 14, 15, 16, 17].map((n) => silentServer(`127.0.0.${n}`)));
    const started = Date.now();
    const running = runCommand(
      ScanCommand,
      [
        ...hosts.map((h) => h.target),
        '--distributed',
        '--only',
        'tls',
        '--json',
        '--wait',
        '120',
        '--timeout',
        '2000',
      ],
      env,
    );
    await until('two host jobs are done', async () =>
      Number(redisCli(port, 'zcard', `${PREFIX}:scan:completed`)) >= 2 ? true : undefined,
    );
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startRedis(port);

    const out = await running;
    expect(out.exitCode, out.stderr).toBe(4);
    expect(out.json<{ error: { message: string; hint: string } }>().error).toMatchObject({
      message: expect.stringMatching(/a échoué : ses tâches ne sont plus dans Redis/) as unknown,
      hint: expect.stringMatching(/persistance/) as unknown,
    });
    // Said once, in the error: not a stack of connection errors.
    expect(out.stderr).not.toMatch(/ECONNREFUSED/);
    // Bounded: well before --wait (120 s).
    expect(Date.now() - started).toBeLessThan(60_000);
    // Not left running: nothing remains for removeAbandoned to clear, even with no grace at all.
    const store = openStore(dir);
    try {
      expect(await store.runs.removeAbandoned(new Date(), 0)).toBe(0);
      expect(await store.runs.list()).toEqual([]);
    } finally {
      await store.close();
    }

    // The same two worker processes reconnected: they beat again and take the next run.
    await until('both workers beat again', async () => {
      const pids = (await beats(connection)).map((w) => w.pid).sort();
      return pids.length === 2 ? pids : undefined;
    });
    expect((await beats(connection)).map((w) => w.pid).sort()).toEqual([a.pid, b.pid].sort());
    const fine = await Promise.all([resetServer('127.0.0.18'), resetServer('127.0.0.19')]);
    const again = await runCommand(
      ScanCommand,
      [
        ...fine.map((h) => h.target),
        '--distributed',
        '--only',
        'tls',
        '--json',
        '--wait',
        '60',
        '--timeout',
        '2000',
      ],
      env,
    );
    expect(again.exitCode, again.stderr).toBe(0);
    expect(
      again
        .json<ScanResult>()
        .endpoints.map((e) => `${e.host}:${e.port}`)
        .sort(),
    ).toEqual(fine.map((h) => h.target).sort());
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 180_000);
});

describe('Redis restarted (with its append-only file) during a distributed run', () => {
  it('the workers and the scanner reconnect and the run completes, every host saved once', async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-restart-aof-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const redisDir = path.join(dir, 'redis');
    fs.mkdirSync(redisDir);
    let redis = await startRedis(port, redisDir);
    const url = `redis://127.0.0.1:${port}`;
    const env = {
      VIGIE_REDIS_URL: url,
      VIGIE_QUEUE_PREFIX: `${PREFIX}-aof`,
      VIGIE_QUEUE_LOCK_MS: '2000',
      VIGIE_QUEUE_STALLED_MS: '1000',
      VIGIE_QUEUE_ATTEMPTS: '3',
      VIGIE_QUEUE_BACKOFF_MS: '200',
      VIGIE_WORKER_HEARTBEAT_MS: '300',
      VIGIE_QUEUE_LOST_MS: '20000',
      VIGIE_DATA_DIR: path.join(dir, 'data'),
    };
    const [a, b] = await Promise.all([startWorker(env), startWorker(env)]);
    const hosts = await Promise.all([22, 23, 24, 25, 26, 27].map((n) => silentServer(`127.0.0.${n}`)));
    const running = runCommand(
      ScanCommand,
      [
        ...hosts.map((h) => h.target),
        '--distributed',
        '--only',
        'tls',
        '--json',
        '--wait',
        '120',
        '--timeout',
        '2000',
      ],
      env,
    );
    await until('two host jobs are done', async () =>
      Number(redisCli(port, 'zcard', `${PREFIX}-aof:scan:completed`)) >= 2 ? true : undefined,
    );
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startRedis(port, redisDir);

    const out = await running;
    expect(out.exitCode, out.stderr).toBe(0);
    const result = out.json<ScanResult>();
    // Every host once: a job taken again after the restart replaces its endpoint, never adds one.
    expect(result.endpoints.map((e) => `${e.host}:${e.port}`).sort()).toEqual(
      hosts.map((h) => h.target).sort(),
    );
    const store = openStore(env.VIGIE_DATA_DIR);
    try {
      const runs = await store.runs.list();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.endpointCount).toBe(hosts.length);
    } finally {
      await store.close();
    }
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 180_000);
});
