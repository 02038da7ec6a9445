import { listCount, summaryRows, type ReportDetail } from './large-estate.js';
import { discoveryLine } from './discovery-line.js';
import {
  endpointKey,
  SEVERITIES,
  type PostureReport,
  type ReportFinding,
  type TlsTotals,
} from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { escapeHtml as e } from './escape-html.js';
import {
  SEVERITY_ORDER,
  activeWaiver,
  bySeriousness,
  daysLeftText,
  describeDelta,
  formatDate,
  reportDateline,
  formatIndex,
  categoryIndexText,
  ownerText,
  labelled,
  trendRange,
  waiverText,
  dnssecText,
} from './report-format.js';
import { postureTrendChart } from './posture-trend-chart.js';
import { SEVERITY_COLOURS, severityBars } from './svg-charts.js';
import { tlsDetailRows } from './tls-detail.js';
import { gatherPieces } from './gather-pieces.js';

const CSS = `
:root{--fg:#111827;--muted:#4b5563;--bg:#ffffff;--line:#d1d5db;--soft:#f3f4f6;--accent:#1d4ed8;--up:#166534;--down:#b91c1c;${SEVERITIES.map((s) => `--sev-${s}:${SEVERITY_COLOURS[s]}`).join(';')}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",sans-serif}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem;border-bottom:3px solid var(--accent)}
h1{font-size:1.7rem;line-height:1.2;margin:.25rem 0 .5rem}
h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
p,li,dd,h1,h2,h3,figcaption{overflow-wrap:anywhere}
.meta,figcaption,footer{color:var(--muted);font-size:.9rem}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em;background:var(--soft);padding:0 .2em;border-radius:3px}
.kpi{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1.25rem}
.index{margin:0;font-size:1rem}
.index strong{font-size:2.8rem;line-height:1}
.delta{margin:0;font-weight:600}
.delta-up{color:var(--up)}.delta-down{color:var(--down)}.delta-flat,.delta-first{color:var(--muted)}
figure{margin:1rem 0}
svg.chart{display:block;width:100%;max-width:36rem;height:auto}
.sev{display:inline-block;min-width:4.5em;text-align:center;padding:0 .4em;border-radius:3px;color:#fff;font-size:.8rem;font-weight:700;white-space:nowrap;-webkit-print-color-adjust:exact;print-color-adjust:exact}
${SEVERITIES.map((s) => `.sev-${s}{background:var(--sev-${s})}`).join('\n')}
.table-wrap{overflow-x:auto;max-width:100%;margin:.5rem 0 1rem}
.table-wrap:focus{outline:2px solid var(--accent);outline-offset:2px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
table.wide{min-width:46rem}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:break-word}
td code,th code,.nowrap{white-space:nowrap}
thead th{background:var(--soft);border-bottom:2px solid var(--line)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.risks{padding-left:1.5rem}
.risks>li{margin:0 0 1rem}
.risks dl{margin:.25rem 0 0;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem}
.risks dt{font-weight:600}.risks dd{margin:0}
.changes{padding-left:1.25rem}.changes li{margin:.25rem 0}
del{text-decoration-thickness:2px;color:var(--muted)}
.waiver{display:block;font-style:italic;color:var(--muted);font-size:.88rem}
.none{color:var(--muted)}
[aria-labelledby=tls-detail] details{margin:.3rem 0;border:1px solid var(--line);border-radius:4px;padding:.3rem .6rem}
[aria-labelledby=tls-detail] dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
[aria-labelledby=tls-detail] dt{color:var(--muted)}
[aria-labelledby=tls-detail] dd{margin:0;overflow-wrap:anywhere}
footer{margin-top:2rem;padding-top:.75rem;padding-bottom:2rem;border-top:1px solid var(--line)}
@media (max-width:40rem){body{font-size:15px}h1{font-size:1.4rem}.index strong{font-size:2.3rem}.risks dl{grid-template-columns:1fr}}
@media print{
@page{margin:1.5cm}
body{font-size:10.5pt;background:#fff;color:#000}
header,main,footer{max-width:none;padding:0}
header{border-bottom-width:2px}
.table-wrap{overflow:visible}
table{font-size:9pt}
thead{display:table-header-group}
tr,li,figure{break-inside:avoid}
h2,h3{break-after:avoid}
svg.chart{max-width:14cm}
}
`.trim();

const sev = (s: ReportFinding['severity'], lang: Lang) =>
  `<span class="sev sev-${e(s)}">${e(severityLabel(lang, s))}</span>`;
const where = (x: { host: string; port: number }) => `<code>${e(endpointKey(x))}</code>`;

/** The finding's title; struck through (<del>) with the waiver's reason when a waiver applies. */
function titleOf(f: ReportFinding, lang: Lang): string {
  const w = activeWaiver(f);
  return w
    ? `<del>${e(f.title)}</del><span class="waiver">${e(waiverText(w, lang))}</span>`
    : `<strong>${e(f.title)}</strong>`;
}

interface Column {
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** Kept on one line (dates). */
  nowrap?: boolean;
}

interface TableOptions {
  /** The first cell of each row heads it (default true). */
  rowHeader?: boolean;
  /** Many columns: keep a readable width and let the box scroll sideways on a phone. */
  wide?: boolean;
}

/**
 * A table in a keyboard-focusable box that scrolls sideways when the table is wider than the screen,
 * with a caption for assistive technology (the section's heading shows it already). Cells are HTML.
 */
function table(
  caption: string,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const cls = (c: Column | undefined) => {
    const names = [c?.numeric ? 'num' : '', c?.nowrap ? 'nowrap' : ''].filter(Boolean);
    return names.length ? ` class="${names.join(' ')}"` : '';
  };
  const rowHeader = options.rowHeader ?? true;
  const head = columns.map((c) => `<th scope="col"${cls(c)}>${e(c.label)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cells = r.map((cell, i) =>
        i === 0 && rowHeader
          ? `<th scope="row"${cls(columns[i])}>${cell}</th>`
          : `<td${cls(columns[i])}>${cell}</td>`,
      );
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return (
    `<div class="table-wrap" role="region" aria-label="${e(caption)}" tabindex="0">` +
    `<table${options.wide ? ' class="wide"' : ''}><caption class="visually-hidden">${e(caption)}</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
  );
}

const section = (id: string, title: string, body: string) =>
  `<section aria-labelledby="${id}">\n<h2 id="${id}">${e(title)}</h2>\n${body}\n</section>`;
const none = (text: string) => `<p class="none">${e(text)}</p>`;

/** A section holding a table of `items`, one row each, or the `noneText` sentence when there are none. */
function tableSection<T>(
  id: string,
  title: string,
  items: readonly T[],
  noneText: string,
  columns: readonly Column[],
  row: (item: T) => string[],
  options?: TableOptions,
): string {
  if (items.length === 0) return section(id, title, none(noneText));
  return section(id, title, table(title, columns, items.map(row), options));
}

function indexSection(report: PostureReport, lang: Lang): string {
  const parts: string[] = [];
  const { current } = report.posture;
  if (current) {
    const delta = describeDelta(report, lang);
    const arrow = { up: '▲', down: '▼', flat: '=', first: '•', none: '' }[delta.direction];
    parts.push(
      `<div class="kpi"><p class="index"><strong>${e(formatIndex(current.index, lang))}</strong>/100</p>` +
        `<p class="delta delta-${delta.direction}"><span aria-hidden="true">${arrow}</span> ${e(delta.text)}</p></div>`,
      `<p class="meta">${e(t(lang, 'posture-report.index.endpoints', { endpoints: current.endpoints, unassessed: current.unassessed }))}</p>`,
    );
    if (current.partial > 0)
      parts.push(`<p class="meta">${e(t(lang, 'honest.posture.partial', { partial: current.partial }))}</p>`);
  } else {
    parts.push(none(t(lang, 'posture-report.no-run')));
  }
  const values = report.posture.trend.map((p) => formatIndex(p.index, lang));
  const caption = e(
    labelled(
      lang,
      t(lang, 'posture-report.trend'),
      trendRange(report, lang) + (values.length ? ` — ${values.join(' → ')}` : ''),
    ),
  );
  const chart = postureTrendChart(report, lang);
  parts.push(
    chart === undefined
      ? `<p class="meta">${caption}</p>`
      : `<figure>${chart}<figcaption>${caption}</figcaption></figure>`,
  );
  return section('index', t(lang, 'posture-report.index'), parts.join('\n'));
}

function countsSection(report: PostureReport, lang: Lang): string {
  const title = t(lang, 'posture-report.counts');
  const labels = Object.fromEntries(SEVERITIES.map((s) => [s, severityLabel(lang, s)])) as Record<
    (typeof SEVERITIES)[number],
    string
  >;
  const chart = severityBars(report.counts, { id: 'severity-chart', title, labels });
  const tableHtml = table(
    title,
    SEVERITY_ORDER.map((s) => ({ label: labels[s], numeric: true })),
    [SEVERITY_ORDER.map((s) => e(report.counts[s]))],
    { rowHeader: false },
  );
  const discovered = discoveryLine(report, lang);
  return section(
    'counts',
    title,
    `<figure>${chart}</figure>\n${tableHtml}${discovered ? `\n<p class="discovery">${e(discovered)}</p>` : ''}`,
  );
}

function risksSection(report: PostureReport, lang: Lang): string {
  const title = t(lang, 'posture-report.top-risks');
  if (report.topRisks.length === 0)
    return section('risks', title, none(t(lang, 'posture-report.top-risks.none')));
  const items = report.topRisks.map(
    (f) =>
      `<li><p>${sev(f.severity, lang)} ${titleOf(f, lang)}</p>` +
      `<p class="meta">${where(f)} · <code>${e(f.checkId)}</code> · ${e(labelled(lang, t(lang, 'posture-report.col.owner'), ownerText(f.owner, lang)))}${f.assetName ? ` (${e(f.assetName)})` : ''}</p>` +
      `<dl><dt>${e(t(lang, 'finding.evidence'))}</dt><dd>${e(f.evidence)}</dd>` +
      `<dt>${e(t(lang, 'finding.remediation'))}</dt><dd>${e(f.remediation)}</dd></dl></li>`,
  );
  return section('risks', title, `<ol class="risks">\n${items.join('\n')}\n</ol>`);
}

function changesSection(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  const groups = [
    ['new', 'posture-report.changes.new', report.changes.new],
    ['regressed', 'posture-report.changes.regressed', report.changes.regressed],
    ['resolved', 'posture-report.changes.resolved', report.changes.resolved],
  ] as const;
  const body = groups.map(([id, key, list]) => {
    const count = listCount(list, detail?.totals?.changes[id]);
    const heading = `<h3 id="changes-${id}">${e(t(lang, key, { count }))}</h3>`;
    if (list.length === 0) return `${heading}\n${none(t(lang, 'posture-report.none'))}`;
    const shown = summaryRows(list, detail);
    const items = shown.map((f) => {
      const resolved = f.resolvedAt
        ? ` · ${e(t(lang, 'posture-report.resolved-at', { date: formatDate(f.resolvedAt) }))}`
        : '';
      return `<li>${sev(f.severity, lang)} ${titleOf(f, lang)} <span class="meta">${where(f)} · <code>${e(f.checkId)}</code> · ${e(ownerText(f.owner, lang))}${resolved}</span></li>`;
    });
    return `${heading}\n${detailNote(count, shown.length, detail, lang)}<ul class="changes">\n${items.join('\n')}\n</ul>`;
  });
  return section(
    'changes',
    t(lang, 'posture-report.changes', { since: formatDate(report.since) }),
    body.join('\n'),
  );
}

function certificatesSection(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  const count = listCount(report.expiringCertificates, detail?.totals?.certificates);
  const shown = report.expiringCertificates.length;
  const note =
    detail && count > shown
      ? `${none(t(lang, 'report-mem.certificates-summary', { count, shown, file: detail.file }))}\n`
      : '';
  const made = tableSection(
    'certificates',
    t(lang, 'posture-report.certificates'),
    report.expiringCertificates,
    t(lang, 'posture-report.certificates.none'),
    [
      { label: t(lang, 'posture-report.col.endpoint') },
      { label: t(lang, 'posture-report.col.subject') },
      { label: t(lang, 'posture-report.col.not-after'), nowrap: true },
      { label: t(lang, 'posture-report.col.days-left'), numeric: true },
      { label: t(lang, 'posture-report.col.owner') },
    ],
    (c) => [
      where(c),
      e(c.subject),
      e(formatDate(c.notAfter)),
      e(daysLeftText(c.daysLeft, lang)),
      e(ownerText(c.owner, lang)),
    ],
  );
  // The note goes before the table, after the heading.
  return note ? made.replace('</h2>\n', `</h2>\n${note}`) : made;
}

/** One collapsible block per TLS endpoint: grade, versions, suites, groups, certificate, profile verdicts. */
function* tlsSection(report: PostureReport, lang: Lang, detail?: ReportDetail): Generator<string> {
  const withTls = report.endpoints.filter((x) => x.tlsDetail !== undefined);
  const tlsTotals = detail?.totals?.tls;
  if (withTls.length === 0 && !tlsTotals?.endpoints) {
    yield '';
    return;
  }
  // section(id, title, blocks.join('\n')), one block at a time: one per endpoint of the estate.
  yield `<section aria-labelledby="tls-detail">\n<h2 id="tls-detail">${e(t(lang, 'tls.detail.title'))}</h2>\n`;
  if (detail && tlsTotals) yield `${tlsCounts(tlsTotals, withTls.length, detail.file, lang)}\n`;
  let first = true;
  for (const x of withTls) {
    const tls = x.tlsDetail!;
    const grade = x.tlsGrade
      ? x.tlsGrade.grade === 'not-evaluated'
        ? t(lang, 'tls-profile.not-evaluated')
        : x.tlsGrade.grade
      : '—';
    const rows = tlsDetailRows(tls, lang)
      .map((r) => `<dt>${e(r.label)}</dt><dd>${e(r.value)}</dd>`)
      .join('');
    yield `${first ? '' : '\n'}<details><summary>${e(endpointKey(x))} — ${e(t(lang, 'tls.detail.grade'))} ${e(grade)}</summary><dl>${rows}</dl></details>`;
    first = false;
  }
  yield '\n</section>';
}

/** A large estate's TLS endpoints: how many, by grade and by profile, and where the rest is. */
function tlsCounts(totals: TlsTotals, shown: number, file: string, lang: Lang): string {
  const gradeText = (grade: string) =>
    grade === 'not-evaluated'
      ? t(lang, 'tls-profile.not-evaluated')
      : grade === '—'
        ? t(lang, 'report-mem.no-grade')
        : grade;
  const parts = [
    none(t(lang, 'report-mem.tls-summary', { count: totals.endpoints, shown, file })),
    `<h3 id="tls-grades">${e(t(lang, 'report-mem.tls-grades'))}</h3>`,
    table(
      t(lang, 'report-mem.tls-grades'),
      [
        { label: t(lang, 'report-mem.col.grade') },
        { label: t(lang, 'posture-report.col.endpoints'), numeric: true },
      ],
      totals.grades.map((g) => [e(gradeText(g.grade)), e(g.endpoints)]),
    ),
  ];
  if (totals.profiles.length > 0)
    parts.push(
      `<h3 id="tls-profiles">${e(t(lang, 'report-mem.tls-profiles'))}</h3>`,
      table(
        t(lang, 'report-mem.tls-profiles'),
        [
          { label: t(lang, 'report-mem.col.profile') },
          { label: t(lang, 'report-mem.col.conformant'), numeric: true },
          { label: t(lang, 'report-mem.col.nonconformant'), numeric: true },
          { label: t(lang, 'report-mem.col.unknown'), numeric: true },
        ],
        totals.profiles.map((p) => [
          `<code>${e(p.profile)}</code>`,
          e(p.conformant),
          e(p.nonconformant),
          e(p.unknown),
        ]),
      ),
    );
  return parts.join('\n');
}

function domainsSection(report: PostureReport, lang: Lang): string {
  const title = t(lang, 'posture-report.domains');
  const domains = report.domains ?? [];
  if (domains.length === 0) return section('domains', title, none(t(lang, 'posture-report.domains.none')));
  const missing = t(lang, 'posture-report.domains.missing');
  return section(
    'domains',
    title,
    table(
      title,
      [
        { label: t(lang, 'posture-report.col.domain') },
        { label: 'SPF' },
        { label: 'DMARC' },
        { label: 'DNSSEC', nowrap: true },
        { label: 'CAA' },
        { label: 'MTA-STS', nowrap: true },
        { label: t(lang, 'posture-report.col.mx') },
        { label: t(lang, 'posture-report.col.open-findings'), numeric: true },
        { label: t(lang, 'posture-report.col.owner') },
      ],
      domains.map((d) => [
        e(d.domain),
        `<code>${e(d.spf ?? missing)}</code>`,
        `<code>${e(d.dmarc ?? missing)}</code>`,
        e(dnssecText(d.dnssec, lang)),
        e(d.caa.length ? d.caa.join(', ') : missing),
        e(d.mtaSts ?? missing),
        e(d.mx.join(', ') || '—'),
        e(String(d.open)),
        e(ownerText(d.owner, lang)),
      ]),
    ),
  );
}

function ownersSection(report: PostureReport, lang: Lang): string {
  return tableSection(
    'owners',
    t(lang, 'posture-report.owners'),
    report.owners,
    t(lang, 'posture-report.none'),
    [
      { label: t(lang, 'posture-report.col.owner') },
      { label: t(lang, 'posture-report.col.index'), numeric: true },
      { label: t(lang, 'posture-report.col.endpoints'), numeric: true },
      ...SEVERITY_ORDER.map((s) => ({ label: severityLabel(lang, s), numeric: true })),
    ],
    (o) => [
      e(o.owner),
      e(formatIndex(o.index, lang)),
      e(o.endpoints),
      ...SEVERITY_ORDER.map((s) => e(o.open[s])),
    ],
    { wide: true },
  );
}

function categoriesSection(report: PostureReport, lang: Lang): string {
  return tableSection(
    'categories',
    t(lang, 'posture-report.categories'),
    report.categories,
    t(lang, 'posture-report.none'),
    [
      { label: t(lang, 'posture-report.col.category') },
      { label: t(lang, 'posture-report.col.index'), numeric: true },
      { label: t(lang, 'posture-report.col.open'), numeric: true },
    ],
    (c) => [e(t(lang, `posture-report.category.${c.category}`)), e(categoryIndexText(c, lang)), e(c.open)],
  );
}

function waiversSection(report: PostureReport, lang: Lang): string {
  return tableSection(
    'waivers',
    t(lang, 'posture-report.waivers'),
    report.waivers,
    t(lang, 'posture-report.waivers.none'),
    [
      { label: t(lang, 'posture-report.col.finding') },
      { label: t(lang, 'posture-report.col.endpoint') },
      { label: t(lang, 'posture-report.col.reason') },
      { label: t(lang, 'posture-report.col.until'), nowrap: true },
      { label: t(lang, 'posture-report.col.by') },
    ],
    (w) => [
      `<del>${e(w.title)}</del> <code>${e(w.checkId)}</code>`,
      where(w),
      e(w.reason),
      e(formatDate(w.until)),
      e(w.by),
    ],
    { wide: true },
  );
}

/** The note of a summarised list: how many are shown, and the CSV with all of them. */
function detailNote(count: number, shown: number, detail: ReportDetail | undefined, lang: Lang): string {
  if (!detail || shown === count) return '';
  return `${none(t(lang, 'memory.detail-in-csv', { shown, count, file: detail.file }))}\n`;
}

function findingsSection(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  const all = [...report.findings].sort(bySeriousness);
  const count = listCount(all, detail?.totals?.findings);
  const title = t(lang, 'posture-report.findings', { count });
  if (all.length === 0) return section('findings', title, none(t(lang, 'posture-report.findings.none')));
  const findings = summaryRows(all, detail);
  return section(
    'findings',
    title,
    detailNote(count, findings.length, detail, lang) +
      table(
        title,
        [
          { label: t(lang, 'posture-report.col.severity') },
          { label: t(lang, 'posture-report.col.finding') },
          { label: t(lang, 'posture-report.col.endpoint') },
          { label: t(lang, 'finding.evidence') },
          { label: t(lang, 'posture-report.col.owner') },
          { label: t(lang, 'posture-report.col.first-seen'), nowrap: true },
        ],
        findings.map((f) => [
          sev(f.severity, lang),
          `${titleOf(f, lang)} <code>${e(f.checkId)}</code>`,
          where(f),
          e(f.evidence),
          e(ownerText(f.owner, lang)),
          e(formatDate(f.firstSeen)),
        ]),
        { wide: true },
      ),
  );
}

/**
 * The posture report as ONE self-contained HTML page: inline CSS and inline SVG charts, no script, no
 * font, image or style fetched from anywhere (a Content-Security-Policy forbids it besides), readable on
 * a phone (tables scroll sideways in their own box), printable, and accessible (one h1, h2 per section,
 * table headers, charts with a title and a text alternative). Waived findings are struck through
 * (<del>) with their reason. Every value from the report is HTML-escaped.
 */
export function renderReportHtml(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  let out = '';
  writeReportHtml(report, lang, detail, (piece) => {
    out += piece;
  });
  return out;
}

/**
 * {@link renderReportHtml} in pieces of about 64 KiB, the same bytes: the TLS detail of a large estate
 * (one block per endpoint) is never one string.
 */
export function writeReportHtml(
  report: PostureReport,
  lang: Lang,
  detail: ReportDetail | undefined,
  write: (piece: string) => void,
): void {
  const gathered = gatherPieces(write);
  for (const piece of htmlPieces(report, lang, detail)) gathered.write(piece);
  gathered.end();
}

function* htmlPieces(report: PostureReport, lang: Lang, detail: ReportDetail | undefined): Generator<string> {
  const title = t(lang, 'posture-report.title', { organisation: report.organisation });
  const dateline = reportDateline(report, lang);
  yield `<!DOCTYPE html>
<html lang="${e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="vigie">
<title>${e(title)}</title>
<style>
${CSS}
</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="meta">${e(dateline.generated)}<br>${e(dateline.latestRun)}</p>
</header>
<main>
`;
  const sections: (() => string | Generator<string>)[] = [
    () => indexSection(report, lang),
    () => countsSection(report, lang),
    () => risksSection(report, lang),
    () => changesSection(report, lang, detail),
    () => certificatesSection(report, lang, detail),
    () => tlsSection(report, lang, detail),
    () => domainsSection(report, lang),
    () => ownersSection(report, lang),
    () => categoriesSection(report, lang),
    () => waiversSection(report, lang),
    () => findingsSection(report, lang, detail),
  ];
  for (const [i, make] of sections.entries()) {
    if (i > 0) yield '\n';
    const made = make();
    if (typeof made === 'string') yield made;
    else yield* made;
  }
  yield `
</main>
<footer><p>${e(t(lang, 'posture-report.footer'))}</p></footer>
</body>
</html>
`;
}
