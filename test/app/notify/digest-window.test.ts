import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWeeklyDigest, type DigestOutcome } from '../../../src/app/notify/index.js';
import type { AppContext, MailerFactory } from '../../../src/app/shared/index.js';
import NotifyDigestCommand from '../../../src/commands/notify/digest.js';
import ReportCommand from '../../../src/commands/report/index.js';
import ScanCommand from '../../../src/commands/scan.js';
import { fixedClock } from '../../../src/domain/index.js';
import type { MailMessage } from '../../../src/mail/index.js';
import { runCommand } from '../../helpers/run-command.js';
import { createTestPki, daysFromNow, TEST_HOST } from '../../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../../helpers/tls-server.js';

const DAY_MS = 86_400_000;
let dir = '';
let tls: LoopbackServer;
let inventory = '';
let bare = '';
const sent: MailMessage[] = [];

/** Records the mails instead of talking SMTP (the SMTP path has its own tests). */
const mailer: MailerFactory = () => ({
  send: (m) => {
    sent.push(m);
    return Promise.resolve({ messageId: `<${sent.length}@vigie.test>` });
  },
  verify: () => Promise.resolve(),
  close: () => undefined,
});

const dataDir = () => path.join(dir, 'data');
const ctxAt = (at: number): AppContext => ({
  clock: fixedClock(new Date(at)),
  lang: 'fr',
  dataDir: dataDir(),
  mailer,
});
const newCount = (d: DigestOutcome) => Number(/Nouveaux constats \((\d+)\)/.exec(d.text ?? '')?.[1]);

beforeAll(async () => {
  const pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-digest-window-'));
  tls = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(12) }),
    chain: [pki.intermediate],
  });
  const assets = `organisation: { name: Commune Test, language: fr }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${tls.port}] }
`;
  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `${assets}mail:
  host: 127.0.0.1
  port: 2525
  secure: false
  from: "vigie <vigie@exemple.fr>"
  recipients: { managers: [dgs@exemple.fr], security: [rssi@exemple.fr] }
`,
  );
  bare = path.join(dir, 'sans-mail.yml');
  fs.writeFileSync(bare, assets);
  const scan = await runCommand(ScanCommand, ['-i', inventory, '--json'], { VIGIE_DATA_DIR: dataDir() });
  expect(scan.exitCode, scan.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await tls.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the digest’s week', () => {
  it('a `vigie report` run meanwhile does not empty it, and the first digest is a first measure', async () => {
    const report = await runCommand(
      ReportCommand,
      ['-i', inventory, '--format', 'json', '--output', path.join(dir, 'r.json')],
      { VIGIE_DATA_DIR: dataDir() },
    );
    expect(report.exitCode, report.stderr).toBe(0);
    const d = await sendWeeklyDigest(ctxAt(Date.now() + 60_000), { inventoryFile: inventory, dryRun: true });
    expect(d.subject).toMatch(/\(première mesure\)$/);
    expect(d.text).toContain('Écart depuis la mesure précédente : première mesure');
    expect(d.text).toContain('Sur les 7 derniers jours');
    expect(newCount(d)).toBeGreaterThan(0); // the scan's findings, although a report came after them
    expect(d.text).toMatch(
      /Constats ouverts par sévérité\ncritique : 0 · haute : 1 · moyenne : 1 · faible : 0 · info : 0/,
    );
  });

  it('after a digest is sent, the next week starts where it left off', async () => {
    const t1 = Date.now() + 120_000;
    const first = await sendWeeklyDigest(ctxAt(t1), { inventoryFile: inventory });
    expect(first.sent).toBe(true);
    expect(sent).toHaveLength(1);
    const next = await sendWeeklyDigest(ctxAt(t1 + 7 * DAY_MS), { inventoryFile: inventory, dryRun: true });
    const day = new Date(t1).toISOString().slice(0, 10).split('-').reverse().join('/');
    expect(next.text).toContain(`Depuis la synthèse précédente, envoyée le ${day}.`);
    expect(newCount(next)).toBe(0); // nothing new since the previous digest
    expect(next.subject).not.toContain('première mesure');
    expect(next.subject).toMatch(/\(0\)$/); // same index as the run the previous digest showed
    expect(sent).toHaveLength(1); // a dry run sends nothing
  });
});

describe('notify digest --dry-run --output', () => {
  it('needs no mail: section and writes the HTML with its chart, 0600', async () => {
    const file = path.join(dir, 'out', 'synthese.html');
    const r = await runCommand(NotifyDigestCommand, ['-i', bare, '--dry-run', '--output', file, '--json'], {
      VIGIE_DATA_DIR: dataDir(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json<DigestOutcome>()).toMatchObject({ sent: false, output: file, recipients: [] });
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('Constats ouverts par sévérité');
    expect(html).toContain('src="data:image/png;base64,');
    expect(html).not.toContain('cid:');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('without a mail: section, a real send still says what is missing (exit 3)', async () => {
    const r = await runCommand(NotifyDigestCommand, ['-i', bare], { VIGIE_DATA_DIR: dataDir() });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('mail');
  });
});

describe('spreadsheets for managers', () => {
  it('`report --format xlsx --output` writes a workbook Excel opens; without --output: usage error', async () => {
    const file = path.join(dir, 'constats.xlsx');
    const r = await runCommand(
      ReportCommand,
      ['-i', inventory, '--format', 'xlsx', '--output', file, '--lang', 'fr'],
      { VIGIE_DATA_DIR: dataDir() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const findings = wb.getWorksheet('Constats');
    expect(findings?.getRow(1).getCell(3).value).toBe('Sévérité');
    const checks = findings?.getColumn(4).values ?? [];
    expect(checks).toContain('tls.cert.expiring');
    const noOutput = await runCommand(ReportCommand, ['-i', inventory, '--format', 'xlsx'], {
      VIGIE_DATA_DIR: dataDir(),
    });
    expect(noOutput.exitCode).toBe(2);
    expect(noOutput.stderr).toContain('--output');
  });

  it('the digest carries the workbook and the French CSV', () => {
    const message = sent[0];
    expect(message).toBeDefined();
    const names = (message?.attachments ?? []).map((a) => a.filename);
    expect(names.some((n) => /^vigie-constats-\d{4}-W\d{2}\.xlsx$/.test(n))).toBe(true);
    const csv = message?.attachments?.find((a) => a.filename.endsWith('.csv'));
    expect(String(csv?.content).startsWith('\uFEFFEmpreinte;Statut;Sévérité;')).toBe(true);
  });
});
