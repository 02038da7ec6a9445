import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';
import { createTestPki, TEST_HOST } from '../helpers/test-pki.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  const pki = await createTestPki();
  server = await startTlsServer({ cert: await pki.leaf(), chain: [pki.intermediate] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-modes-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');

/** The real executable started by a shell whose umask is 022 (files 0644, directories 0755 by default). */
const underUmask022 = (args: string[]): string[] => [
  '-c',
  'umask 022 && exec "$0" "$@"',
  process.execPath,
  BIN,
  ...args,
];

describe('files written by vigie are private whatever the umask', () => {
  it('scan --output: data directory 0700, database 0600, report 0600, created directories 0700', async () => {
    const dataDir = path.join(dir, 'donnees', 'vigie');
    const report = path.join(dir, 'rapports', 'hebdo', 'analyse.md');
    const shared = path.join(dir, 'partage');
    fs.mkdirSync(shared, { mode: 0o755 });
    fs.chmodSync(shared, 0o755);
    const beside = path.join(shared, 'analyse.txt');
    fs.writeFileSync(beside, 'ancien', { mode: 0o644 });
    fs.chmodSync(beside, 0o644);
    const run = (args: string[]) =>
      new Promise<{ status: number | null; out: string }>((resolve) => {
        execFile(
          '/bin/sh',
          underUmask022(args),
          { encoding: 'utf8', timeout: 60_000, cwd: dir, env: { ...process.env, VIGIE_DATA_DIR: dataDir } },
          (error, stdout, stderr) =>
            resolve({
              status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
              out: stdout + stderr,
            }),
        );
      });
    const first = await run(['scan', server.target, '--format', 'md', '--output', report]);
    expect(first.status, first.out).toBe(0);
    const second = await run(['scan', server.target, '--no-save', '--output', beside]);
    expect(second.status, second.out).toBe(0);

    expect(modeOf(path.join(dir, 'donnees'))).toBe('0700');
    expect(modeOf(dataDir)).toBe('0700');
    expect(modeOf(path.join(dataDir, 'vigie.db'))).toBe('0600');
    expect(modeOf(path.join(dir, 'rapports'))).toBe('0700');
    expect(modeOf(path.join(dir, 'rapports', 'hebdo'))).toBe('0700');
    expect(modeOf(report)).toBe('0600');
    expect(fs.readFileSync(report, 'utf8')).toContain(TEST_HOST);
    // A directory vigie did not create keeps its mode; the file it (re)writes there is private.
    expect(modeOf(shared)).toBe('0755');
    expect(modeOf(beside)).toBe('0600');
    expect(fs.readFileSync(beside, 'utf8')).toContain('Synthèse par point d’accès');
    expect(fs.readdirSync(shared)).toEqual(['analyse.txt']);
  }, 120_000);

  it('daemon: lock and --log-file are 0600, the log directory it creates 0700', async () => {
    const dataDir = path.join(dir, 'demon');
    const logFile = path.join(dir, 'journaux', 'vigie.log');
    const inventory = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventory,
      `organisation: { name: Test }\nschedule: { scan: "0 3 1 1 *", digest: "0 8 * * 1", certificateAlerts: "0 7 1 1 *" }\n`,
    );
    const child = spawn('/bin/sh', underUmask022(['daemon', '-i', inventory, '--log-file', logFile]), {
      cwd: dir,
      env: { ...process.env, VIGIE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lock = path.join(dataDir, 'daemon.lock');
      const started = (): boolean =>
        fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('catch-up');
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && !started()) await new Promise((r) => setTimeout(r, 200));
      expect(started(), output).toBe(true);
      expect(modeOf(lock)).toBe('0600');
      expect(modeOf(logFile)).toBe('0600');
      expect(modeOf(path.join(dir, 'journaux'))).toBe('0700');
      expect(modeOf(dataDir)).toBe('0700');
      expect(output).toBe(''); // the journal went to the file
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
      expect(code, output).toBe(0);
      expect(fs.readFileSync(logFile, 'utf8').trim().split('\n').at(-1)).toContain('daemon.stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
