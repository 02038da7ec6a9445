import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DaemonStatusCommand from '../../src/commands/daemon/status.js';
import InventoryListCommand from '../../src/commands/inventory/list.js';
import ReportCommand from '../../src/commands/report/index.js';
import ScanCommand from '../../src/commands/scan.js';
import { isDnsScanError, materializeFinding, metaOf } from '../../src/app/shared/materialize-findings.js';
import { builtinCatalogue } from '../../src/app/shared/load-catalogue.js';
import type { PostureReport } from '../../src/domain/index.js';
import { openStore } from '../../src/store/index.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

let dir: string;
let server: LoopbackServer;
let inventory: string;
const env = () => ({ VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: undefined });

beforeAll(async () => {
  const pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-truthful-'));
  server = await startTlsServer({
    cert: await pki.leaf({ notBefore: daysFromNow(-100), notAfter: daysFromNow(-10) }),
    chain: [pki.intermediate],
  });
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test, timezone: America/New_York }
trust: { caFiles: [racine.pem] }
scan: { timeoutMs: 1500 }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${server.port}] }
  - { id: vitrine, name: Vitrine, owner: Communication, criticality: low, hosts: [{ name: vitrine.exemple.test, address: 127.171.0.1 }], domains: [exemple.test] }
`,
  );
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('truthful lists', () => {
  it('lists an expired certificate still in service among the expiring ones, first, as « expiré »', async () => {
    const scan = await runCommand(ScanCommand, ['-i', inventory, '--only', 'tls', '--json'], env());
    expect(scan.exitCode, scan.stderr).toBe(0);
    const json = await runCommand(ReportCommand, ['-i', inventory, '--json'], env());
    const report = json.json<PostureReport>();
    expect(report.expiringCertificates[0]).toMatchObject({ port: server.port, owner: 'DSI web' });
    expect(report.expiringCertificates[0]?.daysLeft).toBeLessThan(0);
    const md = path.join(dir, 'r.md');
    await runCommand(ReportCommand, ['-i', inventory, '--format', 'md', '-o', md, '--lang', 'fr'], env());
    const section = fs.readFileSync(md, 'utf8').split('## Certificats expirant sous 30 jours')[1] ?? '';
    expect(section.split('\n## ')[0]).toMatch(new RegExp(`${server.port}.*expiré`));
  });

  it('inventory list shows the ports each asset really gets, and its domains', async () => {
    const out = await runCommand(InventoryListCommand, ['-i', inventory, '--lang', 'fr'], env());
    const portail = out.stdout.split('\n').find((l) => l.startsWith('portail'));
    const vitrine = out.stdout.split('\n').find((l) => l.startsWith('vitrine'));
    expect(portail).toContain(String(server.port));
    // The default port is not listed (the server's own random port may contain the digits 443).
    expect(portail).not.toMatch(/(^|[^0-9])443([^0-9]|$)/);
    expect(vitrine).toMatch(/443, 80 \+ \d+ ports du catalogue des services \(défaut\)/);
    expect(vitrine).toContain('exemple.test');
  });

  it('daemon status prints times in the organisation’s time zone; --json keeps UTC', async () => {
    const store = openStore(path.join(dir, 'data'));
    try {
      await store.daemon.writeHeartbeat({
        pid: 999_999,
        hostname: 'ailleurs',
        startedAt: '2026-07-01T12:00:00.000Z',
        at: '2026-07-01T12:30:00.000Z',
      });
    } finally {
      await store.close();
    }
    const out = await runCommand(DaemonStatusCommand, ['-i', inventory, '--lang', 'fr'], env());
    // 12:00 UTC is 08:00 in New York in July (EDT, UTC−4).
    expect(out.stdout).toContain('démarré le 2026-07-01 08:00:00');
    expect(out.stdout).toContain('America/New_York');
    expect(out.stdout).not.toContain('12:00:00');
    const json = await runCommand(DaemonStatusCommand, ['-i', inventory, '--json'], env());
    expect(json.json()).toMatchObject({
      startedAt: '2026-07-01T12:00:00.000Z',
      timeZone: 'America/New_York',
    });
  });

  it('gives a DNS scan.error a remediation about DNS, and keeps the general one otherwise', () => {
    const meta = metaOf(builtinCatalogue(), 'scan.error');
    const seen = { firstSeen: '2026-12-01T00:00:00Z', lastSeen: '2026-12-01T00:00:00Z' };
    const unresolved = materializeFinding(
      {
        checkId: 'scan.error',
        host: 'parti.exemple.test',
        port: 443,
        params: { reason: 'dns', detail: 'ENOTFOUND' },
      },
      meta,
      'fp',
      seen,
      'fr',
    );
    expect(unresolved.remediation).toContain('dig NOM @RÉSOLVEUR');
    expect(unresolved.remediation).not.toContain('TLS');
    const domain = {
      checkId: 'scan.error',
      host: 'exemple.test',
      port: 53,
      params: { reason: 'timeout', detail: 'CAA' },
    };
    expect(isDnsScanError(domain)).toBe(true);
    expect(materializeFinding(domain, meta, 'fp', seen, 'en').remediation).toContain('dig NAME @RESOLVER');
    const tls = materializeFinding(
      {
        checkId: 'scan.error',
        host: 'www.exemple.test',
        port: 443,
        params: { family: 'tls', reason: 'protocol', detail: 'x' },
      },
      meta,
      'fp',
      seen,
      'fr',
    );
    expect(tls.remediation).toBe(meta.remediation.fr);
  });
});
