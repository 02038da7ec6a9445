import type { Finding, Severity } from '../domain/index.js';
import { severityLabel, t, type Lang } from '../i18n/index.js';
import { escapeHtml } from './escape-html.js';

export interface AlertEmail {
  subject: string;
  html: string;
  text: string;
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;color:#0f172a;';

function wrap(lang: Lang, subject: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center" style="padding:12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;"><tr><td style="padding:16px;">
${body}
</td></tr></table>
</td></tr></table>
</body>
</html>
`;
}

/** One mail listing the new critical/high findings of a run. */
export function renderFindingAlertEmail(
  a: { runId: string; startedAt: string; findings: readonly (Finding & { owner?: string })[] },
  lang: Lang = 'fr',
): AlertEmail {
  const subject = t(lang, 'alert.findings.subject', { count: a.findings.length });
  const intro = t(lang, 'alert.findings.intro', {
    runId: a.runId,
    date: a.startedAt.slice(0, 16).replace('T', ' '),
  });
  const sev = (s: Severity) => severityLabel(lang, s);
  const head = (f: Finding & { owner?: string }) =>
    `${sev(f.severity)} — ${f.title} (${f.host}:${f.port})${f.owner ? t(lang, 'digest.owner', { owner: f.owner }) : ''}`;
  const text = [
    intro,
    '',
    ...a.findings.flatMap((f) => [
      `- ${head(f)}`,
      `  ${f.evidence}`,
      `  ${t(lang, 'alert.remediation')} : ${f.remediation}`,
    ]),
    '',
  ].join('\n');
  const items = a.findings
    .map(
      (f) =>
        `<tr><td style="${FONT}font-size:14px;padding:6px 0;border-bottom:1px solid #e2e8f0;"><strong>${escapeHtml(head(f))}</strong><br>${escapeHtml(f.evidence)}<br><em>${escapeHtml(t(lang, 'alert.remediation'))}</em> : ${escapeHtml(f.remediation)}</td></tr>`,
    )
    .join('');
  const html = wrap(
    lang,
    subject,
    `<p style="${FONT}font-size:14px;">${escapeHtml(intro)}</p><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${items}</table>`,
  );
  return { subject, html, text };
}

/** One mail for a certificate crossing an expiry threshold. */
export function renderCertificateAlertEmail(
  c: {
    host: string;
    port: number;
    subject: string;
    notAfter: string;
    daysLeft: number;
    threshold: number;
    owner?: string;
  },
  lang: Lang = 'fr',
): AlertEmail {
  const subject = t(lang, 'alert.cert.subject', { host: c.host, port: c.port, days: c.daysLeft });
  const body = t(lang, 'alert.cert.body', {
    host: c.host,
    port: c.port,
    subject: c.subject,
    date: c.notAfter.slice(0, 10),
    days: c.daysLeft,
    threshold: c.threshold,
    owner: c.owner ? t(lang, 'digest.owner', { owner: c.owner }) : '',
  });
  return {
    subject,
    html: wrap(lang, subject, `<p style="${FONT}font-size:14px;">${escapeHtml(body)}</p>`),
    text: `${body}\n`,
  };
}
