import type { GroupReport } from '../app/report/index.js';
import { t, severityLabel, type Lang } from '../i18n/index.js';
import { escapeHtml } from './escape-html.js';
import { escapeMarkdown as md } from './markdown-escape.js';
import { SEVERITY_ORDER, formatDateTime, formatDelta, formatIndex } from './report-format.js';
import { renderTable } from './table.js';

/** The page's fonts: the system's own (nothing is fetched). */
const FONTS = 'system-ui,sans-serif';

/** The header and rows of a consolidated view: one row per organisation, then the group's total. */
function grid(report: GroupReport, lang: Lang): { header: string[]; rows: string[][]; numeric: number[] } {
  const header = [
    t(lang, 'group-report.col.organisation'),
    t(lang, 'group-report.col.index'),
    t(lang, 'group-report.col.delta'),
    ...SEVERITY_ORDER.map((s) => severityLabel(lang, s)),
    t(lang, 'group-report.col.open'),
    t(lang, 'group-report.col.last-run'),
  ];
  const none = t(lang, 'group-report.not-assessed');
  const rows = report.organisations.map((m) => [
    m.name === m.id ? m.id : `${m.name} (${m.id})`,
    m.index === undefined ? none : formatIndex(m.index, lang),
    m.delta === undefined ? '—' : formatDelta(m.delta, lang),
    ...SEVERITY_ORDER.map((s) => String(m.counts[s])),
    String(m.open),
    m.lastRun === undefined ? t(lang, 'group-report.never') : formatDateTime(m.lastRun),
  ]);
  rows.push([
    t(lang, 'group-report.total', { count: report.organisations.length }),
    report.total.index === undefined ? none : formatIndex(report.total.index, lang),
    '',
    ...SEVERITY_ORDER.map((s) => String(report.total.counts[s])),
    String(report.total.open),
    '',
  ]);
  const numeric = header.map((_, i) => i).filter((i) => i > 0 && i < header.length - 1);
  return { header, rows, numeric };
}

function title(report: GroupReport, lang: Lang): string {
  return report.group === undefined
    ? t(lang, 'group-report.title.orgs')
    : t(lang, 'group-report.title', { group: report.group });
}

function generated(report: GroupReport, lang: Lang): string {
  return t(lang, 'group-report.generated', { generatedAt: formatDateTime(report.generatedAt) });
}

/** The consolidated view as plain text. */
export function renderGroupReportText(report: GroupReport, lang: Lang): string {
  const { header, rows } = grid(report, lang);
  return [title(report, lang), generated(report, lang), '', renderTable(header, rows), ''].join('\n');
}

/** The consolidated view in Markdown (GitHub-flavoured table); every value escaped. */
export function renderGroupReportMarkdown(report: GroupReport, lang: Lang): string {
  const { header, rows, numeric } = grid(report, lang);
  const last = rows.length - 1;
  const cells = rows.map((r, i) => r.map((c) => (i === last && c !== '' ? `**${md(c)}**` : md(c))));
  return [
    `# ${md(title(report, lang))}`,
    '',
    md(generated(report, lang)),
    '',
    `| ${header.map(md).join(' | ')} |`,
    `|${header.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join('|')}|`,
    ...cells.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

/** The consolidated view as one self-contained HTML page (nothing fetched; a CSP forbids it). */
export function renderGroupReportHtml(report: GroupReport, lang: Lang): string {
  const { header, rows, numeric } = grid(report, lang);
  const last = rows.length - 1;
  const cell = (tag: 'td' | 'th', c: string, i: number) =>
    `<${tag}${numeric.includes(i) ? ' class="n"' : ''}>${escapeHtml(c)}</${tag}>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="vigie">
<title>${escapeHtml(title(report, lang))}</title>
<style>
body{font-family:${FONTS};margin:2rem;color:#1a1a1a}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.n{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:bold;background:#f4f4f4}
</style>
</head>
<body>
<h1>${escapeHtml(title(report, lang))}</h1>
<p>${escapeHtml(generated(report, lang))}</p>
<table>
<thead><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr></thead>
<tbody>
${rows
  .slice(0, last)
  .map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`)
  .join('\n')}
</tbody>
<tfoot><tr>${(rows[last] ?? []).map((c, i) => cell('td', c, i)).join('')}</tr></tfoot>
</table>
</body>
</html>
`;
}

/** The consolidated view as JSON (the `GroupReport` as built). */
export function renderGroupReportJson(report: GroupReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
