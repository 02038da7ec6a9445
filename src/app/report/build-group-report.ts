import { SEVERITIES, type PostureReport, type Severity } from '../../domain/index.js';
import { findOrganisation, groupMembers, organisationContext } from '../organisations/index.js';
import type { Organisation } from '../organisations/index.js';
import type { AppContext } from '../shared/context.js';
import { buildLargeReport } from './build-large-report.js';
import { buildReport } from './build-report.js';

/** One organisation's line of a consolidated view. */
export interface GroupMemberPosture {
  id: string;
  name: string;
  /** Posture index now (absent: nothing assessed yet). */
  index?: number;
  /** Change since its previous report. */
  delta?: number;
  /** Endpoints the index is computed over. */
  endpoints: number;
  /** Open findings by severity (waived ones are not counted). */
  counts: Record<Severity, number>;
  open: number;
  /** End of its latest run. */
  lastRun?: string;
}

/** Several organisations' posture side by side, and the group's total. */
export interface GroupReport {
  generatedAt: string;
  lang: 'fr' | 'en';
  /** The group named by `--group`, when the view is a group's. */
  group?: string;
  organisations: GroupMemberPosture[];
  total: {
    /** Mean of the members' indexes, weighted by their endpoints (absent: none assessed). */
    index?: number;
    endpoints: number;
    counts: Record<Severity, number>;
    open: number;
  };
}

export interface GroupReportRequest {
  /** Every organisation of this group… */
  group?: string;
  /** …or these organisations. */
  organisations?: readonly string[];
}

const zero = (): Record<Severity, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

function memberPosture(o: Organisation, report: PostureReport): GroupMemberPosture {
  const current = report.posture.current;
  const counts = { ...report.counts };
  return {
    id: o.id,
    name: o.name ?? report.organisation,
    ...(current ? { index: current.index } : {}),
    ...(report.posture.delta === undefined ? {} : { delta: report.posture.delta }),
    endpoints: current?.endpoints ?? 0,
    counts,
    open: SEVERITIES.reduce((n, s) => n + counts[s], 0),
    ...(report.latestRun ? { lastRun: report.latestRun.finishedAt } : {}),
  };
}

/**
 * The consolidated view of a group (a metropole over its communes) or of named organisations: each
 * member's report is built on its own context (its data directory or schema, its inventory), and
 * only its summary is kept. Reads only; nothing is recorded.
 */
export async function buildGroupReport(ctx: AppContext, req: GroupReportRequest): Promise<GroupReport> {
  const base = ctx.organisation?.baseDataDir ?? ctx.dataDir;
  const members =
    req.group !== undefined
      ? groupMembers(base, req.group)
      : [...new Set(req.organisations ?? [])].map((id) => findOrganisation(base, id));
  const organisations: GroupMemberPosture[] = [];
  for (const o of members) {
    const memberCtx = organisationContext(ctx, base, o);
    // A large member is read by pages (the same index and counts); the builders may be synchronous
    // or asynchronous: both are awaited alike.
    const request = { inventoryFile: o.inventory };
    const large = await Promise.resolve(buildLargeReport(memberCtx, request));
    const report = large?.report ?? (await Promise.resolve(buildReport(memberCtx, request)));
    organisations.push(memberPosture(o, report));
  }
  const counts = zero();
  for (const m of organisations) for (const s of SEVERITIES) counts[s] += m.counts[s];
  const assessed = organisations.filter((m) => m.index !== undefined && m.endpoints > 0);
  const endpoints = assessed.reduce((n, m) => n + m.endpoints, 0);
  const index =
    endpoints > 0
      ? Math.round((assessed.reduce((n, m) => n + (m.index ?? 0) * m.endpoints, 0) / endpoints) * 10) / 10
      : undefined;
  return {
    generatedAt: ctx.clock.now().toISOString(),
    lang: ctx.lang,
    ...(req.group === undefined ? {} : { group: req.group }),
    organisations,
    total: {
      ...(index === undefined ? {} : { index }),
      endpoints,
      counts,
      open: SEVERITIES.reduce((n, s) => n + counts[s], 0),
    },
  };
}
