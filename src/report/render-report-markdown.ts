import { listCount, summaryRows, type ReportDetail } from './large-estate.js';
import { discoveryLine } from './discovery-line.js';
import { endpointKey, type PostureReport, type ReportFinding } from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { codeSpan, escapeMarkdown as md } from './markdown-escape.js';
import {
  SEVERITY_ORDER,
  activeWaiver,
  bySeriousness,
  daysLeftText,
  describeDelta,
  formatDate,
  reportDateline,
  formatIndex,
  columnTitles,
  categoriesTable,
  ownersTable,
  ownerText,
  labelled,
  trendRange,
  waiverText,
  dnssecText,
} from './report-format.js';
import { sparkline } from './sparkline.js';

const where = (e: { host: string; port: number }): string => codeSpan(endpointKey(e));

/** A Markdown table; cells are already Markdown. `numeric` columns are right-aligned. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/**
 * A section: its `##` heading, then a table of `items` (one row each), or the `none` sentence when
 * there are none. `title`, `none` and the headers are plain text; cells are already Markdown.
 */
function tableSection<T>(
  title: string,
  items: readonly T[],
  none: string,
  header: readonly string[],
  row: (item: T) => string[],
  numeric: readonly number[] = [],
): string[] {
  const body = items.length === 0 ? [md(none)] : table(header.map(md), items.map(row), numeric);
  return [`## ${md(title)}`, '', ...body, ''];
}

/** The finding's title, struck through with the waiver's reason when a waiver applies. */
function titleOf(f: ReportFinding, lang: Lang): string {
  const w = activeWaiver(f);
  return w ? `~~${md(f.title)}~~ — *${md(waiverText(w, lang))}*` : md(f.title);
}

const severityOf = (f: ReportFinding, lang: Lang) => `**${md(severityLabel(lang, f.severity))}**`;

/**
 * The posture report in Markdown (GitHub-flavoured): the same sections as the text report, plus
 * every open and waived finding; waived findings are struck through (`~~…~~`) with their reason.
 * Every value from the report is escaped, so a hostile evidence string stays text.
 */
export function renderReportMarkdown(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  const out: string[] = [
    `# ${md(t(lang, 'posture-report.title', { organisation: report.organisation }))}`,
    '',
  ];
  const dateline = reportDateline(report, lang);
  out.push(md(dateline.generated), '', md(dateline.latestRun), '');

  out.push(`## ${md(t(lang, 'posture-report.index'))}`, '');
  const { current } = report.posture;
  if (current) {
    out.push(
      `**${formatIndex(current.index, lang)}/100** · ${md(describeDelta(report, lang).text)}`,
      '',
      md(
        t(lang, 'posture-report.index.endpoints', {
          endpoints: current.endpoints,
          unassessed: current.unassessed,
        }),
      ),
      '',
    );
    if (current.partial > 0)
      out.push(md(t(lang, 'honest.posture.partial', { partial: current.partial })), '');
  }
  const values = report.posture.trend.map((p) => p.index);
  out.push(
    `${md(labelled(lang, t(lang, 'posture-report.trend'), ''))}${
      values.length
        ? `${codeSpan(sparkline(values))} ${values.map((v) => formatIndex(v, lang)).join(' → ')} (${md(trendRange(report, lang))})`
        : md(trendRange(report, lang))
    }`,
    '',
  );

  out.push(`## ${md(t(lang, 'posture-report.counts'))}`, '');
  out.push(
    ...table(
      SEVERITY_ORDER.map((s) => md(severityLabel(lang, s))),
      [SEVERITY_ORDER.map((s) => String(report.counts[s]))],
      SEVERITY_ORDER.map((_, i) => i),
    ),
    '',
  );
  const discovered = discoveryLine(report, lang);
  if (discovered) out.push(md(discovered), '');

  out.push(`## ${md(t(lang, 'posture-report.top-risks'))}`, '');
  if (report.topRisks.length === 0) out.push(md(t(lang, 'posture-report.top-risks.none')), '');
  report.topRisks.forEach((f, i) => {
    out.push(
      `${i + 1}. ${severityOf(f, lang)} — ${titleOf(f, lang)} — ${where(f)} · ${codeSpan(f.checkId)}`,
      `   - ${md(labelled(lang, t(lang, 'posture-report.col.owner'), ownerText(f.owner, lang)))}${f.assetName ? ` (${md(f.assetName)})` : ''}`,
      `   - ${md(labelled(lang, t(lang, 'finding.evidence'), f.evidence))}`,
      `   - ${md(labelled(lang, t(lang, 'finding.remediation'), f.remediation))}`,
    );
  });
  if (report.topRisks.length) out.push('');

  out.push(`## ${md(t(lang, 'posture-report.changes', { since: formatDate(report.since) }))}`, '');
  const groups = [
    ['posture-report.changes.new', report.changes.new, detail?.totals?.changes.new],
    ['posture-report.changes.regressed', report.changes.regressed, detail?.totals?.changes.regressed],
    ['posture-report.changes.resolved', report.changes.resolved, detail?.totals?.changes.resolved],
  ] as const;
  for (const [key, list, total] of groups) {
    const count = listCount(list, total);
    out.push(`### ${md(t(lang, key, { count }))}`, '');
    if (list.length === 0) out.push(md(t(lang, 'posture-report.none')));
    const shown = summaryRows(list, detail);
    if (detail && shown.length < count)
      out.push(md(t(lang, 'memory.detail-in-csv', { shown: shown.length, count, file: detail.file })), '');
    for (const f of shown) {
      const resolved = f.resolvedAt
        ? ` (${md(t(lang, 'posture-report.resolved-at', { date: formatDate(f.resolvedAt) }))})`
        : '';
      out.push(
        `- ${severityOf(f, lang)} — ${titleOf(f, lang)} — ${where(f)} · ${codeSpan(f.checkId)} · ${md(ownerText(f.owner, lang))}${resolved}`,
      );
    }
    out.push('');
  }

  const certificates = listCount(report.expiringCertificates, detail?.totals?.certificates);
  const certificatesNote =
    detail && certificates > report.expiringCertificates.length
      ? md(
          t(lang, 'report-mem.certificates-summary', {
            count: certificates,
            shown: report.expiringCertificates.length,
            file: detail.file,
          }),
        )
      : undefined;
  const certificatesSection = tableSection(
    t(lang, 'posture-report.certificates'),
    report.expiringCertificates,
    t(lang, 'posture-report.certificates.none'),
    columnTitles(lang, ['endpoint', 'subject', 'not-after', 'days-left', 'owner']),
    (c) => [
      where(c),
      md(c.subject),
      md(formatDate(c.notAfter)),
      md(daysLeftText(c.daysLeft, lang)),
      md(ownerText(c.owner, lang)),
    ],
    [3],
  );
  // The note goes after the heading, before the table.
  if (certificatesNote) certificatesSection.splice(2, 0, certificatesNote, '');
  out.push(...certificatesSection);

  out.push(`## ${md(t(lang, 'posture-report.domains'))}`, '');
  const domains = report.domains ?? [];
  if (domains.length === 0) out.push(md(t(lang, 'posture-report.domains.none')));
  else {
    const missing = t(lang, 'posture-report.domains.missing');
    out.push(
      ...table(
        [
          md(t(lang, 'posture-report.col.domain')),
          'SPF',
          'DMARC',
          'DNSSEC',
          'CAA',
          'MTA-STS',
          md(t(lang, 'posture-report.col.mx')),
          md(t(lang, 'posture-report.col.open-findings')),
          md(t(lang, 'posture-report.col.owner')),
        ],
        domains.map((d) => [
          md(d.domain),
          md(d.spf ?? missing),
          md(d.dmarc ?? missing),
          md(dnssecText(d.dnssec, lang)),
          md(d.caa.length ? d.caa.join(', ') : missing),
          md(d.mtaSts ?? missing),
          md(d.mx.join(', ') || '—'),
          String(d.open),
          md(ownerText(d.owner, lang)),
        ]),
        [7],
      ),
    );
  }
  out.push('');

  const owners = ownersTable(lang);
  out.push(
    ...tableSection(
      t(lang, 'posture-report.owners'),
      report.owners,
      t(lang, 'posture-report.none'),
      owners.header,
      (o) => owners.cells(o).map(md),
      [1, 2, 3, 4, 5, 6, 7],
    ),
  );

  const categories = categoriesTable(lang);
  out.push(
    ...tableSection(
      t(lang, 'posture-report.categories'),
      report.categories,
      t(lang, 'posture-report.none'),
      categories.header,
      (c) => categories.cells(c).map(md),
      [1, 2],
    ),
  );

  out.push(
    ...tableSection(
      t(lang, 'posture-report.waivers'),
      report.waivers,
      t(lang, 'posture-report.waivers.none'),
      columnTitles(lang, ['finding', 'endpoint', 'reason', 'until', 'by']),
      (w) => [
        `~~${md(w.title)}~~ ${codeSpan(w.checkId)}`,
        where(w),
        md(w.reason),
        md(formatDate(w.until)),
        md(w.by),
      ],
    ),
  );

  const allFindings = [...report.findings].sort(bySeriousness);
  const findingCount = listCount(allFindings, detail?.totals?.findings);
  out.push(`## ${md(t(lang, 'posture-report.findings', { count: findingCount }))}`, '');
  const findings = summaryRows(allFindings, detail);
  if (detail && findings.length < findingCount)
    out.push(
      md(
        t(lang, 'memory.detail-in-csv', {
          shown: findings.length,
          count: findingCount,
          file: detail.file,
        }),
      ),
      '',
    );
  if (findings.length === 0) out.push(md(t(lang, 'posture-report.findings.none')));
  else
    out.push(
      ...table(
        [
          md(t(lang, 'posture-report.col.severity')),
          md(t(lang, 'posture-report.col.endpoint')),
          md(t(lang, 'posture-report.col.finding')),
          md(t(lang, 'finding.evidence')),
          md(t(lang, 'posture-report.col.owner')),
          md(t(lang, 'posture-report.col.first-seen')),
        ],
        findings.map((f) => [
          md(severityLabel(lang, f.severity)),
          where(f),
          `${titleOf(f, lang)} ${codeSpan(f.checkId)}`,
          md(f.evidence),
          md(ownerText(f.owner, lang)),
          md(formatDate(f.firstSeen)),
        ]),
      ),
    );
  out.push('', `*${md(t(lang, 'posture-report.footer'))}*`);
  return `${out.join('\n').trimEnd()}\n`;
}
