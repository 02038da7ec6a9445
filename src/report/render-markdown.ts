import { endpointKey, SEVERITIES, type ScanResult, type Severity } from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { gradeText } from './report-format.js';
import { endpointStatusText, shownEndpoints } from './render-text.js';
import { tlsSummaryLines } from './tls-detail.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A scan as a Markdown report: summary table, then findings grouped by endpoint. */
export function renderScanMarkdown(result: ScanResult, lang: Lang): string {
  const out: string[] = [`# ${t(lang, 'report.title', { id: result.run.id })}`, ''];
  out.push(
    t(lang, 'report.generated', {
      startedAt: result.run.startedAt,
      finishedAt: result.run.finishedAt,
      scoringVersion: result.run.scoringVersion,
    }),
    '',
  );
  out.push(`## ${t(lang, 'report.endpoints')}`, '');
  out.push(
    `| ${t(lang, 'scan.summary.endpoint')} | ${t(lang, 'scan.summary.status')} | ${ORDER.map((s) => severityLabel(lang, s)).join(' | ')} | ${t(lang, 'honest.scan.summary.tls')} | ${t(lang, 'scan.summary.http')} |`,
  );
  out.push(`|---|---|${ORDER.map(() => '---:').join('|')}|---|---|`);
  const shown = shownEndpoints(result);
  for (const e of shown) {
    const mine = result.findings.filter((f) => f.host === e.host && f.port === e.port);
    out.push(
      `| ${cell(endpointKey(e))} | ${endpointStatusText(e, lang)} | ${ORDER.map((s) => mine.filter((f) => f.severity === s).length || '·').join(' | ')} | ${gradeText(e.tls?.grade, lang)} | ${gradeText(e.http?.grade, lang)} |`,
    );
  }
  const closed = result.endpoints.length - shown.length;
  if (closed > 0) out.push('', t(lang, 'scan.summary.closed', { count: closed }));
  const tlsLines = tlsSummaryLines(shown, lang);
  if (tlsLines.length) {
    out.push('', `### ${t(lang, 'tls.detail.title')}`, '');
    for (const l of tlsLines) out.push(`- \`${endpointKey(l.endpoint)}\` ${cell(l.text)}`);
  }
  const partial = shown.filter((e) => e.errors?.length);
  if (partial.length) {
    out.push('', t(lang, 'scan.partial.title'), '');
    for (const e of partial) {
      for (const f of e.errors ?? [])
        out.push(`- \`${endpointKey(e)}\` ${f.category} : ${f.reason} — ${cell(f.detail)}`);
    }
  }
  out.push('', `## ${t(lang, 'report.findings')}`, '');
  if (result.findings.length === 0) out.push(t(lang, 'scan.findings.none'));
  for (const f of result.findings) {
    out.push(`### ${cell(f.title)} — \`${endpointKey(f)}\``, '');
    out.push(
      `- **${t(lang, 'table.severity')}** : ${severityLabel(lang, f.severity)} · \`${f.checkId}\` · \`${f.fingerprint}\``,
    );
    out.push(`- **${t(lang, 'finding.evidence')}** : ${f.evidence}`);
    out.push(`- **${t(lang, 'finding.remediation')}** : ${f.remediation}`);
    if (f.references.length) out.push(`- **${t(lang, 'report.references')}** : ${f.references.join(', ')}`);
    if (f.playbook) out.push(`- **${t(lang, 'report.playbook')}** : ${f.playbook}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
