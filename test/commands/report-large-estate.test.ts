import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupReport } from '../../src/app/report/index.js';
import OrgAddCommand from '../../src/commands/org/add.js';
import ReportCommand from '../../src/commands/report/index.js';
import type { PostureReport } from '../../src/domain/index.js';
import { fingerprintOf } from '../../src/domain/index.js';
import { LARGE_ESTATE_ENDPOINTS, SUMMARY_ROWS } from '../../src/report/index.js';
import { openStore } from '../../src/store/index.js';
import { runCommand } from '../helpers/run-command.js';
import { reportEstateInventory, seedReportEstate } from '../../bench/report-estate.js';

let dir: string;
let inventory: string;
const COUNT = LARGE_ESTATE_ENDPOINTS + 1;
const env = () => ({ VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_LANG: undefined });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-large-'));
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    'organisation: { name: Région Test, language: fr }\nassets:\n  - { id: a, name: A, owner: DSI, criticality: high, hosts: [h0.exemple.fr], ports: [443] }\n',
  );
  const store = openStore(path.join(dir, 'data'));
  const startedAt = new Date(Date.now() - 3600_000).toISOString();
  try {
    const hosts = Array.from({ length: COUNT }, (_, i) => `h${i}.exemple.fr`);
    await store.runs.save({
      id: 'grand',
      startedAt,
      finishedAt: startedAt,
      scoringVersion: '2025.1',
      targets: ['inventory'],
      endpoints: hosts.map((host) => ({
        host,
        port: 443,
        status: 'assessed',
        checks: { 'http.hsts.missing': 'fail' },
      })),
      findings: hosts.map((host) => ({
        fingerprint: fingerprintOf({ checkId: 'http.hsts.missing', host, port: 443 }),
        checkId: 'http.hsts.missing',
        severity: 'medium',
        category: 'http',
        host,
        port: 443,
        details: {},
      })),
    });
  } finally {
    await store.close();
  }
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('vigie report of a large estate', () => {
  it('summarises the HTML and writes every finding in a private CSV beside it', async () => {
    const out = path.join(dir, 'rapport.html');
    const r = await runCommand(ReportCommand, ['-i', inventory, '--format', 'html', '--output', out], env());
    expect(r.exitCode, r.stderr).toBe(0);
    const csv = path.join(dir, 'rapport.csv');
    const lines = fs.readFileSync(csv, 'utf8').trimEnd().split(/\r?\n/);
    expect(lines.length).toBe(COUNT + 1);
    expect(fs.statSync(csv).mode & 0o777).toBe(0o600);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('rapport.csv');
    const listed = new Set(html.match(/h\d+\.exemple\.fr/g) ?? []).size;
    expect(listed).toBeLessThanOrEqual(SUMMARY_ROWS * 2);
    expect(listed).toBeGreaterThan(0);
  });
});

describe('vigie report of a large estate, read by pages', () => {
  let estate = '';
  let estateInventory = '';
  const N = LARGE_ESTATE_ENDPOINTS + 60;
  const estateEnv = () => ({ VIGIE_DATA_DIR: path.join(estate, 'data'), VIGIE_LANG: undefined });
  beforeAll(async () => {
    estate = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-large-paged-'));
    estateInventory = path.join(estate, 'vigie.yml');
    fs.writeFileSync(estateInventory, reportEstateInventory(N));
    const store = openStore(path.join(estate, 'data'));
    try {
      await seedReportEstate(store, N, Date.now());
    } finally {
      await store.close();
    }
  });
  afterAll(() => {
    fs.rmSync(estate, { recursive: true, force: true });
  });

  it('writes --format csv by pages, the same bytes with --json', async () => {
    for (const lang of ['fr', 'en']) {
      const paged = path.join(estate, `paged-${lang}.csv`);
      const whole = path.join(estate, `whole-${lang}.csv`);
      const base = ['-i', estateInventory, '--format', 'csv', '--since', '2020-01-01', '--lang', lang];
      expect((await runCommand(ReportCommand, [...base, '--output', paged], estateEnv())).exitCode).toBe(0);
      // --json prints the report as data too, and writes the same file.
      expect(
        (await runCommand(ReportCommand, [...base, '--output', whole, '--json'], estateEnv())).exitCode,
      ).toBe(0);
      const text = fs.readFileSync(paged, 'utf8');
      expect(text.split('\r\n').length).toBeGreaterThan(N * 2);
      expect(text).toBe(fs.readFileSync(whole, 'utf8'));
    }
  });

  it('writes --format sarif and junit from the store’s cursors, the same file with --json', async () => {
    // The moment of each report is its own: the rest is the same.
    const moment = (text: string) =>
      text
        .replace(/"generatedAt": "[^"]+"/, '"generatedAt": "…"')
        .replace(/(<testsuites [^>]*timestamp=")[^"]+"/, '$1…"');
    for (const format of ['sarif', 'junit'])
      for (const lang of ['fr', 'en']) {
        const paged = path.join(estate, `paged-${lang}.${format}`);
        const whole = path.join(estate, `whole-${lang}.${format}`);
        const base = ['-i', estateInventory, '--format', format, '--since', '2020-01-01', '--lang', lang];
        const r = await runCommand(ReportCommand, [...base, '--output', paged], estateEnv());
        expect(r.exitCode, r.stderr).toBe(0);
        const w = await runCommand(ReportCommand, [...base, '--output', whole, '--json'], estateEnv());
        expect(w.exitCode, w.stderr).toBe(0);
        const text = fs.readFileSync(paged, 'utf8');
        expect(text.length).toBeGreaterThan(N * 1000);
        expect(moment(text)).toBe(moment(fs.readFileSync(whole, 'utf8')));
        expect(fs.statSync(paged).mode & 0o777).toBe(0o600);
        if (format === 'sarif') expect(JSON.parse(text)).toMatchObject({ version: '2.1.0' });
      }
  });

  it('writes --format xlsx by exceljs’s streaming writer, the same cells with --json', async () => {
    const cells = async (file: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      return wb.worksheets.map((ws) => {
        const rows: unknown[][] = [];
        ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
        return { name: ws.name, autoFilter: ws.autoFilter, rows };
      });
    };
    const paged = path.join(estate, 'paged.xlsx');
    const whole = path.join(estate, 'whole.xlsx');
    const base = ['-i', estateInventory, '--format', 'xlsx', '--since', '2020-01-01', '--lang', 'en'];
    const r = await runCommand(ReportCommand, [...base, '--output', paged], estateEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const w = await runCommand(ReportCommand, [...base, '--output', whole, '--json'], estateEnv());
    expect(w.exitCode, w.stderr).toBe(0);
    expect(fs.statSync(paged).mode & 0o777).toBe(0o600);
    const got = await cells(paged);
    expect(got[0]?.rows.length).toBeGreaterThan(N * 2);
    expect(got).toEqual(await cells(whole));
  }, 180_000);

  it('prints --json from the store’s cursors: the members and values of --format json', async () => {
    const out = path.join(estate, 'json-flag.json');
    const base = ['-i', estateInventory, '--since', '2020-01-01'];
    const r = await runCommand(ReportCommand, [...base, '--json'], estateEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const f = await runCommand(ReportCommand, [...base, '--format', 'json', '--output', out], estateEnv());
    expect(f.exitCode, f.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as PostureReport;
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as PostureReport;
    expect(printed.findings.length).toBe(Object.values(printed.counts).reduce((n, c) => n + c, 0));
    expect(printed.findings.length).toBeGreaterThan(N * 2);
    expect(printed.endpoints.length).toBe(printed.posture.current?.endpoints);
    // Each report is recorded: the next one's moment and previous report are its own.
    const apart = ({ generatedAt: _at, posture, ...rest }: PostureReport) => ({
      ...rest,
      current: posture.current,
      trend: posture.trend,
    });
    expect(apart(printed)).toEqual(apart(written));
    // Printed once, and nothing else on standard output.
    expect(r.stdout.trim().endsWith('}')).toBe(true);
    expect(r.stdout.indexOf('"generatedAt"')).toBe(r.stdout.lastIndexOf('"generatedAt"'));
  });

  it('prints --format csv and sarif to standard output as it writes them to a file', async () => {
    for (const format of ['csv', 'sarif']) {
      const out = path.join(estate, `stdout-twin.${format}`);
      const base = ['-i', estateInventory, '--format', format, '--since', '2020-01-01'];
      const printed = await runCommand(ReportCommand, base, estateEnv());
      expect(printed.exitCode, printed.stderr).toBe(0);
      const written = await runCommand(ReportCommand, [...base, '--output', out], estateEnv());
      expect(written.exitCode, written.stderr).toBe(0);
      expect(printed.stdout.length).toBeGreaterThan(N * 100);
      // Both from the store's cursors; only the report's moment (SARIF's run times) may differ.
      const moment = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
      expect(printed.stdout.replace(moment, 'T')).toBe(fs.readFileSync(out, 'utf8').replace(moment, 'T'));
    }
  }, 180_000);

  it('writes --format json from the store’s cursors: the whole report, every finding and endpoint', async () => {
    const out = path.join(estate, 'rapport.json');
    const r = await runCommand(
      ReportCommand,
      ['-i', estateInventory, '--format', 'json', '--since', '2020-01-01', '--output', out],
      estateEnv(),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    const json = JSON.parse(text) as PostureReport;
    const csvFile = path.join(estate, 'json-rows.csv');
    const made = await runCommand(
      ReportCommand,
      ['-i', estateInventory, '-f', 'csv', '-o', csvFile],
      estateEnv(),
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const rows = fs.readFileSync(csvFile, 'utf8').split('\r\n').length - 2;
    expect(json.findings.length).toBe(rows);
    expect(json.findings.length).toBe(Object.values(json.counts).reduce((n, c) => n + c, 0));
    expect(json.endpoints.length).toBe(json.posture.current?.endpoints);
    // Since 2020: every finding is new, the resolved ones too.
    expect(json.changes.new.length).toBe(json.findings.length + json.changes.resolved.length);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it('summarises the TLS detail and the certificates of the HTML, Markdown and text reports', async () => {
    const out = path.join(estate, 'rapport.html');
    const r = await runCommand(
      ReportCommand,
      ['-i', estateInventory, '--format', 'html', '--output', out],
      estateEnv(),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/Grand parc : \d+ points d’accès TLS, comptés par note et par profil/);
    expect(html).toContain('Points d’accès par note TLS');
    expect(html).toContain('<code>anssi-1.2</code>');
    expect((html.match(/<details>/g) ?? []).length).toBe(SUMMARY_ROWS);
    expect(html).toMatch(/Grand parc : \d+ certificats expirés ou proches de l’expiration ; seuls les 100/);
    expect(html).toContain('rapport.csv');
    const csv = fs.readFileSync(path.join(estate, 'rapport.csv'), 'utf8');
    expect(csv.split('\r\n').length).toBeGreaterThan(N * 2);
    for (const format of ['md', 'text']) {
      const file = path.join(estate, `rapport-${format}.txt`);
      const made = await runCommand(
        ReportCommand,
        ['-i', estateInventory, '--format', format, '--output', file],
        estateEnv(),
      );
      expect(made.exitCode, made.stderr).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/\d+ certificats expirés ou proches de l’expiration/);
    }
  });
});

describe('vigie report --group with a large member', () => {
  it('gives the member’s index and counts as its own whole report does', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-large-group-'));
    try {
      const inv = path.join(base, 'grand.yml');
      const n = LARGE_ESTATE_ENDPOINTS + 20;
      fs.writeFileSync(inv, reportEstateInventory(n));
      const env = { VIGIE_DATA_DIR: path.join(base, 'data'), VIGIE_LANG: undefined, VIGIE_ORG: undefined };
      const added = await runCommand(OrgAddCommand, ['grand', '-i', inv, '--group', 'region'], env);
      expect(added.exitCode, added.stderr).toBe(0);
      const store = openStore(path.join(base, 'data', 'orgs', 'grand'));
      try {
        await seedReportEstate(store, n, Date.now());
      } finally {
        await store.close();
      }
      const own = (await runCommand(ReportCommand, ['--org', 'grand', '--json'], env)).json<PostureReport>();
      const r = await runCommand(ReportCommand, ['--group', 'region', '--json'], env);
      expect(r.exitCode, r.stderr).toBe(0);
      const [member] = r.json<GroupReport>().organisations;
      expect(member?.counts).toEqual(own.counts);
      expect(member?.index).toBe(own.posture.current?.index);
      expect(member?.endpoints).toBe(own.posture.current?.endpoints);
      expect(member?.open).toBeGreaterThan(n * 2);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
