import {
  CRITICALITIES,
  SEVERITIES,
  severityRank,
  type Category,
  type ExpiringCertificate,
  type PostureReport,
  type ReportDomain,
  type ReportEndpoint,
  type ReportFinding,
  type ReportTotals,
  type Severity,
} from '../../domain/index.js';
import { DISCOVERY_CHECK_IDS } from '../../domain/discovery.js';
import { computePosture, POSTURE_SCORING_VERSION } from '../../grading/index.js';
import { LARGE_ESTATE_ENDPOINTS, SUMMARY_ROWS } from '../../report/large-estate.js';
import { bySeriousness, type SeriousnessKey } from '../../report/report-format.js';
import { PrettyJsonWriter, REPORT_JSON_KEYS } from '../../report/render-report-json.js';
import type { LatestEndpoint, Store, TrackedFinding } from '../../store/index.js';
import { reportFinding } from '../findings/index.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { AppContext } from '../shared/context.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';
import { inventoryIndex, optionalConfig, type InventoryIndex } from '../shared/inventory-index.js';
import { metaOf } from '../shared/materialize-findings.js';
import { postureEndpointsOf, PostureFindings, type PostureInputs } from '../shared/posture-endpoints.js';
import { readFacts } from '../shared/stored-facts.js';
import type { ReportRequest } from './build-report.js';
import {
  discoverySummary,
  domainOf,
  expiringCertificateOf,
  isDomainCheck,
  reportEndpointOf,
  trendOf,
} from './report-parts.js';
import { TopRows } from './top-rows.js';

const DAY_MS = 86_400_000;
/**
 * Rows handed over at a time by the store's cursor: small enough that a batch, once handled, dies
 * young (a batch that outlives the young generation of the heap is garbage only a full collection
 * frees, and the heap grows meanwhile).
 */
const BATCH_ROWS = 200;
/** TLS grades, weakest first; any other letter after them, then « not evaluated », then no grade. */
const TLS_GRADES_WEAKEST_FIRST = ['T', 'M', 'F', 'E', 'D', 'C', 'B', 'A-', 'A', 'A+'];
const NOT_EVALUATED = 'not-evaluated';
const NO_GRADE = '—';

/** A large estate's report: its long lists cut to their first rows, and what they count in full. */
export interface LargeReport {
  report: PostureReport;
  totals: ReportTotals;
}

const zero = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/** A grade's place, weakest first. */
function gradeRank(grade: string): number {
  const i = TLS_GRADES_WEAKEST_FIRST.indexOf(grade);
  if (i >= 0) return i;
  const n = TLS_GRADES_WEAKEST_FIRST.length;
  return grade === NOT_EVALUATED ? n + 1 : grade === NO_GRADE ? n + 2 : n;
}

/**
 * The posture report of a large estate (more than `threshold` endpoints in the latest run), read
 * from the store page by page: the same index, counts, owners, categories, top risks, domains and
 * waivers as {@link buildReport}, with the long lists cut — the SUMMARY_ROWS most serious findings,
 * the first SUMMARY_ROWS of each list of changes (counted by the database), the SUMMARY_ROWS
 * certificates that expire soonest, the SUMMARY_ROWS weakest TLS endpoints — and their totals.
 * Undefined when the estate is not large (then {@link buildReport} gives the whole report).
 */
export async function buildLargeReport(
  ctx: AppContext,
  req: ReportRequest = {},
  threshold = LARGE_ESTATE_ENDPOINTS,
): Promise<LargeReport | undefined> {
  if (!hasDataStore(ctx)) return undefined;
  const now = ctx.clock.now();
  const store = await openAppStore(ctx);
  try {
    // Cheap first: the latest endpoints, closed ones included, are at least the endpoints counted.
    if ((await store.reportQueries.latestEndpointCount()) <= threshold) return undefined;
    const config = optionalConfig(req.inventoryFile);
    const inventory = inventoryIndex(config);
    const { catalogue } = loadCheckLibrary(config);
    const toReport = (r: TrackedFinding) => reportFinding(r, catalogue, inventory, ctx.lang);
    const categoryOf = (checkId: string): Category => metaOf(catalogue, checkId).category;
    const made = await fill(store, now, ctx.lang, inventory, toReport, categoryOf, req);
    if (Math.max(made.report.posture.current?.endpoints ?? 0, made.endpointCount) <= threshold)
      return undefined;
    return { report: made.report, totals: made.totals };
  } finally {
    await store.close();
  }
}

/**
 * Every open finding of the store, page by page, as reports show them (`findings` of the whole
 * report: the CSV's rows), in the store's order. `now` is the report's `generatedAt`.
 */
export async function eachReportFinding(
  ctx: AppContext,
  req: Pick<ReportRequest, 'inventoryFile'>,
  now: string,
  each: (findings: ReportFinding[]) => void,
): Promise<void> {
  if (!hasDataStore(ctx)) return;
  const config = optionalConfig(req.inventoryFile);
  const inventory = inventoryIndex(config);
  const { catalogue } = loadCheckLibrary(config);
  const store = await openAppStore(ctx);
  try {
    await eachOpenFinding(store, now, (page) =>
      each(page.map((r) => reportFinding(r, catalogue, inventory, ctx.lang))),
    );
  } finally {
    await store.close();
  }
}

/**
 * The JSON of the whole report (`--format json`, {@link renderReportJson}'s bytes) of a large estate,
 * written as the store's cursors read it: the figures come from `large`, the long lists (changes,
 * findings, endpoints) from the store, batch by batch; the certificates are few and sorted whole.
 */
export async function writeLargeReportJson(
  ctx: AppContext,
  req: Pick<ReportRequest, 'inventoryFile' | 'expiryDays'>,
  large: LargeReport,
  write: (piece: string) => void,
): Promise<void> {
  const { report } = large;
  const now = new Date(report.generatedAt);
  const config = optionalConfig(req.inventoryFile);
  const inventory = inventoryIndex(config);
  const { catalogue } = loadCheckLibrary(config);
  const toReport = (r: TrackedFinding) => reportFinding(r, catalogue, inventory, ctx.lang);
  const store = await openAppStore(ctx);
  try {
    const json = new PrettyJsonWriter(write);
    json.openObject();
    for (const key of REPORT_JSON_KEYS) {
      if (key === 'changes') {
        json.openObject(key);
        for (const list of ['new', 'regressed', 'resolved'] as const) {
          json.openArray(list);
          await store.reportQueries.eachChangedFinding(
            list,
            report.since,
            report.generatedAt,
            BATCH_ROWS,
            (page) => {
              for (const r of page) json.value(undefined, toReport(r));
            },
          );
          json.close();
        }
        json.close();
      } else if (key === 'expiringCertificates') {
        const certificates: ExpiringCertificate[] = [];
        await eachLatestEndpoint(store, (e) => {
          const cert = expiringCertificateOf(e, readFacts(e.facts), now, req.expiryDays ?? 30, inventory);
          if (cert) certificates.push(cert);
        });
        json.value(
          key,
          certificates.sort((a, b) => a.daysLeft - b.daysLeft),
        );
      } else if (key === 'findings') {
        json.openArray(key);
        await eachOpenFinding(store, report.generatedAt, (page) => {
          for (const r of page) json.value(undefined, toReport(r));
        });
        json.close();
      } else if (key === 'endpoints') {
        json.openArray(key);
        await eachLatestEndpoint(store, (e) => {
          const facts = readFacts(e.facts);
          if (!facts.closed) json.value(undefined, reportEndpointOf(e, facts, inventory));
        });
        json.close();
      } else if (report[key] !== undefined) json.value(key, report[key]);
    }
    json.close();
    write('\n');
  } finally {
    await store.close();
  }
}

async function eachOpenFinding(
  store: Store,
  now: string,
  each: (page: TrackedFinding[]) => void,
): Promise<void> {
  await store.reportQueries.eachOpenFinding(now, BATCH_ROWS, each);
}

async function eachLatestEndpoint(store: Store, each: (e: LatestEndpoint) => void): Promise<void> {
  await store.reportQueries.eachLatestEndpoint(BATCH_ROWS, (page) => {
    for (const e of page) each(e);
  });
}

/** What the endpoints give, read page by page. */
interface EndpointTally {
  posture: PostureInputs['endpoints'][number][];
  /** Endpoints not closed (the whole report's `endpoints`). */
  count: number;
  weakestTls: ReportEndpoint[];
  tls: ReportTotals['tls'];
  certificates: ExpiringCertificate[];
  certificateCount: number;
  domains: { domain: Omit<ReportDomain, 'open'>; hosts: ReadonlySet<string> }[];
}

async function tallyEndpoints(
  store: Store,
  now: Date,
  expiryDays: number,
  inventory: InventoryIndex,
): Promise<EndpointTally> {
  const posture: EndpointTally['posture'] = [];
  const domains: EndpointTally['domains'] = [];
  const grades = new Map<string, number>();
  const profiles = new Map<string, { conformant: number; nonconformant: number; unknown: number }>();
  const gradeOf = (x: ReportEndpoint) => x.tlsGrade?.grade ?? NO_GRADE;
  const weakest = new TopRows<ReportEndpoint>(
    SUMMARY_ROWS,
    (a, b) => gradeRank(gradeOf(a)) - gradeRank(gradeOf(b)),
  );
  const soonest = new TopRows<ExpiringCertificate>(SUMMARY_ROWS, (a, b) => a.daysLeft - b.daysLeft);
  let count = 0;
  let tlsCount = 0;
  let certificateCount = 0;
  await eachLatestEndpoint(store, (e) => {
    const facts = readFacts(e.facts);
    const errors = facts.errors?.flatMap((x) =>
      x.postureCategory ? [{ postureCategory: x.postureCategory }] : [],
    );
    posture.push({
      host: e.host,
      port: e.port,
      ...(e.assetId ? { assetId: e.assetId } : {}),
      assessed: e.status === 'assessed',
      ...(facts.closed ? { closed: true } : {}),
      ...(errors && errors.length > 0 ? { errors } : {}),
    });
    const cert = expiringCertificateOf(e, facts, now, expiryDays, inventory);
    if (cert) {
      certificateCount += 1;
      soonest.add(cert);
    }
    const domain = domainOf(e, facts, inventory);
    if (domain) domains.push(domain);
    if (facts.closed) return;
    count += 1;
    if (!facts.tls) return;
    tlsCount += 1;
    const grade = facts.tls.grade?.grade ?? NO_GRADE;
    grades.set(grade, (grades.get(grade) ?? 0) + 1);
    for (const [name, result] of Object.entries(facts.tls.profiles ?? {})) {
      const tally = profiles.get(name) ?? { conformant: 0, nonconformant: 0, unknown: 0 };
      if (result.conformant === true) tally.conformant += 1;
      else if (result.conformant === false) tally.nonconformant += 1;
      else tally.unknown += 1;
      profiles.set(name, tally);
    }
    weakest.add(reportEndpointOf(e, facts, inventory));
  });
  return {
    posture,
    count,
    weakestTls: weakest.list(),
    tls: {
      endpoints: tlsCount,
      grades: [...grades.entries()]
        .sort(([a], [b]) => gradeRank(a) - gradeRank(b) || a.localeCompare(b))
        .map(([grade, endpoints]) => ({ grade, endpoints })),
      profiles: [...profiles.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([profile, tally]) => ({ profile, ...tally })),
    },
    certificates: soonest.list(),
    certificateCount,
    domains,
  };
}

/** A finding as the top lists compare it, without its texts (made only for the rows kept). */
interface Ranked {
  record: TrackedFinding;
  key: SeriousnessKey & { firstSeen: string };
}

async function fill(
  store: Store,
  now: Date,
  lang: PostureReport['lang'],
  inventory: InventoryIndex,
  toReport: (r: TrackedFinding) => ReportFinding,
  categoryOf: (checkId: string) => Category,
  req: ReportRequest,
): Promise<{ report: PostureReport; totals: ReportTotals; endpointCount: number }> {
  const at = now.toISOString();
  const previousReport = await store.reports.last(at);
  const since =
    req.baseline?.since.toISOString() ??
    req.since?.toISOString() ??
    previousReport?.at ??
    new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const expiryDays = req.expiryDays ?? 30;
  const endpoints = await tallyEndpoints(store, now, expiryDays, inventory);

  // One pass over the open findings: counts, tallies, the posture's inputs, the top lists.
  const counts = zero();
  const byOwner = new Map<string, Record<Severity, number>>();
  const byCategory = new Map<Category, number>();
  const byDomainHost = new Map<string, number>();
  // The posture needs severity, category and waiver of each finding: a reference each.
  const grouped = new PostureFindings();
  const critRank = (k: SeriousnessKey) => CRITICALITIES.indexOf(k.criticality ?? 'medium');
  const topRisks = new TopRows<Ranked>(
    10,
    (a, b) =>
      severityRank(b.key.severity) - severityRank(a.key.severity) ||
      critRank(b.key) - critRank(a.key) ||
      a.key.firstSeen.localeCompare(b.key.firstSeen),
  );
  const serious = new TopRows<Ranked>(SUMMARY_ROWS, (a, b) => bySeriousness(a.key, b.key));
  let total = 0;
  await eachOpenFinding(store, at, (page) => {
    for (const r of page) {
      total += 1;
      const asset = r.assetId ? inventory.assets.get(r.assetId) : undefined;
      const ranked: Ranked = {
        record: r,
        key: {
          severity: r.severity,
          ...(asset ? { criticality: asset.criticality } : {}),
          host: r.host,
          port: r.port,
          checkId: r.checkId,
          fingerprint: r.fingerprint,
          firstSeen: r.firstSeen,
        },
      };
      serious.add(ranked);
      const waived = r.status === 'waived';
      const category = categoryOf(r.checkId);
      if (!(DISCOVERY_CHECK_IDS as readonly string[]).includes(r.checkId)) {
        grouped.add({ host: r.host, port: r.port, severity: r.severity, category, waived });
      }
      if (waived) continue;
      counts[r.severity] += 1;
      topRisks.add(ranked);
      const owner = asset?.owner ?? '—';
      const tally = byOwner.get(owner) ?? zero();
      tally[r.severity] += 1;
      byOwner.set(owner, tally);
      byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
      if (isDomainCheck(r.checkId)) byDomainHost.set(r.host, (byDomainHost.get(r.host) ?? 0) + 1);
    }
  });

  const current = computePosture(postureEndpointsOf(endpoints.posture, grouped.byEndpoint, inventory));
  grouped.byEndpoint.clear();
  const runs = (await store.runs.list(12)).reverse();
  const trend = trendOf(runs);
  const beforeLatest = trend.length >= 2 ? trend[trend.length - 2] : undefined;
  const previous = req.baseline
    ? req.baseline.previous
    : previousReport?.postureIndex !== undefined
      ? { at: previousReport.at, index: previousReport.postureIndex }
      : beforeLatest
        ? { at: beforeLatest.at, index: beforeLatest.index }
        : undefined;

  const changes = await store.reportQueries.changesHead(since, at, SUMMARY_ROWS);
  const waivers: PostureReport['waivers'] = [];
  for (const w of await store.waivers.list()) {
    if (!(w.state === 'active' || (w.endedAt !== undefined && w.endedAt >= since))) continue;
    const found = await store.findings.getTracked(w.fingerprint, at);
    waivers.push({ ...w, title: found ? toReport(found).title : w.checkId });
  }
  const latestRun = runs[runs.length - 1];
  const discovery = await discoverySummary(store, at);
  const report: PostureReport = {
    generatedAt: at,
    lang,
    organisation: inventory.organisation,
    scoringVersion: POSTURE_SCORING_VERSION,
    since,
    ...(discovery ? { discovery } : {}),
    ...(latestRun
      ? { latestRun: { id: latestRun.id, startedAt: latestRun.startedAt, finishedAt: latestRun.finishedAt } }
      : {}),
    posture: {
      current,
      ...(previous ? { previous, delta: Math.round((current.index - previous.index) * 10) / 10 } : {}),
      trend,
    },
    counts,
    topRisks: topRisks.list().map((x) => toReport(x.record)),
    changes: {
      new: changes.new.map(toReport),
      resolved: changes.resolved.map(toReport),
      regressed: changes.regressed.map(toReport),
    },
    expiringCertificates: endpoints.certificates,
    domains: endpoints.domains.map(({ domain, hosts }) => ({
      ...domain,
      open: [...hosts].reduce((sum, host) => sum + (byDomainHost.get(host) ?? 0), 0),
    })),
    owners: current.byOwner.map((o) => ({
      owner: o.owner,
      index: o.index,
      endpoints: o.endpoints,
      open: byOwner.get(o.owner) ?? zero(),
    })),
    categories: current.byCategory.map((c) => ({
      category: c.category,
      index: c.index,
      endpoints: c.endpoints,
      unassessed: c.unassessed,
      open: byCategory.get(c.category) ?? 0,
    })),
    waivers,
    findings: serious.list().map((x) => toReport(x.record)),
    endpoints: endpoints.weakestTls,
  };
  return {
    report,
    endpointCount: endpoints.count,
    totals: {
      findings: total,
      changes: changes.counts,
      certificates: endpoints.certificateCount,
      tls: endpoints.tls,
    },
  };
}
