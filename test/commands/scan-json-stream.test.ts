import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';
import { createTestPki } from '../helpers/test-pki.js';

const BIN = new URL('../../bin/dev.js', import.meta.url).pathname;
let server: LoopbackServer;
let dir: string;

beforeAll(async () => {
  const pki = await createTestPki();
  server = await startTlsServer({ cert: await pki.leaf({}), chain: [pki.intermediate] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-json-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const vigie = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: '' },
        cwd: dir,
      },
      (error, stdout) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
    );
  });

describe('scan JSON, streamed', () => {
  it('prints the bytes JSON.stringify(result, null, 2) printed, on stdout and in --output', async () => {
    const r = await vigie(['scan', server.target, '--json', '--only', 'tls,http']);
    expect(r.status, r.stdout).toBe(0);
    const parsed = JSON.parse(r.stdout) as {
      endpoints: unknown[];
      findings: unknown[];
      run: { saved: boolean };
    };
    expect(parsed.run.saved).toBe(true);
    expect(parsed.endpoints.length).toBe(1);
    expect(parsed.findings.length).toBeGreaterThan(0);
    expect(r.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);

    const file = path.join(dir, 'out', 'analyse.json');
    const f = await vigie(['scan', server.target, '--format', 'json', '--output', file, '--no-save']);
    expect(f.status).toBe(0);
    const written = fs.readFileSync(file, 'utf8');
    expect(written).toBe(`${JSON.stringify(JSON.parse(written), null, 2)}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['analyse.json']);
  }, 120_000);
});
