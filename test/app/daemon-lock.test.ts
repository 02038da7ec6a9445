import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { acquireDaemonLock, DaemonLockedError, DAEMON_LOCK_FILE } from '../../src/app/index.js';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-lock-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the daemon lock', () => {
  it('refuses a second daemon and names the pid that holds the lock', () => {
    const dir = tempDir();
    const lock = acquireDaemonLock(dir);
    const info = JSON.parse(fs.readFileSync(path.join(dir, DAEMON_LOCK_FILE), 'utf8')) as { pid: number };
    expect(info.pid).toBe(process.pid);
    expect(() => acquireDaemonLock(dir)).toThrow(DaemonLockedError);
    expect(() => acquireDaemonLock(dir)).toThrow(`pid ${process.pid}`);
    try {
      acquireDaemonLock(dir);
    } catch (error) {
      expect((error as DaemonLockedError).exitCode).toBe(4);
    }
    lock.release();
    expect(fs.existsSync(path.join(dir, DAEMON_LOCK_FILE))).toBe(false);
    acquireDaemonLock(dir).release();
  });

  it('recovers a stale lock left by a dead process, and says so', () => {
    const dir = tempDir();
    // A pid that surely is dead: a child that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    expect(dead).toBeGreaterThan(0);
    const stale = { pid: dead, host: os.hostname(), startedAt: '2026-11-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, DAEMON_LOCK_FILE), JSON.stringify(stale));
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered).toEqual(stale);
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });

  it('recovers an unreadable lock file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DAEMON_LOCK_FILE), '{ tronqué');
    const lock = acquireDaemonLock(dir);
    expect(lock.recovered).toEqual({ unreadable: true });
    lock.release();
  });
});
