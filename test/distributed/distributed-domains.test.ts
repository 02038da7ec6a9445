import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import { startDnsServer } from '../../src/demo/index.js';
import type { ScanResult } from '../../src/domain/index.js';
import { obliterateQueues } from '../../src/queue/index.js';
import { runCommand } from '../helpers/run-command.js';
import { REDIS_URL, resetServer, startWorker } from './fleet.js';

/*
 * The DNS and mail checks of the inventory's domains go to the fleet too (one domains job): a
 * distributed scan finds what `vigie scan` finds on the same inventory, never silently less.
 */

const PREFIX = `vigie-test-dist-dns-${process.pid}`;
afterAll(() => obliterateQueues({ url: REDIS_URL, prefix: PREFIX }), 30_000);

const FAST = {
  VIGIE_REDIS_URL: REDIS_URL,
  VIGIE_QUEUE_PREFIX: PREFIX,
  VIGIE_QUEUE_LOCK_MS: '2000',
  VIGIE_QUEUE_STALLED_MS: '1000',
  VIGIE_QUEUE_ATTEMPTS: '2',
  VIGIE_QUEUE_BACKOFF_MS: '200',
  VIGIE_WORKER_HEARTBEAT_MS: '300',
};
const DOMAIN = 'mairie.vigie.test';

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-dns-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What a user compares between two scans: each finding's check and subject, and each endpoint. */
function seen(result: ScanResult): { findings: string[]; endpoints: string[] } {
  return {
    findings: result.findings.map((f) => `${f.checkId} ${f.host}:${f.port}`).sort(),
    endpoints: result.endpoints.map((e) => `${e.host}:${e.port} ${e.status}`).sort(),
  };
}

describe('vigie scan --distributed on an inventory with domains', () => {
  it('runs the DNS and mail checks on a worker and finds what vigie scan finds', async () => {
    const dir = tempDir();
    const dns = await startDnsServer({
      host: '127.0.0.62',
      records: [
        { name: DOMAIN, type: 'SOA', data: { mname: `ns1.${DOMAIN}`, rname: `hostmaster.${DOMAIN}` } },
        { name: DOMAIN, type: 'NS', data: `ns1.${DOMAIN}` },
        // Two flaws: any server may send mail as this domain, and no DMARC policy.
        { name: DOMAIN, type: 'TXT', data: 'v=spf1 ip4:192.0.2.0/24 +all' },
        { name: DOMAIN, type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: randomBytes(64) } },
      ],
    });
    onTestFinished(() => dns.close());
    const web = await resetServer('127.0.0.63');
    const [host, port] = web.target.split(':');
    const inventory = path.join(dir, 'vigie.yml');
    fs.writeFileSync(
      inventory,
      `organisation: { name: Commune de Vigie }
dns: { resolver: "${dns.address}" }
assets:
  - id: mairie
    name: Site et messagerie de la mairie
    owner: Secrétariat général
    criticality: high
    hosts: [{ name: www.vigie.test, address: "${host}" }]
    ports: [${port}]
    domains: [${DOMAIN}]
`,
    );
    const env = { ...FAST, VIGIE_DATA_DIR: path.join(dir, 'fleet') };
    const worker = await startWorker(env);

    const fleet = await runCommand(
      ScanCommand,
      ['-i', inventory, '--distributed', '--json', '--wait', '90', '--timeout', '2000'],
      env,
    );
    expect(fleet.exitCode, fleet.stdout.slice(0, 1500) + fleet.stderr).not.toBe(4);
    const alone = await runCommand(ScanCommand, ['-i', inventory, '--json', '--timeout', '2000'], {
      VIGIE_DATA_DIR: path.join(dir, 'alone'),
    });
    expect(alone.exitCode, alone.stdout.slice(0, 1500) + alone.stderr).not.toBe(4);

    const distributed = seen(fleet.json<ScanResult>());
    // The domain's flaws are there, on the domain…
    expect(distributed.findings).toEqual(expect.arrayContaining([`mail.spf.permissive ${DOMAIN}:53`]));
    expect(distributed.endpoints).toEqual(expect.arrayContaining([`${DOMAIN}:53 assessed`]));
    // …and the fleet's run holds the same findings and endpoints as the scan of one machine.
    expect(distributed).toEqual(seen(alone.json<ScanResult>()));

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 120_000);

  it('a domains job that fails for good becomes scan.error on each domain, and the run closes', async () => {
    const dir = tempDir();
    const inventory = path.join(dir, 'vigie.yml');
    // A resolver that never answers: the job's deadline (1 s) passes on every attempt.
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.64', resolve));
    onTestFinished(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    fs.writeFileSync(
      inventory,
      `organisation: { name: Commune de Vigie }
dns: { resolver: "127.0.0.64:${silent.address().port}" }
assets:
  - id: messagerie
    name: Messagerie
    owner: Secrétariat général
    criticality: high
    domains: [${DOMAIN}, autre.vigie.test]
`,
    );
    const env = { ...FAST, VIGIE_DATA_DIR: path.join(dir, 'fleet'), VIGIE_QUEUE_JOB_TIMEOUT_MS: '1000' };
    const worker = await startWorker(env);
    const out = await runCommand(
      ScanCommand,
      ['-i', inventory, '--distributed', '--json', '--wait', '90', '--timeout', '5000'],
      env,
    );
    const result = out.json<ScanResult>();
    expect(result.findings.map((f) => `${f.checkId} ${f.host}:${f.port}`).sort()).toEqual([
      `scan.error autre.vigie.test:53`,
      `scan.error ${DOMAIN}:53`,
    ]);
    expect(out.exitCode, out.stderr).not.toBe(4);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 120_000);
});
