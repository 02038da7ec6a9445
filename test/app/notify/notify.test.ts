import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  retryPendingMail,
  sendCertificateAlerts,
  sendFindingAlerts,
  sendTestMail,
  sendWeeklyDigest,
} from '../../../src/app/notify/index.js';
import { type AppContext } from '../../../src/app/shared/index.js';
import ScanCommand from '../../../src/commands/scan.js';
import NotifyDigestCommand from '../../../src/commands/notify/digest.js';
import NotifyTestCommand from '../../../src/commands/notify/test.js';
import {
  fixedClock,
  InvalidFileError,
  OperationalError,
  SmtpTlsRequiredError,
  type ScanResult,
} from '../../../src/domain/index.js';
import { renderSvgToPng } from '../../../src/report/png/index.js';
import { openStore } from '../../../src/store/index.js';
import { runCommand } from '../../helpers/run-command.js';
import { pemChain } from '../../../src/demo/index.js';
import { createTestPki, daysFromNow, TEST_HOST, type TestPki } from '../../helpers/test-pki.js';
import { startTlsServer, type LoopbackServer } from '../../helpers/tls-server.js';

const DAY_MS = 86_400_000;
const PASSWORD = 'Tr3s-S3cret-pa55';

interface Smtp {
  port: number;
  received: ParsedMail[];
  envelopes: string[][];
  /** Every AUTH the server received (user names), with whether the session was encrypted then. */
  auths: { user: string; secure: boolean }[];
  close(): Promise<void>;
}

let pki: TestPki;

/**
 * A real SMTP server on the loopback. By default it offers STARTTLS with a certificate for
 * 127.0.0.1 issued by the test PKI (trusted through `trust.caFiles`); `plain` offers no STARTTLS
 * and would take AUTH in clear (`allowInsecureAuth`), so that a client that sent it would be seen.
 */
async function startSmtp(
  mode: 'ok' | 'refuse' | 'drop' | 'auth-reject' = 'ok',
  transport: 'starttls' | 'plain' = 'starttls',
): Promise<Smtp> {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const auths: Smtp['auths'] = [];
  const leaf = transport === 'starttls' ? await pki.leaf({ commonName: '127.0.0.1' }) : undefined;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    ...(leaf
      ? { key: leaf.keyPem, cert: pemChain(leaf, pki.intermediate) }
      : { disabledCommands: ['STARTTLS'] }),
    logger: false,
    onAuth(auth, session, cb) {
      auths.push({ user: auth.username ?? '', secure: session.secure });
      if (mode === 'auth-reject') cb(new Error(`mot de passe refusé : ${auth.password ?? ''}`));
      else cb(null, { user: auth.username });
    },
    onRcptTo(_addr, _session, cb) {
      if (mode === 'refuse') {
        const err = new Error('Try again later') as Error & { responseCode: number };
        err.responseCode = 451;
        cb(err);
        return;
      }
      if (mode === 'drop') {
        server.connections.forEach((c: { close?: () => void }) => c.close?.());
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      envelopes.push(session.envelope.rcptTo.map((r) => r.address));
      simpleParser(stream)
        .then((m) => {
          received.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    envelopes,
    auths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let dir: string;
let tls: LoopbackServer;
let smtp: Smtp;
let scan: ScanResult;
const now = Date.now();

function writeConfig(name: string, smtpPort: number | undefined, extra = ''): string {
  const file = path.join(dir, name);
  const mail =
    smtpPort === undefined
      ? ''
      : `mail:
  host: 127.0.0.1
  port: ${smtpPort}
  secure: false
  from: "vigie <vigie@exemple.fr>"
  recipients: { managers: [dgs@exemple.fr, dsi@exemple.fr], security: [rssi@exemple.fr] }
${extra}`;
  fs.writeFileSync(
    file,
    `organisation: { name: Commune Test, language: fr }
trust: { caFiles: [racine.pem] }
assets:
  - { id: portail, name: Portail, owner: DSI web, criticality: high, hosts: [{ name: ${TEST_HOST}, address: 127.0.0.1 }], ports: [${tls.port}] }
${mail}`,
  );
  return file;
}

const ctxAt = (at: number): AppContext => ({
  clock: fixedClock(new Date(at)),
  lang: 'fr',
  dataDir: path.join(dir, 'data'),
});

beforeAll(async () => {
  pki = await createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-notify-'));
  tls = await startTlsServer({
    cert: await pki.leaf({ notAfter: daysFromNow(12, now) }),
    chain: [pki.intermediate],
  });
  fs.writeFileSync(path.join(dir, 'racine.pem'), pki.root.certPem);
  smtp = await startSmtp();
  const inventory = writeConfig('vigie.yml', smtp.port);
  const r = await runCommand(ScanCommand, ['-i', inventory, '--json'], {
    VIGIE_DATA_DIR: path.join(dir, 'data'),
  });
  scan = r.json<ScanResult>();
}, 60_000);

afterAll(async () => {
  await tls.close();
  await smtp.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('weekly digest', () => {
  it('dry-run builds the text without sending or recording', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const r = await sendWeeklyDigest(ctxAt(now), { inventoryFile: inventory, dryRun: true });
    expect(r.sent).toBe(false);
    expect(r.text).toContain('Certificats expirés ou expirant sous 30 jours');
    expect(r.subject).toMatch(/^\[vigie\] Semaine \d{2} — posture \d+\/100 \((première mesure|[+-]?\d+)\)$/);
    expect(smtp.received).toHaveLength(0);
    const store = openStore(path.join(dir, 'data'));
    try {
      expect(await store.outbox.list()).toHaveLength(0);
    } finally {
      await store.close();
    }
  });

  it('sends the digest once per week: subject, recipients, HTML + text, inline chart, attachments', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const first = await sendWeeklyDigest(ctxAt(now), { inventoryFile: inventory });
    expect(first).toMatchObject({
      sent: true,
      alreadySent: false,
      recipients: ['dgs@exemple.fr', 'dsi@exemple.fr'],
    });
    expect(first.key).toMatch(/^digest:\d{4}-W\d{2}$/);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe(first.subject);
    expect(mail.subject).toMatch(/^\[vigie\] Semaine \d{2} — posture \d+\/100/);
    expect(smtp.envelopes[0]).toEqual(['dgs@exemple.fr', 'dsi@exemple.fr']);
    expect(mail.from?.text).toContain('vigie@exemple.fr');
    expect(mail.text).toContain('Risques principaux');
    expect(mail.text).toContain(`${TEST_HOST}:${tls.port}`);
    const html = String(mail.html);
    expect(html).toContain('Certificats expirés ou expirant sous 30 jours');
    expect(html).toContain('max-width:600px');
    expect(html).not.toMatch(/<script|https?:\/\/[^"]*\.(png|css|js)/);
    const png = mail.attachments.find((a) => a.contentType === 'image/png');
    expect(png?.cid).toBe('posture-trend');
    // simpleParser rewrites cid: references to data URIs; the inline image is referenced from the body.
    expect(html).toMatch(/cid:posture-trend|data:image\/png;base64/);
    // The chart is drawn at twice the size the body shows it (decoded by pngjs, not by vigie).
    const shown =
      /<img src="(?:cid:posture-trend|data:image\/png;base64,[^"]*)" width="(\d+)" height="(\d+)"/.exec(html);
    const image = PNG.sync.read(png?.content ?? Buffer.alloc(0));
    expect([image.width, image.height]).toEqual([2 * Number(shown?.[1]), 2 * Number(shown?.[2])]);
    const names = mail.attachments.map((a) => a.filename ?? '');
    expect(names.some((n) => /^vigie-rapport-\d{4}-W\d{2}\.html$/.test(n))).toBe(true);
    // …and it is the HTML report's own chart: the report attached to the same mail holds the SVG
    // that the PNG was rendered from.
    const reportHtml = mail.attachments
      .find((a) => (a.filename ?? '').endsWith('.html'))
      ?.content.toString('utf8');
    const reportSvg = /<svg[^>]*aria-labelledby="trend-chart-title"[\s\S]*?<\/svg>/.exec(
      reportHtml ?? '',
    )?.[0];
    expect(reportSvg).toBeDefined();
    expect(renderSvgToPng(reportSvg ?? '').equals(png?.content ?? Buffer.alloc(0))).toBe(true);
    const csv = mail.attachments.find((a) => (a.filename ?? '').endsWith('.csv'));
    expect(csv?.content.toString('utf8')).toContain('tls.cert.expiring');

    const second = await sendWeeklyDigest(ctxAt(now + 60_000), { inventoryFile: inventory });
    expect(second).toMatchObject({ sent: false, alreadySent: true, key: first.key });
    expect(smtp.received).toHaveLength(1);
  });

  it('--to sends a one-off copy without touching the week’s entry', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const before = smtp.received.length;
    const r = await sendWeeklyDigest(ctxAt(now + 120_000), {
      inventoryFile: inventory,
      to: ['copie@exemple.fr'],
    });
    expect(r.sent).toBe(true);
    expect(r.key).toMatch(/^digest:\d{4}-W\d{2}:manual:/);
    expect(smtp.received).toHaveLength(before + 1);
    expect(smtp.envelopes.at(-1)).toEqual(['copie@exemple.fr']);
  });

  it('the command prints the dry run as JSON', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const r = await runCommand(NotifyDigestCommand, ['-i', inventory, '--dry-run', '--json'], {
      VIGIE_DATA_DIR: path.join(dir, 'data'),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json<{ text: string }>().text).toContain('Semaine');
  });

  it('without a mail section: a clear error, exit 3', async () => {
    const inventory = writeConfig('sans-mail.yml', undefined);
    await expect(sendWeeklyDigest(ctxAt(now), { inventoryFile: inventory })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('mail') as unknown,
    });
    const r = await runCommand(NotifyDigestCommand, ['-i', inventory], {
      VIGIE_DATA_DIR: path.join(dir, 'data'),
    });
    expect(r.exitCode).toBe(3);
  });
});

describe('SMTP failures, retries and exactly-once', () => {
  for (const mode of ['refuse', 'drop'] as const) {
    it(`a server that ${mode}s: failed + OperationalError, then retried once against a working server`, async () => {
      const weeks = mode === 'refuse' ? 7 : 14;
      const at = now + weeks * DAY_MS;
      const bad = await startSmtp(mode);
      let key: string | undefined;
      try {
        const inventory = writeConfig(`bad-${mode}.yml`, bad.port);
        const err = await sendWeeklyDigest(ctxAt(at), { inventoryFile: inventory }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OperationalError);
        expect((err as OperationalError).exitCode).toBe(4);
        const store = openStore(path.join(dir, 'data'));
        try {
          const failed = await store.outbox.list({ states: ['failed'], kind: 'digest' });
          expect(failed).toHaveLength(1);
          key = failed[0]!.key;
          expect(Date.parse(failed[0]!.nextAttemptAt!) - at).toBe(60_000);
        } finally {
          await store.close();
        }
      } finally {
        await bad.close();
      }
      const inventory = writeConfig('vigie.yml', smtp.port);
      const before = smtp.received.length;
      // Not yet due: nothing.
      expect(await retryPendingMail(ctxAt(at + 30_000), { inventoryFile: inventory })).toEqual({
        retried: [],
        failed: [],
      });
      const r = await retryPendingMail(ctxAt(at + 2 * 60_000), { inventoryFile: inventory });
      expect(r.retried).toEqual([key]);
      expect(smtp.received).toHaveLength(before + 1);
      expect(await retryPendingMail(ctxAt(at + 3 * 60 * 60_000), { inventoryFile: inventory })).toEqual({
        retried: [],
        failed: [],
      });
      const again = await sendWeeklyDigest(ctxAt(at + 4 * 60_000), { inventoryFile: inventory });
      expect(again.alreadySent).toBe(true);
      expect(smtp.received).toHaveLength(before + 1);
    }, 30_000);
  }

  it('never shows the SMTP password in the error', async () => {
    const bad = await startSmtp('auth-reject');
    const saved = process.env['VIGIE_SMTP_PASSWORD'];
    process.env['VIGIE_SMTP_PASSWORD'] = PASSWORD;
    try {
      const inventory = writeConfig('auth.yml', bad.port, '  user: vigie@exemple.fr\n');
      const err = await sendTestMail(ctxAt(now), { inventoryFile: inventory, to: ['rssi@exemple.fr'] }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OperationalError);
      const text = `${(err as Error).message} ${(err as OperationalError).hint ?? ''}`;
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    } finally {
      if (saved === undefined) delete process.env['VIGIE_SMTP_PASSWORD'];
      else process.env['VIGIE_SMTP_PASSWORD'] = saved;
      await bad.close();
    }
  });

  it('a test mail goes through', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const r = await sendTestMail(ctxAt(now), { inventoryFile: inventory, to: ['rssi@exemple.fr'] });
    expect(r.messageId).not.toBe('');
    expect(smtp.received.at(-1)?.subject).toBe('[vigie] Message de test');
  });
});

describe('alerts', () => {
  it('certificate thresholds: 14 then 7, once each', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const before = smtp.received.length;
    const first = await sendCertificateAlerts(ctxAt(now), { inventoryFile: inventory });
    expect(first.sent).toHaveLength(1);
    expect(first.sent[0]).toMatch(new RegExp(`^alert:cert:${TEST_HOST}:${tls.port}:.+:14$`));
    expect(smtp.envelopes.at(-1)).toEqual(['rssi@exemple.fr']);
    expect(smtp.received.at(-1)?.subject).toMatch(/^\[vigie\] Certificat .+ expire dans \d+ j$/);
    expect((await sendCertificateAlerts(ctxAt(now + 3600_000), { inventoryFile: inventory })).sent).toEqual(
      [],
    );
    const later = await sendCertificateAlerts(ctxAt(now + 6 * DAY_MS), { inventoryFile: inventory });
    expect(later.sent).toHaveLength(1);
    expect(later.sent[0]).toMatch(/:7$/);
    expect((await sendCertificateAlerts(ctxAt(now + 6 * DAY_MS), { inventoryFile: inventory })).sent).toEqual(
      [],
    );
    expect(smtp.received).toHaveLength(before + 2);
  });

  it('new critical/high findings of a run: one mail, once; none when there are none', async () => {
    const inventory = writeConfig('vigie.yml', smtp.port);
    const before = smtp.received.length;
    const quiet = {
      ...scan,
      findings: scan.findings.filter((f) => f.severity !== 'critical' && f.severity !== 'high'),
    };
    expect(await sendFindingAlerts(ctxAt(now), { inventoryFile: inventory, scan: quiet })).toEqual({
      sent: [],
    });
    const template = scan.findings[0]!;
    const loud: ScanResult = {
      ...scan,
      findings: [
        ...scan.findings,
        {
          ...template,
          checkId: 'service.exposed.redis',
          severity: 'high',
          title: 'Redis exposé <sans> filtrage',
          fingerprint: 'fp-test',
          assetId: 'portail',
          firstSeen: scan.run.startedAt,
          lastSeen: scan.run.startedAt,
        },
        { ...template, severity: 'critical', fingerprint: 'fp-old', firstSeen: '2020-01-01T00:00:00.000Z' },
      ],
    };
    const r = await sendFindingAlerts(ctxAt(now), { inventoryFile: inventory, scan: loud });
    expect(r.sent).toEqual([`alert:findings:${scan.run.id}`]);
    const mail = smtp.received.at(-1)!;
    expect(smtp.envelopes.at(-1)).toEqual(['rssi@exemple.fr']);
    expect(mail.text).toContain('Redis exposé <sans> filtrage');
    expect(mail.text).toContain('DSI web');
    expect(String(mail.html)).toContain('Redis exposé &lt;sans&gt; filtrage');
    expect(await sendFindingAlerts(ctxAt(now), { inventoryFile: inventory, scan: loud })).toEqual({
      sent: [],
    });
    expect(smtp.received).toHaveLength(before + 1);
  });
});

describe('SMTP credentials only over TLS', () => {
  const withPassword = async <T>(fn: () => Promise<T>): Promise<T> => {
    const saved = process.env['VIGIE_SMTP_PASSWORD'];
    process.env['VIGIE_SMTP_PASSWORD'] = PASSWORD;
    try {
      return await fn();
    } finally {
      if (saved === undefined) delete process.env['VIGIE_SMTP_PASSWORD'];
      else process.env['VIGIE_SMTP_PASSWORD'] = saved;
    }
  };

  it('authenticates only after STARTTLS', async () => {
    const inventory = writeConfig('auth-tls.yml', smtp.port, '  user: vigie@exemple.fr\n');
    const before = smtp.auths.length;
    await withPassword(() => sendTestMail(ctxAt(now), { inventoryFile: inventory, to: ['rssi@exemple.fr'] }));
    const seen = smtp.auths.slice(before); // verify() then send(): one AUTH each
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(seen.map(() => ({ user: 'vigie@exemple.fr', secure: true })));
  });

  it('a server without STARTTLS never receives AUTH nor the mail: exit 4, saying why', async () => {
    const plain = await startSmtp('ok', 'plain');
    try {
      const inventory = writeConfig('plain-auth.yml', plain.port, '  user: vigie@exemple.fr\n');
      const r = await withPassword(() =>
        runCommand(NotifyTestCommand, ['-i', inventory, '--to', 'rssi@exemple.fr'], {
          VIGIE_DATA_DIR: path.join(dir, 'data'),
          VIGIE_LANG: undefined,
        }),
      );
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toContain('STARTTLS');
      expect(r.stderr).toContain('mail.allowPlaintextLoopback');
      expect(r.stderr).not.toContain(PASSWORD);
      const err = await withPassword(() =>
        sendTestMail(ctxAt(now), { inventoryFile: inventory, to: ['rssi@exemple.fr'] }).catch(
          (e: unknown) => e,
        ),
      );
      expect(err).toBeInstanceOf(SmtpTlsRequiredError);
      // Without a user either: the mail itself is not sent in clear.
      const anonymous = writeConfig('plain-anon.yml', plain.port);
      const err2 = await sendTestMail(ctxAt(now), {
        inventoryFile: anonymous,
        to: ['rssi@exemple.fr'],
      }).catch((e: unknown) => e);
      expect(err2).toMatchObject({ name: 'SmtpTlsRequiredError', exitCode: 4 });
      expect(plain.auths).toEqual([]);
      expect(plain.received).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('the loopback opt-out sends in clear without authentication, never with a password (exit 3)', async () => {
    const plain = await startSmtp('ok', 'plain');
    try {
      const inventory = writeConfig('plain-optout.yml', plain.port, '  allowPlaintextLoopback: true\n');
      await sendTestMail(ctxAt(now), { inventoryFile: inventory, to: ['rssi@exemple.fr'] });
      expect(plain.received).toHaveLength(1);

      const r = await withPassword(() =>
        runCommand(NotifyTestCommand, ['-i', inventory, '--to', 'rssi@exemple.fr'], {
          VIGIE_DATA_DIR: path.join(dir, 'data'),
          VIGIE_LANG: undefined,
        }),
      );
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain('mail.allowPlaintextLoopback');
      expect(r.stderr).not.toContain(PASSWORD);

      const withUser = writeConfig(
        'plain-optout-user.yml',
        plain.port,
        '  allowPlaintextLoopback: true\n  user: vigie@exemple.fr\n',
      );
      const invalid = await sendTestMail(ctxAt(now), {
        inventoryFile: withUser,
        to: ['rssi@exemple.fr'],
      }).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(InvalidFileError);
      expect((invalid as InvalidFileError).issues).toMatchObject([{ path: 'mail.user' }]);
      expect(plain.auths).toEqual([]);
      expect(plain.received).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});
