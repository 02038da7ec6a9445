import {
  endpointKey,
  SEVERITIES,
  type EndpointResult,
  type ScanResult,
  type Severity,
} from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { gradeText } from './report-format.js';
import { renderTable } from './table.js';
import { tlsSummaryLines } from './tls-detail.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();
const zero = (): Record<Severity, number> => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });

/** Endpoints worth a row: a default port nobody listens on is only counted. */
export const shownEndpoints = (result: ScanResult): EndpointResult[] =>
  result.endpoints.filter((e) => !e.closed);

/** Human summary of a scan: a table by endpoint and severity, then each finding with evidence and fix. */
export function renderScanText(result: ScanResult, lang: Lang): string {
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of result.findings) {
    const row = counts.get(endpointKey(f)) ?? zero();
    row[f.severity] += 1;
    counts.set(endpointKey(f), row);
  }
  const shown = shownEndpoints(result);
  const rows = shown.map((e) => {
    const c = counts.get(endpointKey(e)) ?? zero();
    const total = ORDER.reduce((n, s) => n + c[s], 0);
    return [
      endpointKey(e),
      t(lang, `status.${e.status}`),
      ...ORDER.map((s) => (c[s] ? String(c[s]) : '·')),
      String(total),
      gradeText(e.tls?.grade, lang),
      gradeText(e.http?.grade, lang),
    ];
  });
  const totals = ORDER.map((s) => String(result.summary.bySeverity[s]));
  rows.push(['', t(lang, 'scan.summary.total'), ...totals, String(result.summary.findings), '', '']);
  const header = [
    t(lang, 'scan.summary.endpoint'),
    t(lang, 'scan.summary.status'),
    ...ORDER.map((s) => t(lang, `severity.${s}`)),
    t(lang, 'scan.summary.total'),
    t(lang, 'honest.scan.summary.tls'),
    t(lang, 'scan.summary.http'),
  ];

  const out: string[] = [t(lang, 'scan.summary.title'), '', renderTable(header, rows), ''];
  const closed = result.endpoints.length - shown.length;
  if (closed > 0) out.push(t(lang, 'scan.summary.closed', { count: closed }), '');
  const tlsLines = tlsSummaryLines(shown, lang);
  if (tlsLines.length) {
    out.push(t(lang, 'tls.detail.title'));
    for (const l of tlsLines) out.push(`  ${endpointKey(l.endpoint)}  ${l.text}`);
    out.push('');
  }
  const partial = shown.filter((e) => e.errors?.length);
  if (partial.length) {
    out.push(t(lang, 'scan.partial.title'));
    for (const e of partial) {
      for (const f of e.errors ?? [])
        out.push(`  ${endpointKey(e)}  ${f.category} : ${f.reason} — ${f.detail}`);
    }
    out.push('');
  }
  out.push(t(lang, 'scan.findings.title'), '');
  if (result.findings.length === 0) out.push(t(lang, 'scan.findings.none'));
  for (const f of result.findings) {
    out.push(
      `[${t(lang, `severity.${f.severity}`).toUpperCase()}] ${endpointKey(f)}  ${f.title}  (${f.checkId})`,
    );
    out.push(`    ${t(lang, 'finding.evidence')} : ${f.evidence}`);
    out.push(`    ${t(lang, 'finding.remediation')} : ${f.remediation}`);
  }
  const seconds = ((Date.parse(result.run.finishedAt) - Date.parse(result.run.startedAt)) / 1000).toFixed(1);
  out.push(
    '',
    t(lang, 'scan.run', {
      id: result.run.id,
      endpoints: result.summary.endpoints,
      findings: result.summary.findings,
      duration: seconds,
    }),
  );
  return out.join('\n');
}
