import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonStatus } from '../../src/app/daemon/index.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';
import { createTestPki, TEST_HOST } from '../helpers/test-pki.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  const pki = await createTestPki();
  server = await startTlsServer({ cert: await pki.leaf(), chain: [pki.intermediate] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-daemon-'));
  fs.writeFileSync(
    path.join(dir, 'vigie.yml'),
    `organisation: { name: Test, timezone: Europe/Paris }
scan: { timeoutMs: 1500 }
schedule: { scan: "*/2 * * * * *", digest: "0 8 * * 1", certificateAlerts: "*/3 * * * * *" }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }]
    ports: [${server.port}]
`,
  );
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  VIGIE_DATA_DIR: dir,
  VIGIE_LANG: '',
  VIGIE_SMTP_PASSWORD: 'mot-de-passe-secret',
});

const status = () =>
  new Promise<DaemonStatus | undefined>((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'daemon', 'status', '--json'],
      { cwd: dir, env: env(), encoding: 'utf8' },
      (_e, out) => {
        try {
          resolve(JSON.parse(out) as DaemonStatus);
        } catch {
          resolve(undefined);
        }
      },
    );
  });

describe('vigie daemon (the real process)', () => {
  it('scans on a seconds-level schedule, reports its status, and exits 0 on SIGTERM, lock removed', async () => {
    const child = spawn(process.execPath, [BIN, 'daemon'], {
      cwd: dir,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let seen: DaemonStatus | undefined;
      // Each status read starts a process: on a loaded 2-core machine that alone takes seconds.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const s = await status();
        if (s?.running && s.jobs.some((j) => j.job === 'scan' && j.lastOutcome === 'ok')) {
          seen = s;
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(seen, stdout + stderr).toBeDefined();
      expect(seen?.pid).toBe(child.pid);
      expect(fs.existsSync(path.join(dir, 'daemon.lock'))).toBe(true);

      // A second daemon on the same data directory refuses, naming the holder.
      const second = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [BIN, 'daemon'],
          { cwd: dir, env: env(), encoding: 'utf8' },
          (e, _o, err) =>
            resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stderr: err }),
        );
      });
      expect(second.code).toBe(4);
      expect(second.stderr).toContain(`pid ${String(child.pid)}`);

      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000)),
      ]);
      expect(code, stdout + stderr).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(fs.existsSync(path.join(dir, 'daemon.lock'))).toBe(false);

      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { at: string; level: string; event: string; detail?: string });
      expect(lines.every((l) => typeof l.at === 'string' && typeof l.level === 'string')).toBe(true);
      const events = lines.map((l) => l.event);
      expect(events).toContain('daemon.started');
      expect(events).toContain('scan.saved');
      expect(events.at(-1)).toBe('daemon.stopped');
      expect(stdout).toContain('mail non configuré');
      expect(stdout).not.toContain('mot-de-passe-secret');
      const after = await status();
      expect(after?.running).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
