import { endpointKey, type PostureReport, type ReportEndpoint, type ReportFinding } from '../domain/index.js';
import { t, type Lang, severityLabel } from '../i18n/index.js';
import { escapeXml as x } from './escape-xml.js';
import { activeWaiver, labelled, waiverText } from './report-format.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** JUnit wants a local date-time without zone: `2025-03-31T08:15:00`. */
const timestamp = (iso: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(iso)?.[0] ?? iso;

const attrs = (c: Counts) =>
  `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

function findingText(f: ReportFinding, lang: Lang): string {
  return [
    `[${severityLabel(lang, f.severity)}] ${f.title}`,
    labelled(lang, t(lang, 'finding.evidence'), f.evidence),
    labelled(lang, t(lang, 'finding.remediation'), f.remediation),
    `${f.fingerprint}`,
  ].join('\n');
}

function testcase(
  endpoint: ReportEndpoint,
  checkId: string,
  findings: readonly ReportFinding[],
  lang: Lang,
  counts: Counts,
): string {
  const status = endpoint.checks[checkId];
  const open = `<testcase name="${x(checkId)}" classname="${x(endpointKey(endpoint))}" time="0"`;
  counts.tests += 1;
  if (status === 'pass') return `${open}/>`;
  if (status === 'skipped') {
    counts.skipped += 1;
    return `${open}><skipped message="${x(t(lang, 'posture-report.junit.skipped'))}"/></testcase>`;
  }
  if (status === 'error' || status === undefined) {
    counts.errors += 1;
    const assessed = endpoint.status === 'assessed';
    const message = assessed
      ? t(lang, 'posture-report.junit.probe-error')
      : t(lang, 'posture-report.junit.error', { status: t(lang, `status.${endpoint.status}`) });
    return `${open}><error message="${x(message)}" type="${assessed ? 'probe-error' : x(endpoint.status)}"/></testcase>`;
  }
  const mine = findings.filter((f) => f.checkId === checkId);
  const failing = mine.filter((f) => !activeWaiver(f));
  if (mine.length > 0 && failing.length === 0) {
    // Every finding of this check is waived: accepted, so not a failure; the reason is the message.
    counts.skipped += 1;
    const reasons = mine.map((f) => waiverText(activeWaiver(f) ?? { reason: '', until: '', by: '' }, lang));
    return `${open}><skipped message="${x(reasons.join(' ; '))}"/></testcase>`;
  }
  counts.failures += 1;
  if (failing.length === 0) {
    return `${open}><failure message="${x(t(lang, 'posture-report.junit.failed'))}" type="${x(checkId)}"/></testcase>`;
  }
  const message = failing.map((f) => `${f.title} — ${f.evidence}`).join(' ; ');
  const severity = failing[0]?.severity ?? 'info';
  return `${open}><failure message="${x(message)}" type="${x(severity)}">${x(failing.map((f) => findingText(f, lang)).join('\n\n'))}</failure></testcase>`;
}

/** The test counts of a JUnit document or suite. */
export type JunitCounts = Counts;

/** No test yet. */
export const noJunitCounts = (): JunitCounts => ({ tests: 0, failures: 0, errors: 0, skipped: 0 });

/**
 * The test suite of one endpoint (`id`: its place among the report's endpoints), given its findings
 * (those of its host and port, in the report's order), its line break included, and its counts.
 */
export function renderJunitSuite(
  endpoint: ReportEndpoint,
  id: number,
  findings: readonly ReportFinding[],
  lang: Lang,
): { text: string; counts: JunitCounts } {
  const counts = noJunitCounts();
  const checkIds = Object.keys(endpoint.checks).sort();
  if (checkIds.length === 0 && endpoint.status !== 'assessed') {
    checkIds.push(endpoint.status === 'timeout' ? 'scan.timeout' : 'scan.error');
  }
  const cases = checkIds.map((checkId) => testcase(endpoint, checkId, findings, lang, counts));
  const props = [
    ['status', endpoint.status],
    ['runId', endpoint.lastRunId],
    ['assetId', endpoint.assetId],
    ['owner', endpoint.owner],
    ['tlsGrade', endpoint.tlsGrade?.grade],
    ['httpGrade', endpoint.httpGrade?.grade],
  ]
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([name, value]) => `      <property name="${x(name)}" value="${x(value)}"/>`);
  const text = [
    `  <testsuite name="${x(endpointKey(endpoint))}" id="${id}" hostname="${x(endpoint.host)}" ${attrs(counts)} time="0" timestamp="${x(timestamp(endpoint.lastScanned))}">`,
    `    <properties>\n${props.join('\n')}\n    </properties>`,
    ...cases.map((c) => `    ${c}`),
    '  </testsuite>',
    '',
  ].join('\n');
  return { text, counts };
}

/** Adds `counts` to `total`. */
export function addJunitCounts(total: JunitCounts, counts: JunitCounts): void {
  total.tests += counts.tests;
  total.failures += counts.failures;
  total.errors += counts.errors;
  total.skipped += counts.skipped;
}

/** The start of the JUnit document, before its suites: the whole document's counts are in it. */
export function renderJunitHead(
  report: Pick<PostureReport, 'organisation' | 'generatedAt'>,
  total: JunitCounts,
): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`vigie — ${report.organisation}`)}" ${attrs(total)} time="0" timestamp="${x(timestamp(report.generatedAt))}">`,
    '',
  ].join('\n');
}

/** The end of the JUnit document, after its suites. */
export const JUNIT_TAIL = '</testsuites>\n';

/**
 * JUnit XML for CI dashboards: one test suite per endpoint, one test case per check planned on it
 * (`ReportEndpoint.checks`): pass → passed, fail → <failure> with the findings' titles and evidence
 * (skipped with the reason when all its findings are waived), error → <error>, skipped → <skipped/>.
 * An endpoint that could not be assessed and has no check gets one `scan.error`/`scan.timeout` case
 * in error. Counts are summed per suite and for the whole document.
 */
export function renderReportJunit(report: PostureReport, lang: Lang): string {
  const total = noJunitCounts();
  const suites = report.endpoints.map((endpoint, id) => {
    const findings = report.findings.filter((f) => f.host === endpoint.host && f.port === endpoint.port);
    const suite = renderJunitSuite(endpoint, id, findings, lang);
    addJunitCounts(total, suite.counts);
    return suite.text;
  });
  return `${renderJunitHead(report, total)}${suites.join('')}${JUNIT_TAIL}`;
}
