import {
  endpointKey,
  SEVERITIES,
  type EndpointResult,
  type Finding,
  type ScanResult,
  type ScanResultView,
  type Severity,
} from '../domain/index.js';
import { severityLabel, t, type Lang } from '../i18n/index.js';
import { textStyle, type TextStyle } from './ansi-style.js';
import { formatIndex, gradeText, labelled } from './report-format.js';
import { renderTableLines } from './table.js';
import { tlsSummaryLines } from './tls-detail.js';
import { gatherPieces } from './gather-pieces.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();
const zero = (): Record<Severity, number> => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });
/** How many findings the summary names; the rest are counted. */
export const TOP_RISKS = 5;

/** Endpoints worth a row: a default port nobody listens on is only counted. */
export const shownEndpoints = (result: ScanResult): EndpointResult[] =>
  result.endpoints.filter((e) => !e.closed);

/** {@link shownEndpoints} one at a time, read again at each iteration. */
function* shownOf(result: ScanResultView): Generator<EndpointResult> {
  for (const e of result.endpoints) if (!e.closed) yield e;
}

export interface ScanTextOptions {
  /** Every finding with its evidence and remediation before the summary (`--verbose`). */
  verbose?: boolean;
  /** ANSI colours: only for a terminal that wants them (the command decides). */
  colour?: boolean;
  /** Where the results are (report files, data directory): the summary's last lines. */
  whereabouts?: readonly string[];
  /** What to run next, as commands that work from an installed `vigie`. */
  next?: readonly string[];
}

/** An endpoint's state: « évalué en partie » when a probe family could not be evaluated. */
export function endpointStatusText(e: EndpointResult, lang: Lang): string {
  return e.status === 'assessed' && e.errors?.length
    ? t(lang, 'firstrun.status.partial')
    : t(lang, `status.${e.status}`);
}

/**
 * The terminal screen of a scan: the table by endpoint, each finding's detail only when verbose,
 * and last the summary (posture index, counts by severity, the top risks, where the results are),
 * so that what stays on screen after the scroll is what matters.
 */
export function renderScanText(result: ScanResultView, lang: Lang, opts: ScanTextOptions = {}): string {
  return [...scanTextLines(result, lang, opts)].join('\n');
}

/**
 * {@link renderScanText} in pieces of about 64 KiB, the same bytes: with every finding (`--verbose`,
 * `--output`), a large estate's screen is never one string.
 */
export function writeScanText(
  result: ScanResultView,
  lang: Lang,
  opts: ScanTextOptions,
  write: (piece: string) => void,
): void {
  const gathered = gatherPieces(write);
  let first = true;
  for (const line of scanTextLines(result, lang, opts)) {
    gathered.write(first ? line : `\n${line}`);
    first = false;
  }
  gathered.end();
}

/**
 * The lines of {@link renderScanText}, one at a time. The endpoints and findings are read again for
 * each part (the table's column widths take a pass of their own): a result read from disk is never
 * held whole.
 */
function* scanTextLines(result: ScanResultView, lang: Lang, opts: ScanTextOptions): Generator<string> {
  const style = textStyle(opts.colour ?? false);
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of result.findings) {
    const row = counts.get(endpointKey(f)) ?? zero();
    row[f.severity] += 1;
    counts.set(endpointKey(f), row);
  }
  const rowOf = (e: EndpointResult): string[] => {
    const c = counts.get(endpointKey(e)) ?? zero();
    const total = ORDER.reduce((n, s) => n + c[s], 0);
    return [
      endpointKey(e),
      endpointStatusText(e, lang),
      ...ORDER.map((s) => (c[s] ? String(c[s]) : '·')),
      String(total),
      gradeText(e.tls?.grade, lang),
      gradeText(e.http?.grade, lang),
    ];
  };
  const totals = ORDER.map((s) => String(result.summary.bySeverity[s]));
  const totalRow = ['', t(lang, 'scan.summary.total'), ...totals, String(result.summary.findings), '', ''];
  function* rows(): Generator<string[]> {
    for (const e of shownOf(result)) yield rowOf(e);
    yield totalRow;
  }
  const header = [
    t(lang, 'scan.summary.endpoint'),
    t(lang, 'scan.summary.status'),
    ...ORDER.map((s) => severityLabel(lang, s)),
    t(lang, 'scan.summary.total'),
    t(lang, 'honest.scan.summary.tls'),
    t(lang, 'scan.summary.http'),
  ];

  yield* [style.bold(t(lang, 'scan.summary.title')), ''];
  yield* renderTableLines(header, rows);
  yield '';
  let shownCount = 0;
  for (const _ of shownOf(result)) shownCount += 1;
  const closed = result.endpoints.length - shownCount;
  if (closed > 0) yield* [t(lang, 'scan.summary.closed', { count: closed }), ''];
  // Per endpoint: with --verbose, or where a TLS profile was checked (the verdicts the user asked for);
  // otherwise the summary's post-quantum count says it in one line.
  let titled = false;
  for (const e of shownOf(result)) {
    for (const l of tlsSummaryLines([e], lang)) {
      if (!opts.verbose && !l.endpoint.tls?.profiles) continue;
      if (!titled) yield t(lang, 'tls.detail.title');
      titled = true;
      yield `  ${endpointKey(l.endpoint)}  ${l.text}`;
    }
  }
  if (titled) yield '';
  titled = false;
  for (const e of shownOf(result)) {
    if (!e.errors?.length) continue;
    if (!titled) yield t(lang, 'scan.partial.title');
    titled = true;
    for (const f of e.errors) yield `  ${endpointKey(e)}  ${f.category} : ${f.reason} — ${f.detail}`;
  }
  if (titled) yield '';
  if (opts.verbose) {
    yield* [style.bold(t(lang, 'scan.findings.title')), ''];
    if (result.findings.length === 0) yield t(lang, 'scan.findings.none');
    for (const f of result.findings) {
      yield `${findingLine(f, lang, style)}  (${f.checkId})`;
      yield `    ${labelled(lang, t(lang, 'finding.evidence'), f.evidence)}`;
      yield `    ${labelled(lang, t(lang, 'finding.remediation'), f.remediation)}`;
    }
    yield '';
  }
  yield* renderScanSummary(result, lang, { ...opts, style });
}

const findingLine = (f: Finding, lang: Lang, style: TextStyle) =>
  `${style.severity(f.severity, `[${severityLabel(lang, f.severity).toUpperCase()}]`)} ${endpointKey(f)}  ${f.title}`;

/** The summary screen alone: what `--quiet` leaves out and what every other mode ends with. */
export function renderScanSummary(
  result: ScanResultView,
  lang: Lang,
  opts: ScanTextOptions & { style?: TextStyle } = {},
): string[] {
  const style = opts.style ?? textStyle(opts.colour ?? false);
  const s = result.summary;
  const out: string[] = [style.bold(t(lang, 'firstrun.summary.title'))];
  if (result.posture)
    out.push(`  ${t(lang, 'firstrun.summary.index', { index: formatIndex(result.posture.index, lang) })}`);
  const bySeverity = ORDER.map((v) => style.severity(v, `${s.bySeverity[v]} ${severityLabel(lang, v)}`)).join(
    ' · ',
  );
  out.push(`  ${t(lang, 'firstrun.summary.findings', { bySeverity, total: s.findings })}`);
  let shown = 0;
  let partial = 0;
  let failed = 0;
  // Post-quantum ready (hybrid group accepted) among the endpoints where it was observed.
  let pqReady = 0;
  let pqObserved = 0;
  for (const e of shownOf(result)) {
    shown += 1;
    if (e.status === 'assessed' && e.errors?.length) partial += 1;
    if (e.status !== 'assessed') failed += 1;
    const pq = e.tls?.postQuantum;
    if (typeof pq === 'boolean') {
      pqObserved += 1;
      if (pq) pqReady += 1;
    }
  }
  out.push(
    `  ${t(lang, 'firstrun.summary.endpoints', {
      shown,
      assessed: shown - partial - failed,
      partial,
      failed,
    })}`,
  );
  if (pqObserved > 0)
    out.push(`  ${t(lang, 'merge.summary.post-quantum', { ready: pqReady, observed: pqObserved })}`);
  const top: Finding[] = [];
  for (const f of result.findings) {
    if (top.length >= TOP_RISKS) break;
    if (f.severity !== 'info') top.push(f);
  }
  if (top.length > 0) {
    out.push(`  ${t(lang, 'firstrun.summary.top')}`);
    for (const f of top) out.push(`    ${findingLine(f, lang, style)}`);
    const more = result.findings.length - top.length;
    if (more > 0) out.push(`    ${style.dim(t(lang, 'firstrun.summary.more', { count: more }))}`);
  } else if (result.findings.length === 0) out.push(`  ${t(lang, 'scan.findings.none')}`);
  const seconds = ((Date.parse(result.run.finishedAt) - Date.parse(result.run.startedAt)) / 1000).toFixed(1);
  out.push(
    `  ${style.dim(
      t(lang, 'scan.run', {
        id: result.run.id,
        endpoints: result.summary.endpoints,
        findings: result.summary.findings,
        duration: seconds,
      }),
    )}`,
  );
  for (const line of opts.whereabouts ?? []) out.push(`  ${line}`);
  if (opts.next?.length) {
    out.push(`  ${t(lang, 'firstrun.summary.next')}`);
    for (const line of opts.next) out.push(`    ${line}`);
  }
  return out;
}
