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
  server = await startTlsServer({
    cert: await pki.leaf({ signatureHash: 'SHA-1' }),
    chain: [pki.intermediate],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-proc-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The real executable, as a user or a CI job runs it (stdout and stderr piped, not a TTY). Async:
 * the loopback server lives in this process and must keep answering.
 */
const vigie = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, VIGIE_DATA_DIR: dir, VIGIE_LANG: '' },
        cwd: dir,
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('the vigie executable', () => {
  it('exits 1 on --fail-on, prints no progress bar when piped, and teaches with --help', async () => {
    const r = await vigie(['scan', server.target, '--fail-on', 'high', '--no-save']);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('Synthèse par point d’accès');
    expect(r.stderr.includes('\u001b[') || /[░█]/.test(r.stderr)).toBe(false);
    const help = await vigie(['scan', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fail-on');
    expect(help.stdout).toContain('https://HÔTE[:PORT]/');
    // Two processes of up to 60 s each (their own bound) on a loaded machine.
  }, 120_000);

  it('exits 2 on a usage error and 3 on a missing inventory', async () => {
    expect((await vigie(['scan', '--concurrency', 'zero'])).status).toBe(2);
    const missing = await vigie(['scan']);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('vigie init');
  }, 120_000);
});
