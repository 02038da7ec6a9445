import fs from 'node:fs';
import { loadConfig, type VigieConfig } from '../../config/index.js';
import {
  InvalidFileError,
  OperationalError,
  SmtpPlaintextRefusedError,
  UsageError,
  textIssue,
  type ExpiringCertificate,
  type Finding,
  type ScanResult,
} from '../../domain/index.js';
import { msg, t, type Lang } from '../../i18n/index.js';
import { createMailer, SMTP_PASSWORD_ENV, type MailAttachment, type MailMessage } from '../../mail/index.js';
import {
  DIGEST_CHART_CID,
  renderCertificateAlertEmail,
  renderDigestEmail,
  renderFindingAlertEmail,
  renderReportCsv,
  renderReportHtml,
  escapeHtml,
} from '../../report/index.js';
import type { OutboxEntry, OutboxKind, Store } from '../../store/index.js';
import { buildDigest } from './build-digest.js';
import { buildReport } from '../report/index.js';
import type { AppContext, MailConfig, MailerFactory } from '../shared/context.js';
import { readDataStore, withDataStore } from '../shared/data-store.js';
import { isoWeek, isoWeekLabel, parseIsoWeekLabel, type IsoWeek } from '../shared/iso-week.js';
import { organisationTimeZone } from '../shared/organisation-time.js';
import { readFacts } from '../shared/stored-facts.js';
import { buildTrustAnchors } from '../shared/trust-store.js';
import { writeOutput } from '../shared/write-output.js';

const DAY_MS = 86_400_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MINUTE_MS = 60_000;
/** Retry delays after the 1st, 2nd, 3rd, 4th+ failure. */
export const MAIL_BACKOFF_MINUTES = [1, 5, 15, 60] as const;
/** An outbox entry is given up after this many attempts. */
export const MAIL_MAX_ATTEMPTS = 10;
export const DEFAULT_CERTIFICATE_ALERT_DAYS = [30, 14, 7, 1] as const;

/** `mail:` of vigie.yml, with the extra trust anchors of `trust.caFiles` (absolute paths). */

export interface DigestRequest {
  inventoryFile: string;
  dryRun?: boolean;
  /** One-off copy to these addresses; the week's entry is left untouched. */
  to?: string[];
  /**
   * Writes the digest's HTML to this file (chart embedded as a data: URI so that a browser shows it)
   * instead of sending it: implies `dryRun`.
   */
  output?: string;
}

export interface DigestOutcome {
  key: string;
  subject: string;
  sent: boolean;
  alreadySent: boolean;
  recipients: string[];
  text?: string;
  /** The file the HTML was written to (`output`), absolute. */
  output?: string;
}

/** The SMTP transport when the context injects none: nodemailer (src/mail) from `mail:`. */
const defaultMailer: MailerFactory = ({ caFiles, ...mail }) =>
  createMailer(
    {
      ...mail,
      // An internal relay's certificate may come from the authority's own PKI (trust.caFiles).
      ...(caFiles && caFiles.length > 0 ? { ca: buildTrustAnchors(caFiles).map((c) => c.toString()) } : {}),
    },
    process.env,
  );

function loadInventory(inventoryFile: string): VigieConfig {
  if (!fs.existsSync(inventoryFile))
    throw new UsageError(msg('errlang.notify.no-inventory', { file: inventoryFile }), {
      hint: msg('errlang.notify.no-inventory.hint'),
    });
  return loadConfig(inventoryFile);
}

function loadMailConfig(inventoryFile: string): { config: VigieConfig; mail: MailConfig } {
  const config = loadInventory(inventoryFile);
  if (!config.mail)
    throw new InvalidFileError(inventoryFile, [textIssue('mail', msg('errlang.notify.no-mail'))], {
      hint: msg('errlang.notify.no-mail.hint'),
    });
  if (config.mail.allowPlaintextLoopback && !config.mail.secure && process.env[SMTP_PASSWORD_ENV]) {
    // The file alone was valid (no user); with a password in the environment it is not.
    throw new SmtpPlaintextRefusedError(
      msg('errlang.notify.plaintext-refused', { file: inventoryFile, variable: SMTP_PASSWORD_ENV }),
      { hint: msg('errlang.notify.plaintext-refused.hint', { variable: SMTP_PASSWORD_ENV }) },
    );
  }
  return { config, mail: { ...config.mail, caFiles: config.trust.caFiles } };
}

function requireRecipients(
  inventoryFile: string,
  list: readonly string[],
  role: 'managers' | 'security',
): string[] {
  if (list.length === 0)
    throw new InvalidFileError(inventoryFile, [
      textIssue(`mail.recipients.${role}`, msg('errlang.notify.no-recipient.file')),
    ]);
  return [...list];
}

const langOf = (ctx: AppContext, config: VigieConfig): Lang => ctx.lang ?? config.organisation.language;

function nextAttemptAt(now: Date, attemptsSoFar: number): string {
  const minutes = MAIL_BACKOFF_MINUTES[Math.min(attemptsSoFar, MAIL_BACKOFF_MINUTES.length - 1)] ?? 60;
  return new Date(now.getTime() + minutes * MINUTE_MS).toISOString();
}

/** How long a claimed mail is another process's to send (then due again: a crash mid-send). */
export const MAIL_CLAIM_MS = 10 * 60_000;

/** MAIL_CLAIM_MS, or VIGIE_MAIL_CLAIM_MS (tests shorten it to see a claim of a dead process expire). */
export function mailClaimMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['VIGIE_MAIL_CLAIM_MS']);
  return Number.isInteger(n) && n > 0 ? n : MAIL_CLAIM_MS;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Sends one recorded mail: reserved before (an entry already sent is never sent again), marked sent
 * after, or failed with the next attempt time (then an OperationalError is thrown).
 */
async function deliver(
  ctx: AppContext,
  mail: MailConfig,
  entry: { key: string; kind: OutboxKind; message: MailMessage },
  opts: { reserve: boolean },
): Promise<{ sent: boolean; alreadySent: boolean; messageId?: string }> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  // Reserve (recorded before sending), then claim: of several daemons on one database, one only
  // takes a due mail; the claim lasts MAIL_CLAIM_MS, after which a mail left unsent by a process
  // that died is due again.
  const taken = await withDataStore(ctx, async (store) => {
    if (opts.reserve) {
      const r = await store.outbox.reserve({
        key: entry.key,
        kind: entry.kind,
        subject: entry.message.subject,
        recipients: entry.message.to,
        at,
      });
      if (!r.created && r.entry.state === 'sent') return 'sent';
    }
    const until = new Date(now.getTime() + mailClaimMs()).toISOString();
    return (await store.outbox.claim(entry.key, { at, until })) === undefined ? 'not-due' : 'claimed';
  });
  if (taken === 'sent') return { sent: false, alreadySent: true };
  // Sent meanwhile, waiting for its backoff after a failed attempt, or taken by another process.
  if (taken === 'not-due') return { sent: false, alreadySent: false };
  const mailer = (ctx.mailer ?? defaultMailer)(mail);
  try {
    const { messageId } = await mailer.send(entry.message);
    await withDataStore(ctx, (store) =>
      store.outbox.markSent(entry.key, { at: ctx.clock.now().toISOString(), messageId }),
    );
    return { sent: true, alreadySent: false, messageId };
  } catch (err) {
    const attempts = await withDataStore(
      ctx,
      async (store) => (await store.outbox.get(entry.key))?.attempts ?? 0,
    );
    await withDataStore(ctx, (store) =>
      store.outbox.markFailed(entry.key, {
        at,
        error: errorText(err),
        nextAttemptAt: nextAttemptAt(now, attempts),
      }),
    );
    throw err instanceof OperationalError ? err : new OperationalError(errorText(err), { cause: err });
  } finally {
    mailer.close();
  }
}

/** The weekly digest's mail. Async: the PNG renderer (native) is loaded on the first digest only. */
async function digestMessage(
  ctx: AppContext,
  inventoryFile: string,
  config: VigieConfig,
  week: IsoWeek,
  to: string[],
): Promise<{ message: MailMessage; text: string; standaloneHtml: string }> {
  const lang = langOf(ctx, config);
  const data = await buildDigest(ctx, { inventoryFile, week, lang });
  const email = renderDigestEmail(data, lang);
  const label = isoWeekLabel(week);
  const attachments: MailAttachment[] = [];
  if (email.chartSvg !== undefined) {
    const { renderSvgToPng } = await import('../../report/png/index.js');
    attachments.push({
      filename: 'posture.png',
      content: renderSvgToPng(email.chartSvg, { scale: 2 }),
      contentType: 'image/png',
      cid: DIGEST_CHART_CID,
    });
  }
  attachments.push(
    {
      filename: `vigie-rapport-${label}.html`,
      content: renderReportHtml(data.report, lang),
      contentType: 'text/html; charset=utf-8',
    },
    {
      filename: `vigie-constats-${label}.csv`,
      content: renderReportCsv(data.report, lang),
      contentType: 'text/csv; charset=utf-8',
    },
  );
  const { renderReportXlsx } = await import('../../report/xlsx/index.js');
  attachments.push({
    filename: `vigie-constats-${label}.xlsx`,
    content: Buffer.from(await renderReportXlsx(data.report, lang)),
    contentType: XLSX_TYPE,
  });
  const chart = attachments.find((a) => a.cid === DIGEST_CHART_CID);
  const standaloneHtml = chart
    ? email.html.replace(
        `cid:${DIGEST_CHART_CID}`,
        `data:image/png;base64,${Buffer.from(chart.content).toString('base64')}`,
      )
    : email.html;
  return {
    message: { to, subject: email.subject, html: email.html, text: email.text, attachments },
    text: email.text,
    standaloneHtml,
  };
}

/**
 * This week's digest to `recipients.managers`, exactly once per ISO week (key `digest:<YYYY>-W<ww>`,
 * the organisation's time zone). `dryRun`: built and returned, neither sent nor recorded. `to`: a
 * one-off copy (its own key), the week's entry untouched.
 */
export async function sendWeeklyDigest(ctx: AppContext, req: DigestRequest): Promise<DigestOutcome> {
  if (req.dryRun || req.output !== undefined) return previewWeeklyDigest(ctx, req);
  const { config, mail } = loadMailConfig(req.inventoryFile);
  const now = ctx.clock.now();
  const week = isoWeek(now, organisationTimeZone(config));
  const weekKey = `digest:${isoWeekLabel(week)}`;
  const manual = req.to !== undefined && req.to.length > 0;
  const recipients = manual
    ? [...(req.to ?? [])]
    : requireRecipients(req.inventoryFile, mail.recipients.managers, 'managers');
  const key = manual ? `${weekKey}:manual:${now.toISOString()}` : weekKey;
  if (!manual) {
    const existing = await readDataStore<OutboxEntry | undefined>(ctx, undefined, (s) =>
      s.outbox.get(weekKey),
    );
    if (existing?.state === 'sent')
      return {
        key,
        subject: existing.subject,
        sent: false,
        alreadySent: true,
        recipients: existing.recipients,
      };
  }
  const { message } = await digestMessage(ctx, req.inventoryFile, config, week, recipients);
  const r = await deliver(ctx, mail, { key, kind: 'digest', message }, { reserve: true });
  return { key, subject: message.subject, sent: r.sent, alreadySent: r.alreadySent, recipients };
}

/**
 * The digest as it would go out this week, neither sent nor recorded: no `mail:` section is needed
 * (recipients are then empty). `output`: the HTML is written there, chart included.
 */
async function previewWeeklyDigest(ctx: AppContext, req: DigestRequest): Promise<DigestOutcome> {
  const config = loadInventory(req.inventoryFile);
  const week = isoWeek(ctx.clock.now(), organisationTimeZone(config));
  const manual = req.to !== undefined && req.to.length > 0;
  const recipients = manual ? [...(req.to ?? [])] : [...(config.mail?.recipients.managers ?? [])];
  const { message, text, standaloneHtml } = await digestMessage(
    ctx,
    req.inventoryFile,
    config,
    week,
    recipients,
  );
  const output = req.output === undefined ? undefined : writeOutput(req.output, standaloneHtml);
  return {
    key: `digest:${isoWeekLabel(week)}`,
    subject: message.subject,
    sent: false,
    alreadySent: false,
    recipients,
    text,
    ...(output ? { output } : {}),
  };
}

const ALERT_SEVERITIES = new Set(['critical', 'high']);

/** Whether a finding of a run is in its alert mail: critical or high, and first seen in that run. */
export function isAlertFinding(f: Pick<Finding, 'severity' | 'firstSeen'>, runStartedAt: string): boolean {
  return ALERT_SEVERITIES.has(f.severity) && f.firstSeen === runStartedAt;
}

function findingAlertMessage(
  ctx: AppContext,
  config: VigieConfig,
  run: { id: string; startedAt: string },
  findings: readonly Finding[],
  to: string[],
): MailMessage {
  const owners = new Map(config.assets.map((a) => [a.id, a.owner]));
  const email = renderFindingAlertEmail(
    {
      runId: run.id,
      startedAt: run.startedAt,
      findings: findings.map((f) => {
        const owner = f.assetId ? owners.get(f.assetId) : undefined;
        return owner ? { ...f, owner } : f;
      }),
    },
    langOf(ctx, config),
  );
  return { to, ...email };
}

/** One mail to `recipients.security` listing the run's NEW critical/high findings (key `alert:findings:<runId>`). */
export async function sendFindingAlerts(
  ctx: AppContext,
  req: { inventoryFile: string; scan: ScanResult },
): Promise<{ sent: string[] }> {
  const { config, mail } = loadMailConfig(req.inventoryFile);
  const fresh = req.scan.findings.filter((f) => isAlertFinding(f, req.scan.run.startedAt));
  if (fresh.length === 0) return { sent: [] };
  const to = requireRecipients(req.inventoryFile, mail.recipients.security, 'security');
  const key = `alert:findings:${req.scan.run.id}`;
  const message = findingAlertMessage(ctx, config, req.scan.run, fresh, to);
  const r = await deliver(ctx, mail, { key, kind: 'alert', message }, { reserve: true });
  return { sent: r.sent ? [key] : [] };
}

interface CertificateState extends ExpiringCertificate {
  alertDays: number[];
}

async function latestCertificates(ctx: AppContext, config: VigieConfig): Promise<CertificateState[]> {
  const now = ctx.clock.now().getTime();
  const assets = new Map(config.assets.map((a) => [a.id, a]));
  return (await readDataStore(ctx, [], (store: Store) => store.runs.latestEndpoints())).flatMap((e) => {
    const facts = readFacts(e.facts);
    const cert = facts.tls?.certificate;
    if (!cert || facts.closed) return [];
    const asset = e.assetId ? assets.get(e.assetId) : undefined;
    return [
      {
        host: e.host,
        port: e.port,
        subject: cert.subject,
        notAfter: cert.notAfter,
        daysLeft: Math.floor((Date.parse(cert.notAfter) - now) / DAY_MS),
        ...(asset ? { owner: asset.owner } : {}),
        alertDays: [...(asset?.certificateAlertDays ?? DEFAULT_CERTIFICATE_ALERT_DAYS)],
      },
    ];
  });
}

const certKey = (c: { host: string; port: number; notAfter: string }, threshold: number) =>
  `alert:cert:${c.host}:${c.port}:${c.notAfter}:${threshold}`;

function certificateMessage(
  ctx: AppContext,
  config: VigieConfig,
  c: CertificateState,
  threshold: number,
  to: string[],
) {
  const email = renderCertificateAlertEmail(
    {
      host: c.host,
      port: c.port,
      subject: c.subject,
      notAfter: c.notAfter,
      daysLeft: c.daysLeft,
      threshold,
      ...(c.owner ? { owner: c.owner } : {}),
    },
    langOf(ctx, config),
  );
  return { to, ...email };
}

/**
 * For each certificate of the latest endpoints that crossed one of its asset's `certificateAlertDays`
 * (default 30, 14, 7, 1): one mail for the smallest threshold crossed, once per (host, port, notAfter,
 * threshold) — key `alert:cert:<host>:<port>:<notAfter>:<threshold>`.
 */
export async function sendCertificateAlerts(
  ctx: AppContext,
  req: { inventoryFile: string },
): Promise<{ sent: string[] }> {
  const { config, mail } = loadMailConfig(req.inventoryFile);
  const certs = await latestCertificates(ctx, config);
  const sent: string[] = [];
  const errors: OperationalError[] = [];
  for (const c of certs) {
    const crossed = c.alertDays.filter((d) => c.daysLeft <= d);
    if (crossed.length === 0) continue;
    const threshold = Math.min(...crossed);
    const key = certKey(c, threshold);
    if (await readDataStore<OutboxEntry | undefined>(ctx, undefined, (s) => s.outbox.get(key))) continue;
    const to = requireRecipients(req.inventoryFile, mail.recipients.security, 'security');
    try {
      const r = await deliver(
        ctx,
        mail,
        { key, kind: 'alert', message: certificateMessage(ctx, config, c, threshold, to) },
        { reserve: true },
      );
      if (r.sent) sent.push(key);
    } catch (err) {
      if (err instanceof OperationalError) errors.push(err);
      else throw err;
    }
  }
  const [first] = errors;
  if (first) throw first;
  return { sent };
}

/** Rebuilds the mail of an outbox entry from its key, or says why it cannot. */
async function rebuild(
  ctx: AppContext,
  inventoryFile: string,
  config: VigieConfig,
  entry: OutboxEntry,
): Promise<MailMessage | string> {
  const to = entry.recipients;
  const digest = /^digest:(\d{4}-W\d{2})(?::manual:.*)?$/.exec(entry.key);
  if (digest) {
    const week = parseIsoWeekLabel(digest[1] ?? '');
    return week
      ? (await digestMessage(ctx, inventoryFile, config, week, to)).message
      : t(ctx.lang, 'texts2.outbox.bad-key', { key: entry.key });
  }
  const findings = /^alert:findings:(.+)$/.exec(entry.key);
  if (findings) {
    const runId = findings[1] ?? '';
    const run = await readDataStore(ctx, undefined, (s: Store) => s.runs.get(runId));
    if (!run) return t(ctx.lang, 'texts2.outbox.run-missing', { id: runId });
    const fresh = (await buildReport(ctx, { inventoryFile })).findings.filter(
      (f) => ALERT_SEVERITIES.has(f.severity) && f.firstSeen === run.startedAt,
    );
    if (fresh.length === 0) return t(ctx.lang, 'texts2.outbox.nothing-new', { id: runId });
    return findingAlertMessage(ctx, config, run, fresh, to);
  }
  const cert = /^alert:cert:([^:]+):(\d+):(.+):(\d+)$/.exec(entry.key);
  if (cert) {
    const [, host = '', port = '0', notAfter = '', threshold = '0'] = cert;
    const known = (await latestCertificates(ctx, config)).find(
      (c) => c.host === host && c.port === Number(port) && c.notAfter === notAfter,
    );
    const state: CertificateState = known ?? {
      host,
      port: Number(port),
      subject: '—',
      notAfter,
      daysLeft: Math.floor((Date.parse(notAfter) - ctx.clock.now().getTime()) / DAY_MS),
      alertDays: [],
    };
    return certificateMessage(ctx, config, state, Number(threshold), to);
  }
  return t(ctx.lang, 'texts2.outbox.unknown-kind', { key: entry.key });
}

/**
 * Resends the pending or failed outbox entries whose next attempt is due, rebuilt from their key;
 * an entry that cannot be rebuilt is marked failed; entries are given up after 10 attempts.
 */
export async function retryPendingMail(
  ctx: AppContext,
  req: { inventoryFile: string },
): Promise<{ retried: string[]; failed: string[] }> {
  const { config, mail } = loadMailConfig(req.inventoryFile);
  const now = ctx.clock.now();
  const due = (
    await readDataStore<OutboxEntry[]>(ctx, [], (s) =>
      s.outbox.list({ states: ['pending', 'failed'], dueBy: now.toISOString() }),
    )
  ).filter((e) => e.attempts < MAIL_MAX_ATTEMPTS && e.kind !== 'test');
  const retried: string[] = [];
  const failed: string[] = [];
  for (const entry of due) {
    const message = await rebuild(ctx, req.inventoryFile, config, entry);
    if (typeof message === 'string') {
      await withDataStore(ctx, (s) =>
        s.outbox.markFailed(entry.key, {
          at: now.toISOString(),
          error: message,
          nextAttemptAt: nextAttemptAt(now, entry.attempts),
        }),
      );
      failed.push(entry.key);
      continue;
    }
    try {
      const r = await deliver(ctx, mail, { key: entry.key, kind: entry.kind, message }, { reserve: false });
      if (r.sent) retried.push(entry.key);
    } catch (err) {
      if (!(err instanceof OperationalError)) throw err;
      failed.push(entry.key);
    }
  }
  return { retried, failed };
}

/** Sends a test mail (not recorded) to check the SMTP settings. */
export async function sendTestMail(
  ctx: AppContext,
  req: { inventoryFile: string; to: string[] },
): Promise<{ messageId: string }> {
  if (req.to.length === 0)
    throw new UsageError(msg('errlang.notify.no-recipient'), {
      hint: msg('errlang.notify.no-recipient.hint'),
    });
  const { config, mail } = loadMailConfig(req.inventoryFile);
  const lang = langOf(ctx, config);
  const subject = t(lang, 'mail.test.subject');
  const body = t(lang, 'mail.test.body', { organisation: config.organisation.name });
  const mailer = (ctx.mailer ?? defaultMailer)(mail);
  try {
    await mailer.verify();
    return await mailer.send({
      to: req.to,
      subject,
      text: `${body}\n`,
      html: `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body><p style="font-family:Arial,Helvetica,sans-serif;font-size:14px;">${escapeHtml(body)}</p></body></html>`,
    });
  } finally {
    mailer.close();
  }
}
