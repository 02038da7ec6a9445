import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import type { ScanResult } from '../../src/domain/index.js';
import { clearFleetLimits, obliterateQueues, targetSemaphore } from '../../src/queue/index.js';
import { runCommand } from '../helpers/run-command.js';
import { REDIS_URL, startWorker, until } from './fleet.js';

// Queues and fleet keys of this file only, removed at the end.
const PREFIX = `vigie-test-fleet-${process.pid}`;
const connection = { url: REDIS_URL, prefix: PREFIX };
afterAll(async () => {
  await obliterateQueues(connection);
  await clearFleetLimits(connection);
}, 30_000);

const FAST = {
  VIGIE_REDIS_URL: REDIS_URL,
  VIGIE_QUEUE_PREFIX: PREFIX,
  VIGIE_QUEUE_LOCK_MS: '2000',
  VIGIE_QUEUE_STALLED_MS: '1000',
  VIGIE_QUEUE_ATTEMPTS: '3',
  VIGIE_QUEUE_BACKOFF_MS: '200',
  VIGIE_WORKER_HEARTBEAT_MS: '300',
};

function workDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fleet-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A TCP server on `address` that counts its connections: how many are open at once (at most), and
 * when each arrived (this server's clock). Each is held `holdMs` then reset by the server itself, so
 * the count falls before the client can even see the end; `holdMs` undefined: never answered.
 */
async function countingServer(address: string, holdMs?: number) {
  const sockets = new Set<net.Socket>();
  const stats = { open: 0, max: 0, arrivals: [] as number[] };
  const server = net.createServer((s) => {
    stats.arrivals.push(performance.now());
    stats.open += 1;
    stats.max = Math.max(stats.max, stats.open);
    sockets.add(s);
    let counted = true;
    const gone = () => {
      if (counted) stats.open -= 1;
      counted = false;
      sockets.delete(s);
    };
    s.on('error', () => undefined);
    s.on('close', gone);
    // Read what comes (and so see the client's end), answer nothing.
    s.resume();
    if (holdMs !== undefined) {
      setTimeout(() => {
        gone();
        s.resetAndDestroy();
      }, holdMs);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as net.AddressInfo;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, stats };
}

/** vigie.yml with `hosts` host names, all on one address and port: one job each, one target address. */
function inventory(dir: string, address: string, port: number, hosts: number, extra = ''): string {
  const lines = [
    'organisation: { name: Flotte Test, language: fr, timezone: Europe/Paris }',
    extra,
    'assets:',
  ];
  for (let i = 0; i < hosts; i++) {
    lines.push(
      `  - id: actif-${i}`,
      `    name: Service ${i}`,
      '    owner: Commune',
      '    criticality: medium',
      `    hosts: [{ name: h${i}.flotte.vigie.test, address: ${address} }]`,
      `    ports: [${port}]`,
      '    expose: [https]',
    );
  }
  const file = path.join(dir, 'vigie.yml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const scan = (inv: string, env: Record<string, string>, timeoutMs: number) =>
  runCommand(
    ScanCommand,
    ['-i', inv, '--distributed', '--only', 'tls', '--json', '--wait', '120', '--timeout', String(timeoutMs)],
    env,
  );

describe('fleet-wide limits of vigie worker processes', () => {
  it('keeps 3 workers to K = 2 connections at once to one address', async () => {
    const dir = workDir();
    const address = '127.0.0.41';
    const { port, stats } = await countingServer(address, 150);
    const inv = inventory(dir, address, port, 12);
    const env = { ...FAST, VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_FLEET_MAX_PER_TARGET: '2' };
    await Promise.all([0, 1, 2].map(() => startWorker(env, ['--concurrency', '4'])));
    const out = await scan(inv, env, 3000);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.json<ScanResult>().endpoints).toHaveLength(12);
    // 12 jobs on 3 workers, 2 handshakes each at once: far more wanted than allowed.
    expect(stats.arrivals.length).toBeGreaterThanOrEqual(12);
    expect(stats.max).toBeGreaterThan(0);
    expect(stats.max).toBeLessThanOrEqual(2);
  }, 180_000);

  it('frees the slot of a worker killed with SIGKILL once its lease has run out', async () => {
    const dir = workDir();
    const address = '127.0.0.42';
    const { port, stats } = await countingServer(address);
    const inv = inventory(dir, address, port, 1);
    const env = {
      ...FAST,
      VIGIE_DATA_DIR: path.join(dir, 'data'),
      VIGIE_FLEET_MAX_PER_TARGET: '1',
      VIGIE_FLEET_LEASE_MS: '1500',
    };
    const slots = targetSemaphore(connection, { limit: 1, leaseMs: 1500 });
    onTestFinished(() => slots.close());
    const first = await startWorker(env);
    const running = scan(inv, env, 3000);
    // The server never answers: the worker holds the address's only slot while it waits.
    await until('the worker holds the slot and its connection', async () =>
      stats.arrivals.length >= 1 && (await slots.held(address)) === 1 ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await slots.held(address)).toBe(1);
    // Nobody renews it any more: free after the lease (bounded wait, Redis's clock).
    await until(
      'the dead worker’s slot expires',
      async () => ((await slots.held(address)) === 0 ? true : undefined),
      10_000,
    );
    // Another worker takes the job again and gets the slot.
    await startWorker(env);
    const out = await running;
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.json<ScanResult>().endpoints).toHaveLength(1);
    expect(stats.arrivals.length).toBeGreaterThanOrEqual(2);
    expect(stats.max).toBe(1);
  }, 180_000);

  it('keeps the whole fleet to the global rate of connections per second', async () => {
    const dir = workDir();
    const address = '127.0.0.43';
    const { port, stats } = await countingServer(address, 20);
    const inv = inventory(dir, address, port, 12);
    const RATE = 5;
    const env = {
      ...FAST,
      VIGIE_DATA_DIR: path.join(dir, 'data'),
      VIGIE_FLEET_MAX_PER_TARGET: '50',
      VIGIE_FLEET_RATE: String(RATE),
    };
    await Promise.all([0, 1, 2].map(() => startWorker(env, ['--concurrency', '4'])));
    const out = await scan(inv, env, 3000);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.json<ScanResult>().endpoints).toHaveLength(12);
    const at = [...stats.arrivals].sort((a, b) => a - b);
    expect(at.length).toBeGreaterThanOrEqual(12);
    // Connections seen by the server in any one-second window: evenly spaced, at most RATE + 1,
    // plus one for the scheduling jitter between Redis granting a connection and its arrival.
    let most = 0;
    for (let i = 0; i < at.length; i++) {
      let n = 0;
      while (i + n < at.length && at[i + n]! - at[i]! < 1000) n += 1;
      most = Math.max(most, n);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(RATE + 2);
  }, 180_000);
});
