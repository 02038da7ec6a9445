import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { onTestFinished } from 'vitest';
import { heartbeats, type QueueConnection, type WorkerBeat } from '../../src/queue/index.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
export const REDIS_URL = process.env['VIGIE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A worker process (`node bin/dev.js worker`), its output and its exit. */
export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `vigie worker` and waits (bounded) until it says it is ready. */
export async function startWorker(env: Record<string, string>, args: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, VIGIE_LANG: 'fr', FORCE_COLOR: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s:\n${stderr}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('prêt')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited ${code}:\n${stderr}`));
    });
  });
  return { child, pid: child.pid!, stderr: () => stderr, exited };
}

/** Waits (bounded) until `check` holds. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The live workers' heartbeats. */
export async function beats(c: QueueConnection): Promise<WorkerBeat[]> {
  const h = heartbeats(c);
  try {
    return await h.list();
  } finally {
    await h.close();
  }
}

/** A TCP server on `host` that accepts and never answers (a TLS handshake that never comes). */
export async function silentServer(host: string): Promise<{ target: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  onTestFinished(close);
  return { target: `${host}:${port}`, close };
}

/** A TCP server on `host` that resets every connection at once. */
export async function resetServer(host: string): Promise<{ target: string }> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { target: `${host}:${port}` };
}
