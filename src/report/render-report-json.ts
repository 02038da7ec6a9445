import type { PostureReport } from '../domain/index.js';
import type { Lang } from '../i18n/index.js';

/** Top-level keys in reading order: metadata, the index, then the details. */
export const REPORT_JSON_KEYS = [
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

// Fails to compile when PostureReport gains a key that REPORT_JSON_KEYS does not place.
type Unplaced = Exclude<keyof PostureReport, (typeof REPORT_JSON_KEYS)[number]>;
const _everyKeyPlaced: [Unplaced] extends [never] ? true : Unplaced = true;

/** Objects with their keys sorted (arrays keep their order), so equal data always prints the same. */
export function sortKeys(value: unknown): unknown {
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
  for (const key of REPORT_JSON_KEYS) if (source[key] !== undefined) ordered[key] = sortKeys(source[key]);
  for (const key of Object.keys(source).sort())
    if (!(key in ordered) && source[key] !== undefined) ordered[key] = sortKeys(source[key]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * Writes pretty-printed JSON as its parts come (a large estate's findings, page by page): the bytes
 * `JSON.stringify(value, null, 2)` gives for the whole value. Containers are opened and closed in
 * order; `value` writes one member (with its key inside an object) or one array item, its object
 * keys sorted as {@link renderReportJson} sorts them.
 */
export class PrettyJsonWriter {
  private readonly open: { close: '}' | ']'; count: number }[] = [];

  constructor(private readonly write: (piece: string) => void) {}

  openObject(key?: string): void {
    this.member(key, '{');
    this.open.push({ close: '}', count: 0 });
  }

  openArray(key?: string): void {
    this.member(key, '[');
    this.open.push({ close: ']', count: 0 });
  }

  value(key: string | undefined, value: unknown): void {
    const indent = '\n' + '  '.repeat(this.open.length);
    this.member(key, JSON.stringify(sortKeys(value), null, 2).replace(/\n/g, indent));
  }

  close(): void {
    const top = this.open.pop();
    if (!top) return;
    this.write(top.count > 0 ? `\n${'  '.repeat(this.open.length)}${top.close}` : top.close);
  }

  private member(key: string | undefined, text: string): void {
    const parent = this.open[this.open.length - 1];
    if (parent) {
      this.write(`${parent.count > 0 ? ',' : ''}\n${'  '.repeat(this.open.length)}`);
      parent.count += 1;
    }
    this.write(key === undefined ? text : `${JSON.stringify(key)}: ${text}`);
  }
}
