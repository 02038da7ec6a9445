import type { PostureReport } from '../domain/index.js';
import type { Lang } from '../i18n/index.js';

/** Top-level keys in reading order: metadata, the index, then the details. */
const TOP_LEVEL = [
  'generatedAt',
  'lang',
  'organisation',
  'scoringVersion',
  'since',
  'latestRun',
  'posture',
  'counts',
  'topRisks',
  'changes',
  'expiringCertificates',
  'domains',
  'discovery',
  'owners',
  'categories',
  'waivers',
  'findings',
  'endpoints',
] as const satisfies readonly (keyof PostureReport)[];

// Fails to compile when PostureReport gains a key that TOP_LEVEL does not place.
type Unplaced = Exclude<keyof PostureReport, (typeof TOP_LEVEL)[number]>;
const _everyKeyPlaced: [Unplaced] extends [never] ? true : Unplaced = true;

/** Objects with their keys sorted (arrays keep their order), so equal data always prints the same. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/**
 * The posture report as data: pretty-printed JSON with a stable key order (the top level in reading
 * order, every nested object's keys sorted), ending with a newline. The texts inside are in the
 * language the report was built in (`report.lang`); the language argument changes nothing here.
 */
export function renderReportJson(report: PostureReport, _lang: Lang): string {
  const source = report as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of TOP_LEVEL) if (source[key] !== undefined) ordered[key] = sortKeys(source[key]);
  for (const key of Object.keys(source).sort())
    if (!(key in ordered) && source[key] !== undefined) ordered[key] = sortKeys(source[key]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
