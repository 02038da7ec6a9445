import { endpointKey, SEVERITIES, type ScanResult, type Severity } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { renderTable } from './table.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** Human summary of a scan: a table by endpoint and severity, then each finding with evidence and fix. */
export function renderScanText(result: ScanResult, lang: Lang): string {
  const counts = new Map<string, Record<Severity, number>>();
  for (const e of result.endpoints)
    counts.set(endpointKey(e), { info: 0, low: 0, medium: 0, high: 0, critical: 0 });
  for (const f of result.findings) {
    const row = counts.get(endpointKey(f));
    if (row) row[f.severity] += 1;
  }
  const rows = result.endpoints.map((e) => {
    const c = counts.get(endpointKey(e)) ?? { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    const total = ORDER.reduce((n, s) => n + c[s], 0);
    return [
      endpointKey(e),
      t(lang, `status.${e.status}`),
      ...ORDER.map((s) => (c[s] ? String(c[s]) : '·')),
      String(total),
    ];
  });
  const totals = ORDER.map((s) => String(result.summary.bySeverity[s]));
  rows.push(['', t(lang, 'scan.summary.total'), ...totals, String(result.summary.findings)]);
  const header = [
    t(lang, 'scan.summary.endpoint'),
    t(lang, 'scan.summary.status'),
    ...ORDER.map((s) => t(lang, `severity.${s}`)),
    t(lang, 'scan.summary.total'),
  ];

  const out: string[] = [t(lang, 'scan.summary.title'), '', renderTable(header, rows), ''];
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
