import { listCount, summaryRows, type ReportDetail } from './large-estate.js';
import { discoveryLine } from './discovery-line.js';
import { endpointKey, type PostureReport, type ReportFinding } from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import {
  SEVERITY_ORDER,
  activeWaiver,
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
  plainText,
  trendRange,
  waiverText,
} from './report-format.js';
import { sparkline } from './sparkline.js';
import { renderTable } from './table.js';

const where = (e: { host: string; port: number }): string => plainText(endpointKey(e));
const heading = (text: string): string[] => ['', text, '─'.repeat(text.length)];

/** A table of `items`, one row each, or the `none` sentence when there are none. */
function tableOrNone<T>(
  items: readonly T[],
  none: string,
  header: readonly string[],
  row: (item: T) => string[],
): string {
  return items.length === 0 ? none : renderTable(header, items.map(row));
}

function findingLine(f: ReportFinding, lang: Lang): string {
  const waived = activeWaiver(f) ? ` [${t(lang, 'posture-report.waived.tag')}]` : '';
  return `[${severityLabel(lang, f.severity)}] ${where(f)}  ${plainText(f.title)}  (${plainText(f.checkId)})${waived} — ${plainText(ownerText(f.owner, lang))}`;
}

/**
 * The posture report for a terminal: index with its delta and a sparkline of the trend, counts by
 * severity, top risks with owner and remediation, what changed, expiring certificates, per-owner and
 * per-category tables, and waivers. Every value is flattened to one line of plain text.
 */
export function renderReportText(report: PostureReport, lang: Lang, detail?: ReportDetail): string {
  const title = plainText(t(lang, 'posture-report.title', { organisation: report.organisation }));
  const out: string[] = [title, '═'.repeat(title.length), ''];
  const dateline = reportDateline(report, lang);
  out.push(plainText(dateline.generated), plainText(dateline.latestRun));

  out.push(...heading(t(lang, 'posture-report.index')));
  const { current } = report.posture;
  if (current) {
    out.push(`${formatIndex(current.index, lang)}/100   ${describeDelta(report, lang).text}`);
    out.push(
      t(lang, 'posture-report.index.endpoints', {
        endpoints: current.endpoints,
        unassessed: current.unassessed,
      }),
    );
    if (current.partial > 0) out.push(t(lang, 'honest.posture.partial', { partial: current.partial }));
  } else {
    out.push('—');
  }
  const values = report.posture.trend.map((p) => p.index);
  out.push(
    `${labelled(lang, t(lang, 'posture-report.trend'), '')}${
      values.length
        ? `${sparkline(values)}  ${values.map((v) => formatIndex(v, lang)).join(' → ')}  (${trendRange(report, lang)})`
        : trendRange(report, lang)
    }`,
  );

  out.push(...heading(t(lang, 'posture-report.counts')));
  out.push(
    renderTable(
      SEVERITY_ORDER.map((s) => severityLabel(lang, s)),
      [SEVERITY_ORDER.map((s) => String(report.counts[s]))],
    ),
  );
  const discovered = discoveryLine(report, lang);
  if (discovered) out.push(discovered);

  out.push(...heading(t(lang, 'posture-report.top-risks')));
  if (report.topRisks.length === 0) out.push(t(lang, 'posture-report.top-risks.none'));
  report.topRisks.forEach((f, i) => {
    out.push(
      `${String(i + 1).padStart(2)}. [${severityLabel(lang, f.severity).toUpperCase()}] ${where(f)}  ${plainText(f.title)}  (${plainText(f.checkId)})`,
      `    ${labelled(lang, t(lang, 'posture-report.col.owner'), plainText(ownerText(f.owner, lang)))}${f.assetName ? ` · ${plainText(f.assetName)}` : ''}`,
      `    ${labelled(lang, t(lang, 'finding.evidence'), plainText(f.evidence))}`,
      `    ${labelled(lang, t(lang, 'finding.remediation'), plainText(f.remediation))}`,
    );
  });

  out.push(...heading(t(lang, 'posture-report.changes', { since: formatDate(report.since) })));
  const groups = [
    ['posture-report.changes.new', report.changes.new, detail?.totals?.changes.new],
    ['posture-report.changes.regressed', report.changes.regressed, detail?.totals?.changes.regressed],
    ['posture-report.changes.resolved', report.changes.resolved, detail?.totals?.changes.resolved],
  ] as const;
  for (const [key, list, total] of groups) {
    const count = listCount(list, total);
    out.push(t(lang, key, { count }));
    if (list.length === 0) out.push(`  ${t(lang, 'posture-report.none')}`);
    const shown = summaryRows(list, detail);
    if (detail && shown.length < count)
      out.push(`  ${t(lang, 'memory.detail-in-csv', { shown: shown.length, count, file: detail.file })}`);
    for (const f of shown) {
      const resolved = f.resolvedAt
        ? ` (${t(lang, 'posture-report.resolved-at', { date: formatDate(f.resolvedAt) })})`
        : '';
      out.push(`  - ${findingLine(f, lang)}${resolved}`);
    }
  }

  out.push(...heading(t(lang, 'posture-report.certificates')));
  const certificates = listCount(report.expiringCertificates, detail?.totals?.certificates);
  if (detail && certificates > report.expiringCertificates.length)
    out.push(
      t(lang, 'report-mem.certificates-summary', {
        count: certificates,
        shown: report.expiringCertificates.length,
        file: detail.file,
      }),
    );
  out.push(
    tableOrNone(
      report.expiringCertificates,
      t(lang, 'posture-report.certificates.none'),
      columnTitles(lang, ['endpoint', 'subject', 'not-after', 'days-left', 'owner']),
      (c) => [
        where(c),
        plainText(c.subject),
        formatDate(c.notAfter),
        daysLeftText(c.daysLeft, lang),
        plainText(ownerText(c.owner, lang)),
      ],
    ),
  );

  const owners = ownersTable(lang);
  out.push(...heading(t(lang, 'posture-report.owners')));
  out.push(
    tableOrNone(report.owners, t(lang, 'posture-report.none'), owners.header, (o) =>
      owners.cells(o).map(plainText),
    ),
  );

  const categories = categoriesTable(lang);
  out.push(...heading(t(lang, 'posture-report.categories')));
  out.push(
    tableOrNone(report.categories, t(lang, 'posture-report.none'), categories.header, (c) =>
      categories.cells(c).map(plainText),
    ),
  );

  out.push(...heading(t(lang, 'posture-report.waivers')));
  if (report.waivers.length === 0) out.push(t(lang, 'posture-report.waivers.none'));
  for (const w of report.waivers) {
    out.push(
      `- ${plainText(w.title)} — ${where(w)} (${plainText(w.checkId)})`,
      `  ${plainText(waiverText(w, lang))}`,
    );
  }
  return `${out.join('\n')}\n`;
}
