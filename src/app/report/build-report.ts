import { isDeepStrictEqual } from 'node:util';
import {
  CRITICALITIES,
  SEVERITIES,
  severityRank,
  type PostureReport,
  type ReportEndpoint,
  type ReportDomain,
  type ReportFinding,
  type Severity,
} from '../../domain/index.js';
import { DISCOVERY_CHECK_IDS } from '../../domain/discovery.js';
import { computePosture, POSTURE_SCORING_VERSION } from '../../grading/index.js';
import { type Store, type TrackedFinding } from '../../store/index.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import type { AppContext } from '../shared/context.js';
import { inventoryIndex, optionalConfig, type InventoryIndex } from '../shared/inventory-index.js';
import { postureEndpoints } from '../shared/posture-endpoints.js';
import { reportFinding } from '../findings/index.js';
import { readFacts } from '../shared/stored-facts.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';
import {
  discoverySummary,
  domainOf,
  expiringCertificateOf,
  isDomainCheck,
  reportEndpointOf,
  trendOf,
} from './report-parts.js';

const DAY_MS = 86_400_000;
const OPEN = new Set(['new', 'open', 'regressed', 'waived']);

export interface ReportRequest {
  inventoryFile?: string;
  /** Start of the "what changed" window; default: the previous report, else 7 days. */
  since?: Date;
  /** Certificates expiring within this many days are listed. */
  expiryDays?: number;
  /**
   * The weekly digest's own baseline, independent of the reports anyone generated: what changed since
   * `since`, the delta against `previous` only (none: a first measure). Overrides `since`.
   */
  baseline?: { since: Date; previous?: { at: string; index: number } };
}

const zero = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * The posture report from stored runs: current index and trend, delta since the previous report,
 * counts, top risks, what changed, expiring certificates, owners, waivers. Reads only.
 */
export async function buildReport(ctx: AppContext, req: ReportRequest = {}): Promise<PostureReport> {
  const now = ctx.clock.now();
  const config = optionalConfig(req.inventoryFile);
  const inventory = inventoryIndex(config);
  const { catalogue } = loadCheckLibrary(config);
  const empty: PostureReport = {
    generatedAt: now.toISOString(),
    lang: ctx.lang,
    organisation: inventory.organisation,
    scoringVersion: POSTURE_SCORING_VERSION,
    since: (req.baseline?.since ?? req.since ?? new Date(now.getTime() - 7 * DAY_MS)).toISOString(),
    posture: { trend: [] },
    counts: zero(),
    topRisks: [],
    changes: { new: [], resolved: [], regressed: [] },
    expiringCertificates: [],
    owners: [],
    categories: [],
    waivers: [],
    findings: [],
    endpoints: [],
  };
  if (!hasDataStore(ctx)) return empty;
  const store = await openAppStore(ctx);
  try {
    return await fill(
      store,
      empty,
      now,
      inventory,
      (r) => reportFinding(r, catalogue, inventory, ctx.lang),
      req,
    );
  } finally {
    await store.close();
  }
}

async function fill(
  store: Store,
  report: PostureReport,
  now: Date,
  inventory: InventoryIndex,
  toReport: (r: TrackedFinding) => ReportFinding,
  req: ReportRequest,
): Promise<PostureReport> {
  const at = now.toISOString();
  const previousReport = await store.reports.last(at);
  const since =
    req.baseline?.since.toISOString() ?? req.since?.toISOString() ?? previousReport?.at ?? report.since;
  // Materialised once per finding: a first report's "new" list is every open finding again, and the
  // same record (same status at the same moment) gives the same report finding, shared.
  const made = new Map<string, { record: TrackedFinding; finding: ReportFinding }>();
  const all = (await store.findings.list({ now: at })).map((record) => {
    const finding = toReport(record);
    made.set(record.fingerprint, { record, finding });
    return finding;
  });
  const reuse = (record: TrackedFinding): ReportFinding => {
    const known = made.get(record.fingerprint);
    return known && isDeepStrictEqual(known.record, record) ? known.finding : toReport(record);
  };
  const open = all.filter((f) => OPEN.has(f.status));
  const counted = open.filter((f) => f.status !== 'waived');

  const latest = await store.runs.latestEndpoints();
  const endpoints: ReportEndpoint[] = latest
    .filter((e) => !readFacts(e.facts).closed)
    .map((e) => reportEndpointOf(e, readFacts(e.facts), inventory));

  // The index now: latest state of each endpoint, open findings, waivers in force today.
  const current = computePosture(
    postureEndpoints({
      endpoints: latest.map((e) => {
        const facts = readFacts(e.facts);
        return {
          ...e,
          assessed: e.status === 'assessed',
          ...(facts.closed ? { closed: true } : {}),
          ...(facts.errors ? { errors: facts.errors } : {}),
        };
      }),
      // Discovery findings are reported (counts, top risks) but do not move the index: it scores the
      // scanned endpoints, as a scan run's own index does (ADR 0017).
      findings: open
        .filter((f) => !(DISCOVERY_CHECK_IDS as readonly string[]).includes(f.checkId))
        .map((f) => ({ ...f, waived: f.status === 'waived' })),
      inventory,
    }),
  );
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

  const counts = zero();
  for (const f of counted) counts[f.severity] += 1;
  const critRank = (f: ReportFinding) => CRITICALITIES.indexOf(f.criticality ?? 'medium');
  const topRisks = [...counted]
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        critRank(b) - critRank(a) ||
        a.firstSeen.localeCompare(b.firstSeen),
    )
    .slice(0, 10);

  const changes = await store.findings.changedBetween(since, at);
  const expiryDays = req.expiryDays ?? 30;
  const expiringCertificates = latest.flatMap((e) => {
    const cert = expiringCertificateOf(e, readFacts(e.facts), now, expiryDays, inventory);
    return cert ? [cert] : [];
  });

  const owners = current.byOwner.map((o) => {
    const mine = counted.filter((f) => (f.owner ?? '—') === o.owner);
    const tally = zero();
    for (const f of mine) tally[f.severity] += 1;
    return { owner: o.owner, index: o.index, endpoints: o.endpoints, open: tally };
  });
  const categories = current.byCategory.map((c) => ({
    category: c.category,
    index: c.index,
    endpoints: c.endpoints,
    unassessed: c.unassessed,
    open: counted.filter((f) => f.category === c.category).length,
  }));
  const titleOf = new Map(all.map((f) => [f.fingerprint, f.title]));
  const waivers = (await store.waivers.list())
    .filter((w) => w.state === 'active' || (w.endedAt !== undefined && w.endedAt >= since))
    .map((w) => ({ ...w, title: titleOf.get(w.fingerprint) ?? w.checkId }));

  const latestRun = runs[runs.length - 1];
  const discovery = await discoverySummary(store, at);
  return {
    ...report,
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
    topRisks,
    changes: {
      new: changes.new.map(reuse),
      resolved: changes.resolved.map(reuse),
      regressed: changes.regressed.map(reuse),
    },
    expiringCertificates: expiringCertificates.sort((a, b) => a.daysLeft - b.daysLeft),
    domains: latest.flatMap((e): ReportDomain[] => {
      const made = domainOf(e, readFacts(e.facts), inventory);
      if (!made) return [];
      const open = counted.filter((f) => made.hosts.has(f.host) && isDomainCheck(f.checkId)).length;
      return [{ ...made.domain, open }];
    }),
    owners,
    categories,
    waivers,
    findings: open,
    endpoints,
  };
}

/** Remembers that a report was produced, with the index it showed: the next one gives the delta. */
export async function recordReport(ctx: AppContext, report: PostureReport, format: string): Promise<void> {
  if (!hasDataStore(ctx)) return;
  const store = await openAppStore(ctx);
  try {
    await store.reports.record({
      at: report.generatedAt,
      format,
      ...(report.posture.current ? { postureIndex: report.posture.current.index } : {}),
    });
  } finally {
    await store.close();
  }
}
