import {
  endpointKey,
  SEVERITIES,
  type EndpointResult,
  type ScanResultView,
  type Severity,
} from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { gradeText } from './report-format.js';
import { endpointStatusText } from './render-text.js';
import { tlsSummaryLines } from './tls-detail.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A scan as a Markdown report: summary table, then findings grouped by endpoint. */
export function renderScanMarkdown(result: ScanResultView, lang: Lang): string {
  let text = '';
  writeScanMarkdown(result, lang, (piece) => {
    text += piece;
  });
  return text;
}

/**
 * {@link renderScanMarkdown} in pieces of about 64 KiB, the same bytes: the endpoints and findings are
 * read again for each part (a scan spooled to disk is never held whole; the table's counts take one
 * pass over the findings, held per endpoint).
 */
export function writeScanMarkdown(result: ScanResultView, lang: Lang, write: (piece: string) => void): void {
  for (const piece of scanMarkdownPieces(result, lang)) write(piece);
}

/** {@link writeScanMarkdown}'s pieces, one at a time (a writer that must wait for each can). */
export function* scanMarkdownPieces(result: ScanResultView, lang: Lang): Generator<string> {
  // The document ends trimmed and with one line break: trailing blanks are held until text follows.
  let buffer = '';
  let first = true;
  for (const line of scanMarkdownLines(result, lang)) {
    buffer += first ? line : `\n${line}`;
    first = false;
    if (buffer.length < 65_536) continue;
    const kept = buffer.trimEnd();
    if (kept.length === 0) continue;
    yield kept;
    buffer = buffer.slice(kept.length);
  }
  yield `${buffer.trimEnd()}\n`;
}

/** Endpoints worth a row, one at a time, read again at each iteration. */
function* shownOf(result: ScanResultView): Generator<EndpointResult> {
  for (const e of result.endpoints) if (!e.closed) yield e;
}

function* scanMarkdownLines(result: ScanResultView, lang: Lang): Generator<string> {
  yield* [`# ${t(lang, 'report.title', { id: result.run.id })}`, ''];
  yield* [
    t(lang, 'report.generated', {
      startedAt: result.run.startedAt,
      finishedAt: result.run.finishedAt,
      scoringVersion: result.run.scoringVersion,
    }),
    '',
  ];
  yield* [`## ${t(lang, 'report.endpoints')}`, ''];
  yield `| ${t(lang, 'scan.summary.endpoint')} | ${t(lang, 'scan.summary.status')} | ${ORDER.map((s) => severityLabel(lang, s)).join(' | ')} | ${t(lang, 'honest.scan.summary.tls')} | ${t(lang, 'scan.summary.http')} |`;
  yield `|---|---|${ORDER.map(() => '---:').join('|')}|---|---|`;
  const counts = new Map<string, Partial<Record<Severity, number>>>();
  for (const f of result.findings) {
    const row = counts.get(endpointKey(f)) ?? {};
    row[f.severity] = (row[f.severity] ?? 0) + 1;
    counts.set(endpointKey(f), row);
  }
  let shown = 0;
  for (const e of shownOf(result)) {
    shown += 1;
    const mine = counts.get(endpointKey(e)) ?? {};
    yield `| ${cell(endpointKey(e))} | ${endpointStatusText(e, lang)} | ${ORDER.map((s) => mine[s] || '·').join(' | ')} | ${gradeText(e.tls?.grade, lang)} | ${gradeText(e.http?.grade, lang)} |`;
  }
  counts.clear();
  const closed = result.endpoints.length - shown;
  if (closed > 0) yield* ['', t(lang, 'scan.summary.closed', { count: closed })];
  let titled = false;
  for (const e of shownOf(result)) {
    for (const l of tlsSummaryLines([e], lang)) {
      if (!titled) yield* ['', `### ${t(lang, 'tls.detail.title')}`, ''];
      titled = true;
      yield `- \`${endpointKey(l.endpoint)}\` ${cell(l.text)}`;
    }
  }
  titled = false;
  for (const e of shownOf(result)) {
    if (!e.errors?.length) continue;
    if (!titled) yield* ['', t(lang, 'scan.partial.title'), ''];
    titled = true;
    for (const f of e.errors) yield `- \`${endpointKey(e)}\` ${f.category} : ${f.reason} — ${cell(f.detail)}`;
  }
  yield* ['', `## ${t(lang, 'report.findings')}`, ''];
  if (result.findings.length === 0) yield t(lang, 'scan.findings.none');
  for (const f of result.findings) {
    yield* [`### ${cell(f.title)} — \`${endpointKey(f)}\``, ''];
    yield `- **${t(lang, 'table.severity')}** : ${severityLabel(lang, f.severity)} · \`${f.checkId}\` · \`${f.fingerprint}\``;
    yield `- **${t(lang, 'finding.evidence')}** : ${f.evidence}`;
    yield `- **${t(lang, 'finding.remediation')}** : ${f.remediation}`;
    if (f.references.length) yield `- **${t(lang, 'report.references')}** : ${f.references.join(', ')}`;
    if (f.playbook) yield `- **${t(lang, 'report.playbook')}** : ${f.playbook}`;
    yield '';
  }
}
