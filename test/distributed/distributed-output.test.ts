import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import type { ScanResult } from '../../src/domain/index.js';
import { obliterateQueues } from '../../src/queue/index.js';
import { openStore } from '../../src/store/index.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, TEST_HOST } from '../helpers/test-pki.js';
import { startTlsServer } from '../helpers/tls-server.js';
import { REDIS_URL, silentServer, startWorker } from './fleet.js';

// Queues of this file only, removed at the end.
const PREFIX = `vigie-test-dist-out-${process.pid}`;
afterAll(() => obliterateQueues({ url: REDIS_URL, prefix: PREFIX }), 30_000);

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-out-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The output with what differs from one run to the next (id, dates, data directory) named. */
function normalised(
  text: string,
  run: { id: string; startedAt: string; finishedAt: string },
  dataDir: string,
): string {
  return text
    .replaceAll(run.id, '<run>')
    .replaceAll(run.startedAt, '<started>')
    .replaceAll(run.finishedAt, '<finished>')
    .replaceAll(dataDir, '<data>')
    .replace(/\b\d+(\.\d+)? s\b/g, '<duration>');
}

describe('vigie scan --distributed writes what vigie scan writes', () => {
  it('the same JSON, Markdown and text, byte for byte, for the same estate', async () => {
    const pki = await createTestPki();
    const tls = await startTlsServer({ cert: await pki.leaf(), chain: [pki.intermediate] });
    onTestFinished(() => tls.close());
    // Never answers: a timeout, the same every time (a reset may come as a failed handshake).
    const silent = await silentServer('127.0.0.12');
    const [, silentPort] = silent.target.split(':');
    const dir = tempDir();
    const inventory = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventory,
      `organisation: { name: Test, timezone: Europe/Paris }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }]
    ports: [${tls.port}]
  - id: silent
    name: Silent
    owner: Réseau
    criticality: low
    hosts: [127.0.0.12]
    ports: [${silentPort}]
`,
    );
    const common = ['--inventory', inventory, '--only', 'tls,http', '--timeout', '1500'];
    const env = { VIGIE_LANG: 'fr', FORCE_COLOR: '0' };
    const fleetEnv = {
      ...env,
      VIGIE_REDIS_URL: REDIS_URL,
      VIGIE_QUEUE_PREFIX: PREFIX,
      VIGIE_WORKER_HEARTBEAT_MS: '300',
    };
    // One data directory for the workers and each distributed scan: every run is a first run.
    const fleet = tempDir();
    const worker = await startWorker({ ...fleetEnv, VIGIE_DATA_DIR: fleet }, ['--concurrency', '2']);
    onTestFinished(() => {
      worker.child.kill('SIGTERM');
    });
    /** The JSON, Markdown and text outputs of three runs in a row in one data directory. */
    const outputs = async (extra: string[], e: Record<string, string>, data: string) => {
      const texts: string[] = [];
      let first: ScanResult | undefined;
      for (const format of ['json', 'md', 'text']) {
        const file = path.join(tempDir(), `out.${format}`);
        const out = await runCommand(
          ScanCommand,
          [...common, ...extra, '--format', format, '--output', file],
          {
            ...e,
            VIGIE_DATA_DIR: data,
          },
        );
        expect(out.exitCode, out.stderr).toBe(0);
        const store = openStore(data);
        const runs = await store.runs.list();
        await store.close();
        const text = fs.readFileSync(file, 'utf8');
        if (format === 'json') first = JSON.parse(text) as ScanResult;
        // The first run's start is the later runs' findings' first sighting.
        texts.push(normalised(text, runs[0]!, data).replaceAll(runs.at(-1)!.startedAt, '<first>'));
      }
      return { result: first!, texts };
    };
    const alone = await outputs([], env, tempDir());
    const distributed = await outputs(['--distributed', '--wait', '90'], fleetEnv, fleet);
    // Something to compare: TLS facts and grades, failed families, findings with evidence.
    expect(alone.result.endpoints.map((e) => e.status).sort()).toEqual(['assessed', 'timeout']);
    expect(alone.result.endpoints.some((e) => e.address && e.tls?.grade)).toBe(true);
    expect(alone.result.findings.length).toBeGreaterThan(1);
    // Each pair of outputs: the same bytes once the run's id, dates and directory are named.
    expect(distributed.texts[0]).toBe(alone.texts[0]);
    expect(distributed.texts[1]).toBe(alone.texts[1]);
    expect(distributed.texts[2]).toBe(alone.texts[2]);
  }, 180_000);
});
