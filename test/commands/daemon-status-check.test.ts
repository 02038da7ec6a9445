import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DaemonStatusCommand from '../../src/commands/daemon/status.js';
import { openStore } from '../../src/store/index.js';
import { runCommand } from '../helpers/run-command.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-status-check-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// What a container HEALTHCHECK or a monitoring probe relies on: the exit code alone.
describe('vigie daemon status --check', () => {
  it('exits 4 while no daemon runs, 0 once its heartbeat is fresh, and plain status always exits 0', async () => {
    const env = { VIGIE_DATA_DIR: path.join(dir, 'data') };
    const none = await runCommand(DaemonStatusCommand, ['--check'], env);
    expect(none.exitCode).toBe(4);
    expect((await runCommand(DaemonStatusCommand, [], env)).exitCode).toBe(0);

    const store = openStore(path.join(dir, 'data'));
    try {
      const at = new Date().toISOString();
      // This test's own process stands for the daemon: alive, on this host.
      await store.daemon.writeHeartbeat({ pid: process.pid, hostname: os.hostname(), startedAt: at, at });
    } finally {
      await store.close();
    }
    const live = await runCommand(DaemonStatusCommand, ['--check', '--json'], env);
    expect(live.exitCode, live.stderr).toBe(0);
    expect(live.json<{ running: boolean }>().running).toBe(true);
  });
});
