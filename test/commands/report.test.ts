import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import ReportCommand from '../../src/commands/report/index.js';
import ReportChapterCommand from '../../src/commands/report/chapter.js';
import FindingsListCommand from '../../src/commands/findings/list.js';
import FindingsShowCommand from '../../src/commands/findings/show.js';
import FindingsWaiveCommand from '../../src/commands/findings/waive.js';
import FindingsUnwaiveCommand from '../../src/commands/findings/unwaive.js';
import type { PostureReport, ScanResult } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

let dir: string;
let server: LoopbackServer;
let inventory: string;
let fingerprint: string;
const env = () => ({ VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: undefined });

beforeAll(async () => {
  const pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-report-'));
  server = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(12) }),
    chain: [pki.intermediate],
  });
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test, language: en }
trust: { caFiles: [racine.pem] }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${server.port}] }
`,
  );
  const scan = await runCommand(ScanCommand, ['-i', inventory, '--json'], env());
  fingerprint = scan.json<ScanResult>().findings[0]!.fingerprint;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('vigie report and findings commands', () => {
  it('speaks the organisation’s language from vigie.yml unless --lang says otherwise', async () => {
    const en = await runCommand(FindingsListCommand, ['-i', inventory], env());
    expect(en.stdout).toContain('Open findings');
    const fr = await runCommand(FindingsListCommand, ['-i', inventory, '--lang', 'fr'], env());
    expect(fr.stdout).toContain('Constats ouverts');
    expect(fr.stdout).toContain('DSI web');
  });

  it('writes every format, and the certificate expiring within 30 days is listed', async () => {
    for (const format of ['text', 'md', 'html', 'json', 'csv', 'sarif', 'junit']) {
      const out = path.join(dir, `r.${format}`);
      const r = await runCommand(
        ReportCommand,
        ['-i', inventory, '--format', format, '--output', out, '--lang', 'fr'],
        env(),
      );
      expect(r.exitCode, `${format}: ${r.stderr}`).toBe(0);
      expect(fs.statSync(out).size, format).toBeGreaterThan(200);
    }
    expect(fs.readFileSync(path.join(dir, 'r.html'), 'utf8')).toContain('<html lang="fr"');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain('tls.cert.expiring');
    const json = await runCommand(ReportCommand, ['-i', inventory, '--json'], env());
    const report = json.json<PostureReport>();
    expect(report.expiringCertificates[0]).toMatchObject({ port: server.port, owner: 'DSI web' });
    expect(report.expiringCertificates[0]?.daysLeft).toBeLessThanOrEqual(12);
    // Reports are remembered: the next one knows the previous index.
    expect(report.posture.previous).toBeDefined();
  });

  it('waives, shows the timeline, and unwaives', async () => {
    const bad = await runCommand(
      FindingsWaiveCommand,
      [fingerprint, '--reason', 'x', '--until', '2099-01-01'],
      env(),
    );
    expect(bad.exitCode).toBe(2);
    const until = daysFromNow(60).toISOString().slice(0, 10);
    const ok = await runCommand(
      FindingsWaiveCommand,
      [fingerprint, '--reason', 'Renouvellement commandé', '--until', until, '--by', 'RSSI'],
      env(),
    );
    expect(ok.exitCode, ok.stderr).toBe(0);
    const shown = await runCommand(
      FindingsShowCommand,
      [fingerprint, '-i', inventory, '--lang', 'fr'],
      env(),
    );
    expect(shown.stdout).toContain('Renouvellement commandé');
    expect(shown.stdout).toMatch(/dérogation accordée/);
    const waived = await runCommand(
      FindingsListCommand,
      ['-i', inventory, '--status', 'waived', '--json'],
      env(),
    );
    expect(waived.json<{ findings: unknown[] }>().findings).toHaveLength(1);
    const un = await runCommand(FindingsUnwaiveCommand, [fingerprint, '--by', 'RSSI'], env());
    expect(un.exitCode).toBe(0);
    const unknown = await runCommand(FindingsShowCommand, ['0000000000deadbeef00'], env());
    expect(unknown.exitCode).toBe(2);
  });

  it('writes the trust chapter in French', async () => {
    const out = await runCommand(ReportChapterCommand, ['-i', inventory, '--format', 'md'], env());
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toContain('Confiance numérique — indicateurs');
    expect(out.stdout).toContain('Méthode');
    expect(out.stdout).toContain('Couverture de l’inventaire');
  });
});
