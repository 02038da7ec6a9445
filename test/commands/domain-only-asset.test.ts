import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import InventoryListCommand from '../../src/commands/inventory/list.js';
import InventoryValidateCommand from '../../src/commands/inventory/validate.js';
import ReportCommand from '../../src/commands/report/index.js';
import ScanCommand from '../../src/commands/scan.js';
import { startDnsServer, type RunningDnsServer } from '../../src/demo/index.js';
import type { ScanResult } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';

/*
 * An asset that is only a mail domain (`domains:`, no `hosts:`), through the commands a user runs:
 * validate, list, scan --only dns against a DNS server started here on loopback, report.
 */

const DOMAIN = 'mairie.vigie.test';
let dns: RunningDnsServer;
let dir: string;
let inventory: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-domain-only-'));
  dns = await startDnsServer({
    host: '127.0.0.61',
    records: [
      { name: DOMAIN, type: 'SOA', data: { mname: `ns1.${DOMAIN}`, rname: `hostmaster.${DOMAIN}` } },
      { name: DOMAIN, type: 'NS', data: `ns1.${DOMAIN}` },
      // The one flaw: any server may send mail as this domain.
      { name: DOMAIN, type: 'TXT', data: 'v=spf1 ip4:192.0.2.0/24 +all' },
      { name: `_dmarc.${DOMAIN}`, type: 'TXT', data: `v=DMARC1; p=reject; rua=mailto:dmarc@${DOMAIN}` },
      { name: DOMAIN, type: 'CAA', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
      { name: DOMAIN, type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: randomBytes(64) } },
      { name: DOMAIN, type: 'RRSIG', data: { typeCovered: 'DNSKEY', algorithm: 13, signersName: DOMAIN } },
      { name: DOMAIN, type: 'RRSIG', data: { typeCovered: 'SOA', algorithm: 13, signersName: DOMAIN } },
    ],
    validated: [DOMAIN],
  });
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune de Vigie }
dns: { resolver: "${dns.address}", validating: true }
assets:
  - id: messagerie
    name: Messagerie de la mairie
    owner: Secrétariat général
    criticality: high
    domains: [${DOMAIN}]
`,
  );
  env = { VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: undefined };
});

afterAll(async () => {
  await dns?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('an asset with domains and no hosts', () => {
  it('validates, and is listed with its domain', async () => {
    const valid = await runCommand(InventoryValidateCommand, ['-i', inventory], env);
    expect(valid.stderr).toBe('');
    expect(valid.exitCode).toBe(0);
    expect(valid.stdout).toContain('1 actif(s), 0 point(s) d’accès, 1 domaine(s)');

    const list = await runCommand(InventoryListCommand, ['-i', inventory, '--json'], env);
    expect(list.exitCode).toBe(0);
    const view = list.json<{
      assets: { id: string; hosts: unknown[] }[];
      endpoints: unknown[];
      domains: { domain: string; assetId: string }[];
    }>();
    expect(view.assets.map((a) => [a.id, a.hosts])).toEqual([['messagerie', []]]);
    expect(view.endpoints).toEqual([]);
    expect(view.domains).toEqual([{ domain: DOMAIN, assetId: 'messagerie', dkimSelectors: [] }]);
    const table = await runCommand(InventoryListCommand, ['-i', inventory], env);
    expect(table.stdout).toMatch(new RegExp(`messagerie .*${DOMAIN.replaceAll('.', '\\.')}`));
  });

  it('has its domain scanned with --only dns, and reported', async () => {
    const scan = await runCommand(ScanCommand, ['--only', 'dns', '--json', '-i', inventory], env);
    expect(scan.stderr).toBe('');
    expect(scan.exitCode).toBe(0);
    const result = scan.json<ScanResult>();
    expect(result.endpoints.map((e) => [e.host, e.port, e.assetId, e.status])).toEqual([
      [DOMAIN, 53, 'messagerie', 'assessed'],
    ]);
    expect(result.findings.map((f) => [f.checkId, f.host])).toEqual([['mail.spf.permissive', DOMAIN]]);
    expect(dns.queries.some((q) => q.name === DOMAIN && q.type === 'TXT')).toBe(true);

    const report = await runCommand(ReportCommand, ['--format', 'md', '-i', inventory], env);
    expect(report.stderr).toBe('');
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toContain(DOMAIN);
    expect(report.stdout).toContain('Secrétariat général');
  });
});
