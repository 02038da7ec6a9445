import {
  CRITICALITIES,
  isGraded,
  SEVERITIES,
  type NotEvaluatedGrade,
  type PostureReport,
  type ReportFinding,
  type Severity,
  type Waiver,
} from '../domain/index.js';
import { severityLabel, t, type Lang, type MessageKey } from '../i18n/index.js';

/** Most serious first: the order every posture table and list uses. */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** An index value (0–100, one decimal) with the language's decimal separator: `72,5` / `72.5`. */
export function formatIndex(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
}

/** A signed change: `+3`, `−2` (minus sign, not hyphen), `±0`. */
export function formatDelta(delta: number, lang: Lang): string {
  const rounded = Math.round(delta * 10) / 10;
  if (rounded === 0) return '±0';
  return `${rounded > 0 ? '+' : '−'}${formatIndex(Math.abs(rounded), lang)}`;
}

export type DeltaDirection = 'up' | 'down' | 'flat' | 'first' | 'none';

/** The index change since the previous report, in words: `+3 depuis le 2025-03-24` or « première mesure ». */
export function describeDelta(
  report: PostureReport,
  lang: Lang,
): { direction: DeltaDirection; text: string } {
  const { current, previous } = report.posture;
  if (!current) return { direction: 'none', text: '' };
  const delta = report.posture.delta ?? (previous ? current.index - previous.index : undefined);
  if (delta === undefined) return { direction: 'first', text: t(lang, 'posture-report.delta.first') };
  const rounded = Math.round(delta * 10) / 10;
  const direction: DeltaDirection = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const signed = formatDelta(delta, lang);
  return {
    direction,
    text: previous
      ? t(lang, 'posture-report.delta.since', { delta: signed, at: formatDate(previous.at) })
      : signed,
  };
}

/** The calendar date of an ISO timestamp (`2025-03-31`); anything else is shown as given. */
export function formatDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? iso;
}

/** An ISO timestamp to the minute, in UTC: `2025-03-31 08:15 UTC`. */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

/** The waiver that applies to a finding now (a lapsed or withdrawn waiver is history, not an excuse). */
export function activeWaiver(f: ReportFinding): Waiver | undefined {
  if (!f.waiver) return undefined;
  return f.status === 'waived' || f.waiver.state === 'active' ? f.waiver : undefined;
}

/** « Dérogation : motif (jusqu’au …, par …) ». */
export function waiverText(w: Pick<Waiver, 'reason' | 'until' | 'by'>, lang: Lang): string {
  return t(lang, 'posture-report.waived', { reason: w.reason, until: formatDate(w.until), by: w.by });
}

export function ownerText(owner: string | undefined, lang: Lang): string {
  return owner ?? t(lang, 'posture-report.owner.none');
}

/** « 4 mesure(s) du 2025-01-06 au 2025-03-31 », or « pas encore d’historique ». */
export function trendRange(report: PostureReport, lang: Lang): string {
  const { trend } = report.posture;
  const first = trend[0];
  const last = trend[trend.length - 1];
  if (!first || !last) return t(lang, 'posture-report.trend.none');
  return t(lang, 'posture-report.trend.range', {
    count: trend.length,
    from: formatDate(first.at),
    to: formatDate(last.at),
  });
}

/** Days before a certificate expires, or « expiré ». */
export function daysLeftText(daysLeft: number, lang: Lang): string {
  return daysLeft < 0 ? t(lang, 'posture-report.certificates.expired') : String(daysLeft);
}

/** What {@link bySeriousness} compares. */
export type SeriousnessKey = Pick<
  ReportFinding,
  'severity' | 'criticality' | 'host' | 'port' | 'checkId' | 'fingerprint'
>;

/** Highest severity first, then most critical asset, then endpoint and check: a stable reading order. */
export function bySeriousness(a: SeriousnessKey, b: SeriousnessKey): number {
  const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);
  const weight = (f: SeriousnessKey) => (f.criticality ? CRITICALITIES.indexOf(f.criticality) : 1);
  return (
    rank(a.severity) - rank(b.severity) ||
    weight(b) - weight(a) ||
    a.host.localeCompare(b.host) ||
    a.port - b.port ||
    a.checkId.localeCompare(b.checkId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

// eslint-disable-next-line no-control-regex -- control characters (ESC, line breaks) are what is removed
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** One line of terminal-safe text: line breaks and control characters (ANSI escapes included) become a space. */
export function plainText(value: string | number): string {
  return String(value).replace(CONTROLS, ' ');
}

/**
 * The report's dateline, as sentences each renderer escapes: when it was generated (since when,
 * under which scoring rules), and which run it reports last (or that there is none yet).
 */
export function reportDateline(report: PostureReport, lang: Lang): { generated: string; latestRun: string } {
  return {
    generated: t(lang, 'posture-report.generated', {
      generatedAt: formatDateTime(report.generatedAt),
      since: formatDate(report.since),
      scoringVersion: report.scoringVersion,
    }),
    latestRun: report.latestRun
      ? t(lang, 'posture-report.latest-run', {
          id: report.latestRun.id,
          startedAt: formatDateTime(report.latestRun.startedAt),
          finishedAt: formatDateTime(report.latestRun.finishedAt),
        })
      : t(lang, 'posture-report.no-run'),
  };
}

type ColumnOf<K> = K extends `posture-report.col.${infer C}` ? C : never;
/** A column of the posture report's tables: its title is the message `posture-report.col.<name>`. */
export type ReportColumn = ColumnOf<MessageKey>;

/** The titles of these columns of the posture report's tables, in the report's language. */
export function columnTitles(lang: Lang, columns: readonly ReportColumn[]): string[] {
  return columns.map((c) => t(lang, `posture-report.col.${c}`));
}

/** `label : value` in French (space before the colon), `label: value` in English. */
export function labelled(lang: Lang, label: string, value: string): string {
  return lang === 'fr' ? `${label} : ${value}` : `${label}: ${value}`;
}

const DNSSEC_STATES = ['signed', 'unsigned', 'validated', 'bogus', 'not-validated'] as const;

/** The DNSSEC state of a domain in the report's language. */
export function dnssecText(state: string | undefined, lang: Lang): string {
  const known = DNSSEC_STATES.find((s) => s === state);
  return known ? t(lang, `posture-report.dnssec.${known}`) : (state ?? '—');
}

/** A TLS or HTTP grade for a table cell: `A (92)`, or « non évaluée » — never a letter for what was not seen. */
export function gradeText(
  grade: ({ grade: string; score: number } | NotEvaluatedGrade) | undefined,
  lang: Lang,
): string {
  if (grade === undefined) return '';
  return isGraded(grade) ? `${grade.grade} (${grade.score})` : t(lang, 'honest.grade.not-evaluated');
}

/** A category's index, with the endpoints it could not be evaluated on: `72,5 (1 non évalué(s))`. */
export function categoryIndexText(
  c: { index: number; endpoints: number; unassessed: number },
  lang: Lang,
): string {
  if (c.endpoints === 0 && c.unassessed > 0)
    return t(lang, 'honest.posture.category.none', { unassessed: c.unassessed });
  const index = formatIndex(c.index, lang);
  return c.unassessed > 0
    ? t(lang, 'honest.posture.category.unassessed', { index, unassessed: c.unassessed })
    : index;
}

/** A table of the posture report: its column titles, and each row's cells as plain text (renderers escape them). */
export interface ReportTable<T> {
  header: string[];
  cells: (item: T) => string[];
}

/** Per owner: index, endpoints, and open findings by severity (`·` for none). */
export function ownersTable(lang: Lang): ReportTable<PostureReport['owners'][number]> {
  return {
    header: [
      ...columnTitles(lang, ['owner', 'index', 'endpoints']),
      ...SEVERITY_ORDER.map((s) => severityLabel(lang, s)),
    ],
    cells: (o) => [
      o.owner,
      formatIndex(o.index, lang),
      String(o.endpoints),
      ...SEVERITY_ORDER.map((s) => (o.open[s] ? String(o.open[s]) : '·')),
    ],
  };
}

/** Per category: its index (saying what was not assessed) and open findings. */
export function categoriesTable(lang: Lang): ReportTable<PostureReport['categories'][number]> {
  return {
    header: columnTitles(lang, ['category', 'index', 'open']),
    cells: (c) => [
      t(lang, `posture-report.category.${c.category}`),
      categoryIndexText(c, lang),
      String(c.open),
    ],
  };
}
