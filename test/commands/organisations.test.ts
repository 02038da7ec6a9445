import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupReport } from '../../src/app/report/index.js';
import { organisationStoreUrl } from '../../src/app/organisations/index.js';
import FindingsListCommand from '../../src/commands/findings/list.js';
import OrgAddCommand from '../../src/commands/org/add.js';
import OrgListCommand from '../../src/commands/org/list.js';
import OrgRemoveCommand from '../../src/commands/org/remove.js';
import ReportCommand from '../../src/commands/report/index.js';
import ScanCommand from '../../src/commands/scan.js';
import type { PostureReport, ScanResult } from '../../src/domain/index.js';
import { runCommand } from '../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST } from '../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../helpers/tls-server.js';

let dir: string;
let servers: LoopbackServer[] = [];
const inv = (id: string) => path.join(dir, `${id}.yml`);
const data = () => path.join(dir, 'data');
const env = (extra: Record<string, string | undefined> = {}) => ({
  VIGIE_DATA_DIR: data(),
  VIGIE_LANG: undefined,
  VIGIE_ORG: undefined,
  VIGIE_DATABASE_URL: undefined,
  ...extra,
});

beforeAll(async () => {
  const pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-orgs-'));
  // Commune A: a certificate expiring in 12 days (its chain trusted). Commune B: a chain nobody trusts.
  const a = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(12) }),
    chain: [pki.intermediate],
  });
  const b = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(300) }),
    chain: [pki.intermediate],
  });
  servers = [a, b];
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  const asset = (port: number) =>
    `assets:\n  - { id: portail, name: Portail, owner: DSI, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${port}] }\n`;
  fs.writeFileSync(
    inv('commune-a'),
    `organisation: { name: Commune A }\ntrust: { caFiles: [racine.pem] }\n${asset(a.port)}`,
  );
  fs.writeFileSync(inv('commune-b'), `organisation: { name: Commune B }\n${asset(b.port)}`);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the registry of organisations', () => {
  it('adds, lists and removes; the file is 0600 and nothing is deleted', async () => {
    for (const id of ['commune-a', 'commune-b']) {
      const r = await runCommand(
        OrgAddCommand,
        [id, '--inventory', inv(id), '--group', 'metropole', '--lang', 'fr'],
        env(),
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Organisation ${id} enregistrée`);
    }
    const file = path.join(data(), 'organisations.yml');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(data()).mode & 0o777).toBe(0o700);
    const extra = await runCommand(
      OrgAddCommand,
      ['extra', '-i', inv('commune-a'), '--name', 'Extra'],
      env(),
    );
    expect(extra.exitCode, extra.stderr).toBe(0);
    const listed = await runCommand(OrgListCommand, ['--json'], env());
    const { organisations } = listed.json<{
      organisations: { id: string; groups: string[]; dataDir: string }[];
    }>();
    expect(organisations.map((o) => o.id)).toEqual(['commune-a', 'commune-b', 'extra']);
    expect(organisations[0]).toMatchObject({
      groups: ['metropole'],
      dataDir: path.join(data(), 'orgs', 'commune-a'),
    });
    const text = await runCommand(OrgListCommand, ['--lang', 'en'], env());
    expect(text.stdout).toMatch(/extra\s+Extra/);
    fs.mkdirSync(path.join(data(), 'orgs', 'extra'), { recursive: true });
    const removed = await runCommand(OrgRemoveCommand, ['extra'], env());
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(fs.existsSync(path.join(data(), 'orgs', 'extra'))).toBe(true);
    const after = await runCommand(OrgListCommand, ['--json'], env());
    expect(after.json<{ organisations: { id: string }[] }>().organisations.map((o) => o.id)).toEqual([
      'commune-a',
      'commune-b',
    ]);
  });

  it('refuses a bad identifier (exit 2) and a missing inventory (exit 3)', async () => {
    for (const id of ['Commune', 'a_b', 'x'.repeat(41), 'é']) {
      const r = await runCommand(OrgAddCommand, [id, '-i', inv('commune-a'), '--json'], env());
      expect([id, r.exitCode]).toEqual([id, 2]);
    }
    const group = await runCommand(
      OrgAddCommand,
      ['ok', '-i', inv('commune-a'), '--group', 'Bad Group'],
      env(),
    );
    expect(group.exitCode).toBe(2);
    const missing = await runCommand(OrgAddCommand, ['ok', '-i', path.join(dir, 'absent.yml')], env());
    expect(missing.exitCode).toBe(3);
  });

  it('reports an invalid registry file with its line (exit 3)', async () => {
    const bad = path.join(dir, 'bad-data');
    fs.mkdirSync(bad);
    fs.writeFileSync(
      path.join(bad, 'organisations.yml'),
      'version: 1\norganisations:\n  - id: commune-a\n    inventory: a.yml\n  - id: Commune_B\n    inventory: b.yml\n',
    );
    const r = await runCommand(OrgListCommand, ['--json'], { ...env(), VIGIE_DATA_DIR: bad });
    expect(r.exitCode).toBe(3);
    const error = r.json<{ error: { message: string; issues?: { line?: number; path: string }[] } }>().error;
    expect(error.message).toContain('organisations.yml');
    expect(error.issues?.[0]).toMatchObject({ line: 5, path: 'organisations[1].id' });
    fs.writeFileSync(
      path.join(bad, 'organisations.yml'),
      'version: 1\norganisations:\n  - { id: a, inventory: a.yml }\n  - { id: a, inventory: b.yml }\n',
    );
    const dup = await runCommand(FindingsListCommand, ['--org', 'a'], { ...env(), VIGIE_DATA_DIR: bad });
    expect(dup.exitCode).toBe(3);
    expect(dup.stderr).toMatch(/ligne 4/);
  });
});

describe('--org', () => {
  const fingerprints: Record<string, string[]> = {};

  it('scans each organisation with its own inventory into its own data directory', async () => {
    for (const id of ['commune-a', 'commune-b']) {
      const r = await runCommand(ScanCommand, ['--org', id, '--json'], env());
      expect([1, 0]).toContain(r.exitCode);
      const result = r.json<ScanResult>();
      fingerprints[id] = result.findings.map((f) => f.fingerprint);
      expect(fs.existsSync(path.join(data(), 'orgs', id, 'vigie.db'))).toBe(true);
    }
    expect(fs.existsSync(path.join(data(), 'vigie.db'))).toBe(false);
    expect(fingerprints['commune-a']?.length).toBeGreaterThan(0);
    expect(fingerprints['commune-b']?.length).toBeGreaterThan(0);
    // VIGIE_ORG says the same as --org; each sees its findings only.
    const listed = await runCommand(FindingsListCommand, ['--json'], env({ VIGIE_ORG: 'commune-b' }));
    expect(listed.exitCode, listed.stderr).toBe(0);
    const seen = listed.json<{ findings: { fingerprint: string }[] }>().findings.map((f) => f.fingerprint);
    expect(seen.sort()).toEqual([...(fingerprints['commune-b'] ?? [])].sort());
    for (const f of fingerprints['commune-a'] ?? []) expect(seen).not.toContain(f);
  });

  it('takes -i over the organisation’s inventory when it is given', async () => {
    const r = await runCommand(
      ReportCommand,
      ['--org', 'commune-a', '-i', inv('commune-b'), '--json'],
      env(),
    );
    expect(r.json<PostureReport>().organisation).toBe('Commune B');
    const own = await runCommand(ReportCommand, ['--org', 'commune-a', '--json'], env());
    expect(own.json<PostureReport>().organisation).toBe('Commune A');
  });

  it('refuses an unknown organisation with the closest one (exit 2)', async () => {
    const r = await runCommand(FindingsListCommand, ['--org', 'commune-c', '--lang', 'en'], env());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('did you mean "commune-a"');
    const none = await runCommand(FindingsListCommand, ['--org', 'x'], {
      ...env(),
      VIGIE_DATA_DIR: path.join(dir, 'empty'),
    });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('vigie org add');
  });

  it('gives each organisation its PostgreSQL schema unless the URL names one', () => {
    expect(organisationStoreUrl('postgres://vigie@db/vigie', 'commune-a')).toBe(
      'postgres://vigie@db/vigie?schema=org_commune_a',
    );
    expect(organisationStoreUrl('postgres://vigie@db/vigie?schema=x', 'commune-a')).toBe(
      'postgres://vigie@db/vigie?schema=x',
    );
  });
});

describe('vigie report --group', () => {
  it('puts each member’s posture side by side with the group’s total', async () => {
    const own: Record<string, PostureReport> = {};
    for (const id of ['commune-a', 'commune-b'])
      own[id] = (await runCommand(ReportCommand, ['--org', id, '--json'], env())).json<PostureReport>();
    const r = await runCommand(ReportCommand, ['--group', 'metropole', '--json'], env());
    expect(r.exitCode, r.stderr).toBe(0);
    const group = r.json<GroupReport>();
    expect(group.group).toBe('metropole');
    expect(group.organisations.map((o) => [o.id, o.name])).toEqual([
      ['commune-a', 'Commune A'],
      ['commune-b', 'Commune B'],
    ]);
    for (const row of group.organisations) {
      const report = own[row.id]!;
      expect(row.counts).toEqual(report.counts);
      expect(row.index).toBe(report.posture.current?.index);
      expect(row.lastRun).toBe(report.latestRun?.finishedAt);
    }
    // The two communes differ, and the total adds them up.
    expect(group.organisations[0]?.counts).not.toEqual(group.organisations[1]?.counts);
    for (const s of ['info', 'low', 'medium', 'high', 'critical'] as const)
      expect(group.total.counts[s]).toBe(own['commune-a']!.counts[s] + own['commune-b']!.counts[s]);
    expect(group.total.open).toBe(group.organisations.reduce((n, o) => n + o.open, 0));

    const text = await runCommand(ReportCommand, ['--group', 'metropole', '--lang', 'fr'], env());
    expect(text.stdout).toContain('Posture du groupe metropole');
    expect(text.stdout).toMatch(/Commune A \(commune-a\)/);
    expect(text.stdout).toMatch(/Commune B \(commune-b\)/);
    expect(text.stdout).toContain('Total (2 organisations)');
    for (const format of ['md', 'html']) {
      const out = path.join(dir, `groupe.${format}`);
      const w = await runCommand(ReportCommand, ['--group', 'metropole', '-f', format, '-o', out], env());
      expect(w.exitCode, w.stderr).toBe(0);
      const content = fs.readFileSync(out, 'utf8');
      expect(content).toContain('Commune B');
      expect(content).toContain('commune-a');
    }
    const bad = await runCommand(ReportCommand, ['--group', 'metropole', '-f', 'csv'], env());
    expect(bad.exitCode).toBe(2);
    const unknown = await runCommand(ReportCommand, ['--group', 'metropol', '--lang', 'en'], env());
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('did you mean "metropole"');
  });
});
