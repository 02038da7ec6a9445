import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ScanCommand from '../../src/commands/scan.js';
import FindingsListCommand from '../../src/commands/findings/list.js';
import { errorContract, jsonSchemaOf, scanResultContract } from '../contracts/scan-result.contract.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST, type TestPki } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

let pki: TestPki;
let dir: string;
let weak: LoopbackServer;
let clean: LoopbackServer;
let inventory: string;
let caFile: string;

beforeAll(async () => {
  pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-cmd-'));
  weak = await startTlsServer({
    cert: await pki.leaf({ signatureHash: 'SHA-1', notAfter: daysFromNow(10) }),
    chain: [pki.intermediate],
  });
  clean = await startTlsServer({ cert: await pki.leaf(), chain: [pki.intermediate] });
  caFile = path.join(dir, 'racine.pem');
  fs.writeFileSync(caFile, pki.root.certPem);
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Commune Test }
trust: { caFiles: [racine.pem] }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }]
    ports: [${weak.port}, ${clean.port}]
scan: { timeoutMs: 1000 }
`,
  );
});
afterAll(async () => {
  await Promise.all([weak.close(), clean.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (name: string) => ({ VIGIE_DATA_DIR: path.join(dir, name), VIGIE_LANG: undefined });

describe('vigie scan', () => {
  it('scans the inventory and prints the JSON contract', async () => {
    const out = await runCommand(ScanCommand, ['--inventory', inventory, '--json'], env('a'));
    expect(out.exitCode).toBe(0);
    const result = scanResultContract.parse(out.json());
    expect(result.run.targets).toEqual(['inventory']);
    expect(result.findings.map((f) => f.checkId).sort()).toEqual([
      'tls.cert.expiring',
      'tls.cert.weak-signature',
    ]);
    expect(result.findings.every((f) => f.port === weak.port && f.assetId === 'portail')).toBe(true);
    expect(result.endpoints.map((e) => e.status)).toEqual(['assessed', 'assessed']);
  });

  it('keeps the committed JSON schema in step with the contract', () => {
    const committed = JSON.parse(
      fs.readFileSync(new URL('../../schemas/scan-result.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed, 'schemas/ is stale: run `npm run schemas`').toEqual(jsonSchemaOf('scan-result'));
  });

  it('gates CI with --fail-on: 1 at or above the threshold, 0 below', async () => {
    const high = await runCommand(ScanCommand, ['-i', inventory, '--fail-on', 'high', '--no-save'], env('b'));
    expect(high.exitCode).toBe(1);
    expect(high.stderr).toContain('de sévérité « high » ou plus');
    const critical = await runCommand(
      ScanCommand,
      ['-i', inventory, '--fail-on', 'critical', '--no-save'],
      env('b'),
    );
    expect(critical.exitCode).toBe(0);
  });

  it('writes nothing with --no-save', async () => {
    const out = await runCommand(ScanCommand, ['-i', inventory, '--no-save', '--json'], env('c'));
    expect(out.json<{ run: { saved: boolean } }>().run.saved).toBe(false);
    expect(fs.existsSync(path.join(dir, 'c'))).toBe(false);
  });

  it('scans an ad-hoc host:port with an extra CA, in English with --lang en', async () => {
    const out = await runCommand(
      ScanCommand,
      [`127.0.0.1:${clean.port}`, '--ca', caFile, '--lang', 'en', '--no-save'],
      env('d'),
    );
    // The certificate names service.vigie.test, not 127.0.0.1: the name check speaks up.
    expect(out.stdout).toContain('Certificate does not match the server name');
    expect(out.stdout).toContain('Summary by endpoint');
    expect(out.stdout).not.toContain('Chaîne');
  });

  it('stores runs: findings list shows the open ones with first and last seen', async () => {
    await runCommand(ScanCommand, ['-i', inventory, '--json'], env('e'));
    const out = await runCommand(FindingsListCommand, ['--json'], env('e'));
    const { findings } = out.json<{ findings: { checkId: string; firstSeen: string }[] }>();
    expect(findings.map((f) => f.checkId).sort()).toEqual(['tls.cert.expiring', 'tls.cert.weak-signature']);
    const text = await runCommand(FindingsListCommand, ['--severity', 'high'], env('e'));
    expect(text.stdout).toContain('tls.cert.weak-signature');
    expect(text.stdout).not.toContain('tls.cert.expiring');
  });

  it.each([
    [['--only', 'quantum'], 2, '--only'],
    [['bad host!'], 2, "nom d'hôte invalide"],
    [['exemple.fr:99999'], 2, 'port invalide'],
    [['--inventory', '/nonexistent/vigie.yml'], 3, 'introuvable'],
    [['--ca', '/nonexistent/ca.pem', '127.0.0.1:1'], 3, 'ca.pem'],
  ])('rejects %j with exit %i and says why', async (argv, code, words) => {
    const out = await runCommand(ScanCommand, [...argv, '--no-save'], env('f'));
    expect(out.exitCode).toBe(code);
    expect(out.stderr).toContain(words);
    const json = await runCommand(ScanCommand, [...argv, '--no-save', '--json'], env('f'));
    expect(errorContract.parse(json.json()).error.exitCode).toBe(code);
  });
});

describe('vigie scan: the first screen', () => {
  const plain = { FORCE_COLOR: undefined, NO_COLOR: undefined };
  it('ends with the summary, keeps the detail for --verbose, and says nothing with --quiet', async () => {
    const out = await runCommand(ScanCommand, ['-i', inventory, '--no-save'], { ...env('s'), ...plain });
    expect(out.exitCode, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    const bilan = lines.indexOf('Bilan');
    expect(bilan, out.stdout).toBeGreaterThan(0);
    expect(lines.slice(bilan).join('\n')).toMatch(/Constats : 0 critique · 1 haute · 1 moyenne/);
    expect(lines.at(-1)).toContain('Résultats non enregistrés (--no-save).');
    // Piped (not a terminal), no colour; the remediation is in the detail only.
    expect(out.stdout).not.toContain('\u001b[');
    expect(out.stdout).not.toContain('Correction :');

    const verbose = await runCommand(ScanCommand, ['-i', inventory, '--no-save', '--verbose'], env('s'));
    expect(verbose.stdout).toContain('Correction :');
    expect(verbose.stdout.indexOf('Correction :')).toBeLessThan(verbose.stdout.indexOf('\nBilan'));

    const quiet = await runCommand(
      ScanCommand,
      ['-i', inventory, '--no-save', '--quiet', '--fail-on', 'high'],
      env('s'),
    );
    expect(quiet.stdout).toBe('');
    expect(quiet.exitCode).toBe(1);
    const both = await runCommand(ScanCommand, ['-i', inventory, '--quiet', '--verbose'], env('s'));
    expect(both.exitCode).toBe(2);
  });

  it('colours with FORCE_COLOR even when piped, and never with NO_COLOR alone', async () => {
    const forced = await runCommand(ScanCommand, ['-i', inventory, '--no-save'], {
      ...env('s'),
      ...plain,
      FORCE_COLOR: '1',
    });
    expect(forced.stdout).toContain('\u001b[31m[HAUTE]\u001b[0m');
    const none = await runCommand(ScanCommand, ['-i', inventory, '--no-save'], {
      ...env('s'),
      ...plain,
      NO_COLOR: '1',
    });
    expect(none.stdout).not.toContain('\u001b[');
  });
});

describe('vigie scan --format / --output', () => {
  it('writes the scan as Markdown to a file', async () => {
    const file = path.join(dir, 'analyse.md');
    const out = await runCommand(
      ScanCommand,
      ['-i', inventory, '--no-save', '--format', 'md', '--output', file],
      env('g'),
    );
    expect(out.exitCode, out.stderr).toBe(0);
    const md = fs.readFileSync(file, 'utf8');
    expect(md).toMatch(/^# Rapport vigie — analyse /);
    expect(md).toContain('tls.cert.weak-signature');
    expect(out.stdout).toContain(file);
  });
});
