import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import DemoCommand from '../../src/commands/demo.js';
import ScanCommand from '../../src/commands/scan.js';
import type { ScanResult } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;

/** Whether something accepts TCP connections on address:port (bounded). */
const answers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });

const findingKeys = (r: ScanResult) => r.findings.map((f) => `${f.checkId} ${f.host}:${f.port}`).sort();

describe('vigie demo --keep', () => {
  it('keeps the estate up until Ctrl-C; its inventory scans the same way again; hints work outside the repository', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-keep-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Started from an empty directory, as an installed vigie would be.
    const child = spawn(process.execPath, [BIN, 'demo', '--keep', '--network', '127.162.0'], {
      cwd: dir,
      env: { ...process.env, VIGIE_DATA_DIR: dir, VIGIE_LANG: '', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no « reste démarré » in 150 s:\n${stderr}`)), 150_000);
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('reste démarré')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}:\n${stdout}\n${stderr}`)));
    });
    await ready;
    const demoDir = path.join(dir, 'demo');
    const inventory = path.join(demoDir, 'vigie.yml');
    expect(stdout).toContain(`VIGIE_DATA_DIR=${demoDir} vigie scan -i ${inventory}`);
    expect(stdout).toContain(`VIGIE_DATA_DIR=${demoDir} vigie findings list`);
    expect(stdout).not.toContain('npm run');
    expect(await answers('127.162.0.11', 8443)).toBe(true);

    // The written inventory alone (mail and plain-HTTP ports included) gives the demo's findings again.
    expect(fs.readFileSync(inventory, 'utf8')).toMatch(/mailPorts: \{ smtp: 2525, mtaSts: 8443 \}/);
    const demoScan = JSON.parse(
      fs.readFileSync(path.join(demoDir, 'analyse-demo.json'), 'utf8'),
    ) as ScanResult;
    const again = await runCommand(ScanCommand, ['-i', inventory, '--json'], { VIGIE_DATA_DIR: demoDir });
    expect(again.exitCode, again.stderr).toBe(0);
    const rescan = again.json<ScanResult>();
    expect(findingKeys(rescan)).toEqual(findingKeys(demoScan));
    expect(rescan.findings.filter((f) => f.port === 25)).toEqual([]); // the MX port was once lost
    expect(rescan.endpoints.map((e) => `${e.host}:${e.port}`)).toContain(
      'mx.mediatheque.demo.vigie.test:2525',
    );

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Parc de démonstration arrêté.');
    expect(await answers('127.162.0.11', 8443)).toBe(false);
  }, 240_000);
});

describe('vigie demo when an address it needs is taken', () => {
  it('stops with exit 4, names the address, and leaves nothing running', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-taken-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    // The careless MX, started late: every server started before it must be closed again.
    const squatter = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => squatter.listen(2525, '127.163.0.42', resolve));
    onTestFinished(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    const out = await runCommand(DemoCommand, ['--network', '127.163.0'], { VIGIE_DATA_DIR: dir });
    expect(out.exitCode).toBe(4);
    expect(out.stderr).toContain('127.163.0.42:2525');
    expect(out.stderr).toContain('déjà pris');
    expect(out.stderr).toContain('--network');
    expect(await answers('127.163.0.11', 8443)).toBe(false);
    expect(await answers('127.163.0.41', 2525)).toBe(false);

    const json = await runCommand(DemoCommand, ['--network', '127.163.0', '--json'], { VIGIE_DATA_DIR: dir });
    expect(json.json<{ error: { name: string; exitCode: number } }>().error).toMatchObject({
      name: 'DemoAddressError',
      exitCode: 4,
    });
  }, 120_000);

  it('refuses a --network outside the loopback with exit 2', async () => {
    const out = await runCommand(DemoCommand, ['--network', '10.0.0'], {});
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('127.X.Y');
  });
});
