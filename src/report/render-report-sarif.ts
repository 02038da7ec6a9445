import { SEVERITIES, type PostureReport, type ReportFinding, type Severity } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { activeWaiver, bySeriousness, labelled } from './report-format.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** vigie's version, for `tool.driver.version` (omitted when not given). */
  toolVersion?: string;
}

type Level = 'error' | 'warning' | 'note';

const LEVEL: Readonly<Record<Severity, Level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads `security-severity` (0–10, as a string): ≥ 9 critical, ≥ 7 high, ≥ 4 medium. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/**
 * The endpoint as a URI: `https://host:port/` for TLS and HTTP findings (`http://` on port 80),
 * `dns:domain` (RFC 4501) for DNS and mail findings, `tcp://host:port` for services and scan health.
 */
export function endpointUri(f: Pick<ReportFinding, 'host' | 'port' | 'category'>): string {
  const host = f.host.includes(':') ? `[${f.host}]` : encodeURIComponent(f.host);
  if (f.category === 'dns') return `dns:${host}`;
  if (f.category === 'tls' || f.category === 'http')
    return `${f.category === 'http' && f.port === 80 ? 'http' : 'https'}://${host}:${f.port}/`;
  return `tcp://${host}:${f.port}`;
}

const firstUrl = (refs: readonly string[]) => refs.find((r) => /^https?:\/\/\S+$/.test(r));

function rule(checkId: string, findings: readonly ReportFinding[], lang: Lang) {
  // findings are sorted most serious first: the first one names the rule and sets its default level.
  const [first] = findings;
  if (!first) throw new Error(`no finding for rule ${checkId}`);
  const remediationLabel = t(lang, 'finding.remediation');
  const references = first.references.length
    ? `\n\n${labelled(lang, t(lang, 'report.references'), first.references.join(', '))}`
    : '';
  const helpUri = firstUrl(first.references);
  return {
    id: checkId,
    shortDescription: { text: first.title },
    fullDescription: { text: `${first.title}. ${labelled(lang, remediationLabel, first.remediation)}` },
    help: {
      text: `${first.remediation}${references}`,
      markdown: `${labelled(lang, `**${remediationLabel}**`, first.remediation)}${references}`,
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[first.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[first.severity],
      severity: first.severity,
      category: first.category,
      tags: ['security', first.category],
      ...(first.playbook ? { playbook: first.playbook } : {}),
    },
  };
}

function result(f: ReportFinding, ruleIndex: number) {
  const w = activeWaiver(f);
  return {
    ruleId: f.checkId,
    ruleIndex,
    kind: 'fail',
    level: LEVEL[f.severity],
    message: { text: `${f.title} — ${f.evidence}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: endpointUri(f) } } }],
    partialFingerprints: { 'vigie/v1': f.fingerprint },
    ...(w ? { suppressions: [{ kind: 'external', status: 'accepted', justification: w.reason }] } : {}),
    properties: {
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
      status: f.status,
      category: f.category,
      host: f.host,
      port: f.port,
      ...(f.assetId ? { assetId: f.assetId } : {}),
      ...(f.owner ? { owner: f.owner } : {}),
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      ...(w ? { waiver: { reason: w.reason, until: w.until, by: w.by } } : {}),
    },
  };
}

/** The SARIF log around its results: `results` is the results array, or what stands in for it. */
function sarifLog(report: PostureReport, rules: readonly object[], results: unknown, options: SarifOptions) {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vigie',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules,
          },
        },
        ...(report.latestRun
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  startTimeUtc: report.latestRun.startedAt,
                  endTimeUtc: report.latestRun.finishedAt,
                },
              ],
            }
          : {}),
        automationDetails: { id: `vigie/posture/${report.latestRun?.id ?? 'none'}` },
        language: report.lang,
        columnKind: 'unicodeCodePoints',
        results,
        properties: {
          organisation: report.organisation,
          scoringVersion: report.scoringVersion,
          generatedAt: report.generatedAt,
          postureIndex: report.posture.current?.index ?? null,
          counts: Object.fromEntries(SEVERITIES.map((s) => [s, report.counts[s]])),
        },
      },
    ],
  };
}

/**
 * The open and waived findings as SARIF 2.1.0: one run of the `vigie` driver, one rule per check ID
 * (text from the findings, `security-severity` for code-scanning dashboards), one result per finding
 * with `ruleId` = check ID, `partialFingerprints["vigie/v1"]` = the finding's fingerprint and the
 * endpoint as its artifact URI; waived findings carry an external, accepted suppression with the reason.
 */
export function renderReportSarif(report: PostureReport, lang: Lang, options: SarifOptions = {}): string {
  const sorted = [...report.findings].sort(bySeriousness);
  const byCheck = new Map<string, ReportFinding[]>();
  for (const f of sorted) byCheck.set(f.checkId, [...(byCheck.get(f.checkId) ?? []), f]);
  const ids = [...byCheck.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => rule(id, byCheck.get(id) ?? [], lang));
  const results = sorted.map((f) => result(f, index.get(f.checkId) ?? -1));
  return `${JSON.stringify(sarifLog(report, rules, results, options), null, 2)}\n`;
}

/** Stands in for the results in the frame's JSON, to be cut out. */
const RESULTS_HOLE = '\u0000vigie-sarif-results\u0000';
/** The depth of a result in the log: { runs: [ { results: [ here ] } ] }. */
const RESULT_INDENT = ' '.repeat(8);

/** What surrounds the results of a SARIF log written piece by piece ({@link renderReportSarif}'s bytes). */
export interface SarifFrame {
  /** Everything before the results array (it ends with `"results": `). */
  head: string;
  /** Everything after the results array, the final line break included. */
  tail: string;
  /** A check's rule index (its place among the check IDs sorted). */
  ruleIndex: ReadonlyMap<string, number>;
}

/**
 * The SARIF log of `report` without its results, for a writer that gives the results one by one
 * ({@link renderSarifResult}, then {@link renderSarifResultsEnd}) in {@link bySeriousness} order.
 * `mostSerious` holds, per check ID, its most serious finding (the first in that order): it names the rule.
 */
export function renderSarifFrame(
  report: PostureReport,
  mostSerious: ReadonlyMap<string, ReportFinding>,
  lang: Lang,
  options: SarifOptions = {},
): SarifFrame {
  const ids = [...mostSerious.keys()].sort();
  const rules = ids.map((id) => rule(id, [mostSerious.get(id)!], lang));
  const text = `${JSON.stringify(sarifLog(report, rules, RESULTS_HOLE, options), null, 2)}\n`;
  const hole = JSON.stringify(RESULTS_HOLE);
  const at = text.indexOf(hole);
  return {
    head: text.slice(0, at),
    tail: text.slice(at + hole.length),
    ruleIndex: new Map(ids.map((id, i) => [id, i])),
  };
}

/** The `position`-th result (from 0) of a SARIF log written piece by piece, with what precedes it. */
export function renderSarifResult(f: ReportFinding, ruleIndex: number, position: number): string {
  const text = JSON.stringify(result(f, ruleIndex), null, 2).replace(/\n/g, `\n${RESULT_INDENT}`);
  return `${position === 0 ? '[' : ','}\n${RESULT_INDENT}${text}`;
}

/** What closes the results of a SARIF log written piece by piece, after `count` results. */
export function renderSarifResultsEnd(count: number): string {
  return count === 0 ? '[]' : `\n${' '.repeat(6)}]`;
}
