import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStore } from '../../src/store/index.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
let dir: string;
const servers: net.Server[] = [];
const held: net.Socket[] = [];

/** A loopback listener this test owns: `answer` closes each connection at once, else it holds it silent. */
async function listen(answer: boolean): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (answer) socket.destroy();
    else held.push(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-killed-'));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  fs.rmSync(dir, { recursive: true, force: true });
});

function count(sql: string): number {
  const db = new Database(path.join(dir, 'data', DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a scan killed midway', () => {
  it('leaves no run visible, and its rows are removed by the next cleanup', async () => {
    const fast = await listen(true);
    const silent = await listen(false);
    const inventory = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventory,
      [
        'organisation: { name: Test, language: fr, timezone: Europe/Paris }',
        'assets:',
        '  - { id: rapide, name: Rapide, owner: DSI, criticality: low,',
        `      hosts: [{ name: rapide.vigie.test, address: 127.0.0.1 }], ports: [${fast}] }`,
        '  - { id: lent, name: Lent, owner: DSI, criticality: low,',
        `      hosts: [{ name: lent.vigie.test, address: 127.0.0.1 }], ports: [${silent}] }`,
        '',
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      [BIN, 'scan', '-i', inventory, '--timeout', '60000', '--only', 'tls'],
      {
        env: { ...process.env, VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: '' },
        cwd: dir,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_, signal) => resolve(signal)),
    );
    // Wait (bounded) until the fast endpoint is saved in the running run, the slow one still pending.
    const deadline = Date.now() + 60_000;
    let saved = 0;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        saved = count(
          `SELECT count(*) AS n FROM run_endpoints e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running'`,
        );
      } catch {
        saved = 0; // not created yet
      }
      if (saved > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(saved, 'the running run got its first batch').toBe(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = openStore(path.join(dir, 'data'));
    try {
      expect(await store.runs.list()).toEqual([]);
      expect(await store.runs.latestEndpoints()).toEqual([]);
      expect(await store.findings.list({ now: new Date().toISOString() })).toEqual([]);
      expect(await store.runs.removeAbandoned(new Date())).toBe(1);
    } finally {
      await store.close();
    }
    expect(count('SELECT count(*) AS n FROM runs')).toBe(0);
    expect(count('SELECT count(*) AS n FROM run_endpoints')).toBe(0);
    expect(count('SELECT count(*) AS n FROM run_staged_findings')).toBe(0);
  }, 120_000);
});
