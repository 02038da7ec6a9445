import type { Severity } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import { dueSoon, formatRemaining } from '../../playbooks/index.js';
import { DIGEST_DISCOVERED_SHOWN, type DigestData, type OverdueFinding } from '../../report/index.js';
import { buildReport } from '../report/index.js';
import type { AppContext } from '../shared/context.js';
import { listIncidents, listPlaybookRegister } from '../playbooks-incidents/index.js';
import { readDataStore } from '../shared/data-store.js';
import { isoWeekLabel, type IsoWeek } from '../shared/iso-week.js';

const DAY_MS = 86_400_000;

/** Days from firstSeen by which an open finding should be fixed. */
export const FINDING_TARGET_DAYS: Partial<Record<Severity, number>> = {
  critical: 7,
  high: 30,
  medium: 90,
  low: 180,
};

const WEEKLY_KEY = /^digest:\d{4}-W\d{2}$/;

interface DigestBaseline {
  since: Date;
  previousDigestAt?: string;
  previous?: { at: string; index: number };
}

/**
 * The digest's window: since the previous weekly digest sent (an earlier week's `digest:<week>`
 * outbox entry), else the last 7 days; the delta compares with the index of the latest run the
 * previous digest could show, and there is none for the first digest (« première mesure »).
 * Reports generated meanwhile (`vigie report`) play no part.
 */
export async function digestBaseline(ctx: AppContext, week: IsoWeek): Promise<DigestBaseline> {
  const now = ctx.clock.now();
  const currentKey = `digest:${isoWeekLabel(week)}`;
  return readDataStore<DigestBaseline>(
    ctx,
    { since: new Date(now.getTime() - 7 * DAY_MS) },
    async (store) => {
      const sent = (await store.outbox.list({ kind: 'digest', states: ['sent'] }))
        .filter((e) => WEEKLY_KEY.test(e.key) && e.key < currentKey && e.sentAt !== undefined)
        .map((e) => e.sentAt ?? '')
        .filter((at) => at <= now.toISOString())
        .sort();
      const previousDigestAt = sent.at(-1);
      if (previousDigestAt === undefined) return { since: new Date(now.getTime() - 7 * DAY_MS) };
      const run = (await store.runs.list(1000)).find(
        (r) => r.posture !== undefined && r.startedAt <= previousDigestAt,
      );
      return {
        since: new Date(previousDigestAt),
        previousDigestAt,
        ...(run?.posture ? { previous: { at: run.startedAt, index: run.posture.index } } : {}),
      };
    },
  );
}

/** Everything the weekly digest shows, at the context's clock. Reads only (the report is not recorded). */
export async function buildDigest(
  ctx: AppContext,
  req: { inventoryFile: string; week: IsoWeek; lang?: Lang },
): Promise<DigestData> {
  const lang = req.lang ?? ctx.lang;
  const now = ctx.clock.now();
  const baseline = await digestBaseline(ctx, req.week);
  const report = await buildReport(
    { ...ctx, lang },
    {
      inventoryFile: req.inventoryFile,
      baseline: { since: baseline.since, ...(baseline.previous ? { previous: baseline.previous } : {}) },
    },
  );
  const overdueFindings: OverdueFinding[] = report.findings
    .filter((f) => f.status !== 'waived')
    .flatMap((f) => {
      const days = FINDING_TARGET_DAYS[f.severity];
      if (days === undefined) return [];
      const due = Date.parse(f.firstSeen) + days * DAY_MS;
      if (now.getTime() <= due) return [];
      return [
        {
          ...f,
          dueDate: new Date(due).toISOString().slice(0, 10),
          daysOverdue: Math.floor((now.getTime() - due) / DAY_MS),
        },
      ];
    })
    .sort((a, b) => b.daysOverdue - a.daysOverdue);
  const playbooks = (await listPlaybookRegister(ctx, { inventoryFile: req.inventoryFile })).flatMap((p) =>
    p.reviewStatus === 'ok'
      ? []
      : [
          {
            id: p.id,
            title: p.title,
            owner: p.owner,
            nextReviewDue: p.nextReviewDue,
            reviewStatus: p.reviewStatus,
          },
        ],
  );
  const incidents = (await listIncidents(ctx, { inventoryFile: req.inventoryFile })).flatMap((i) => {
    const running = dueSoon(i.clocks, now, Number.POSITIVE_INFINITY);
    if (running.length === 0) return [];
    return [
      {
        id: i.id,
        title: i.title,
        clocks: running.map((c) => ({
          title: c.title,
          dueLocal: c.dueLocal,
          remaining: formatRemaining(c.remainingMs ?? Date.parse(c.dueAt) - now.getTime(), lang),
        })),
      },
    ];
  });
  const discovered = await discoveredSince(ctx, baseline.since, now);
  return {
    report,
    week: req.week,
    window: {
      since: baseline.since.toISOString(),
      ...(baseline.previousDigestAt ? { previousDigestAt: baseline.previousDigestAt } : {}),
    },
    overdueFindings,
    playbooks,
    incidents,
    ...(discovered ? { discovered } : {}),
  };
}

/**
 * Names first seen by a discovery within [since, now] and not in the inventory (`new` or
 * `dangling`, as the latest discovery classed them); undefined when no discovery ever ran.
 */
export async function discoveredSince(
  ctx: AppContext,
  since: Date,
  now: Date,
): Promise<DigestData['discovered']> {
  return readDataStore(ctx, undefined, async (store): Promise<DigestData['discovered']> => {
    if ((await store.discovery.latestRunAt()) === undefined) return undefined;
    const until = now.toISOString();
    const names = (await store.discovery.firstSeenSince(since.toISOString()))
      .filter((n) => n.firstSeen <= until)
      .flatMap((n) => {
        if (n.class !== 'new' && n.class !== 'dangling') return [];
        const takeover = n.details['takeover'] as { providerName?: unknown } | undefined;
        const provider = typeof takeover?.providerName === 'string' ? takeover.providerName : undefined;
        return [{ name: n.name, class: n.class, firstSeen: n.firstSeen, ...(provider ? { provider } : {}) }];
      })
      // dangling names first: they are the urgent ones
      .sort((a, b) => (a.class === b.class ? a.name.localeCompare(b.name) : a.class === 'dangling' ? -1 : 1));
    return { names: names.slice(0, DIGEST_DISCOVERED_SHOWN), total: names.length };
  });
}
