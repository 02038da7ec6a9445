import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  acquireDaemonLock,
  DaemonLockedError,
  DAEMON_LOCK_FILE,
  isVigieDaemonCommand,
  LOCK_STALE_MS,
  procProcessProbe,
  type DaemonLockInfo,
} from '../../../src/app/daemon/index.js';
import { errorView } from '../../../src/report/error-text.js';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-lock-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A lock file as an earlier daemon left it, its heartbeat (mtime) `ageMs` old. */
function plantLock(dir: string, info: Partial<DaemonLockInfo> & { pid: number }, ageMs = 0): DaemonLockInfo {
  const lock = { host: os.hostname(), startedAt: '2026-11-01T00:00:00.000Z', ...info };
  const file = path.join(dir, DAEMON_LOCK_FILE);
  fs.writeFileSync(file, JSON.stringify(lock));
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
  return lock;
}

/** A live process started by the test (killed when it ends); resolves once it runs. */
async function liveProcess(command: string, args: string[]): Promise<ChildProcess & { pid: number }> {
  const child = spawn(command, args, { stdio: 'ignore' });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  // Wait (bounded) until /proc shows its own command line, not the forking parent's.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !procProcessProbe.commandLine(child.pid!)?.includes(args.at(-1)!)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return child as ChildProcess & { pid: number };
}

const lockedError = (dir: string): DaemonLockedError => {
  try {
    acquireDaemonLock(dir).release();
  } catch (error) {
    if (error instanceof DaemonLockedError) return error;
    throw error;
  }
  throw new Error('the lock should have been refused');
};

describe('the daemon lock', () => {
  it('refuses a second daemon and names the pid that holds the lock', () => {
    const dir = tempDir();
    const lock = acquireDaemonLock(dir);
    const info = JSON.parse(fs.readFileSync(path.join(dir, DAEMON_LOCK_FILE), 'utf8')) as { pid: number };
    expect(info.pid).toBe(process.pid);
    expect(() => acquireDaemonLock(dir)).toThrow(DaemonLockedError);
    expect(() => acquireDaemonLock(dir)).toThrow(`pid ${process.pid}`);
    expect(lockedError(dir).exitCode).toBe(4);
    lock.release();
    expect(fs.existsSync(path.join(dir, DAEMON_LOCK_FILE))).toBe(false);
    acquireDaemonLock(dir).release();
  });

  it('recovers a stale lock left by a dead process, and says so', () => {
    const dir = tempDir();
    // A pid that surely is dead: a child that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    expect(dead).toBeGreaterThan(0);
    const stale = plantLock(dir, { pid: dead });
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered).toEqual({ reason: 'dead', previous: stale });
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });

  it('recovers an unreadable lock file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DAEMON_LOCK_FILE), '{ tronqué');
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered).toEqual({ reason: 'unreadable' });
    lock.release();
  });

  it('recovers a lock bearing our own pid left by an earlier process (a container restarted as PID 1)', () => {
    const dir = tempDir();
    const earlier = plantLock(dir, { pid: process.pid });
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered).toEqual({ reason: 'own-pid', previous: earlier });
    lock.release();
    // The same with the random instance id of another process.
    plantLock(dir, { pid: process.pid, instance: 'un-autre-processus' });
    expect(acquireDaemonLock(dir).recovered?.reason).toBe('own-pid');
  });

  it('recovers a lock whose pid is alive but is not a vigie daemon (Linux /proc)', async () => {
    const dir = tempDir();
    const sleeper = await liveProcess('sleep', ['30']);
    plantLock(dir, { pid: sleeper.pid });
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered?.reason).toBe('not-a-daemon');
    lock.release();
  });

  it('refuses a live vigie daemon with a fresh heartbeat, and recovers it once the heartbeat is old', async () => {
    const dir = tempDir();
    // Its command line reads like `vigie daemon` (node -e … vigie daemon).
    const daemon = await liveProcess(process.execPath, [
      '-e',
      'setTimeout(() => {}, 30000)',
      'vigie',
      'daemon',
    ]);
    expect(isVigieDaemonCommand(procProcessProbe.commandLine(daemon.pid) ?? [])).toBe(true);
    plantLock(dir, { pid: daemon.pid, processStart: procProcessProbe.startTime(daemon.pid)! }, 10_000);
    const error = lockedError(dir);
    expect(error.message).toContain(`pid ${daemon.pid}`);
    expect(error.hint).toContain(`kill -TERM ${daemon.pid}`);
    const english = errorView('en', error);
    expect(english.message).toContain(
      `a vigie daemon already runs on this data directory (pid ${daemon.pid}`,
    );
    expect(english.hint).toBe(
      `stop it (systemctl stop vigie, or kill -TERM ${daemon.pid}), or use another VIGIE_DATA_DIR`,
    );

    plantLock(dir, { pid: daemon.pid }, LOCK_STALE_MS + 60_000);
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered?.reason).toBe('heartbeat');
    lock.release();

    // Its pid, but another process start time: the pid was reused since.
    plantLock(dir, { pid: daemon.pid, processStart: '1' });
    expect(acquireDaemonLock(dir).recovered?.reason).toBe('pid-reused');
  });

  it('another host: refused while it beats, recovered when silent; the hint never asks to kill PID 1', () => {
    const dir = tempDir();
    plantLock(dir, { pid: 1, host: 'conteneur-precedent' }, 5_000);
    const error = lockedError(dir);
    expect(error.message).toContain('pid 1 sur conteneur-precedent');
    expect(error.hint).not.toMatch(/kill/);
    expect(error.hint).toContain('conteneur-precedent');

    plantLock(dir, { pid: 1, host: 'conteneur-precedent' }, LOCK_STALE_MS + 1_000);
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered?.reason).toBe('heartbeat');
    lock.release();
  });

  it('a PID 1 holder on this host that is not a vigie daemon (init) is recovered, never killed', () => {
    const dir = tempDir();
    plantLock(dir, { pid: 1 });
    const lock = acquireDaemonLock(dir, undefined, {
      probe: { alive: () => true, commandLine: () => ['/sbin/init'], startTime: () => undefined },
    });
    expect(lock.recovered?.reason).toBe('not-a-daemon');
    lock.release();
    // Where /proc says nothing (macOS, BSD, hidepid), a live pid counts as a daemon: only its heartbeat frees it.
    plantLock(dir, { pid: 1 });
    const unknown = { alive: () => true, commandLine: () => undefined, startTime: () => undefined };
    let refused: unknown;
    try {
      acquireDaemonLock(dir, undefined, { probe: unknown });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DaemonLockedError);
    expect((refused as DaemonLockedError).hint).not.toMatch(/kill/);
    plantLock(dir, { pid: 1 }, LOCK_STALE_MS + 1_000);
    expect(acquireDaemonLock(dir, undefined, { probe: unknown }).recovered?.reason).toBe('heartbeat');
  });

  it('beats by touching the lock, and tells when another daemon took it over', () => {
    const dir = tempDir();
    const file = path.join(dir, DAEMON_LOCK_FILE);
    let now = Date.now() + 60_000;
    const lock = acquireDaemonLock(dir, undefined, { now: () => now });
    expect(lock.beat()).toBe(true);
    expect(Math.abs(fs.statSync(file).mtimeMs - now)).toBeLessThan(1000);
    now += 30_000;
    expect(lock.beat()).toBe(true);
    expect(Math.abs(fs.statSync(file).mtimeMs - now)).toBeLessThan(1000);
    plantLock(dir, { pid: process.pid, instance: 'un-autre-demon' });
    expect(lock.beat()).toBe(false);
    lock.release();
    expect(fs.existsSync(file)).toBe(true); // not ours: left in place
  });

  it('reads command lines as a vigie daemon only when they are one', () => {
    expect(isVigieDaemonCommand(['node', '/usr/bin/vigie', 'daemon', '-i', '/etc/vigie/vigie.yml'])).toBe(
      true,
    );
    expect(isVigieDaemonCommand(['node', '/opt/vigie/bin/run.js', 'daemon'])).toBe(true);
    expect(isVigieDaemonCommand(['node', '/opt/vigie/bin/run.js', 'daemon', 'status'])).toBe(false);
    expect(isVigieDaemonCommand(['sleep', '30'])).toBe(false);
    expect(isVigieDaemonCommand(['node', 'server.js', 'daemon'])).toBe(false);
    expect(isVigieDaemonCommand(['/sbin/init'])).toBe(false);
  });
});
