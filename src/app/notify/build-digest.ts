import type { Severity } from '../../domain/index.js';
import type { Lang } from '../../i18n/index.js';
import { dueSoon, formatRemaining } from '../../playbooks/index.js';
import type { DigestData, OverdueFinding } from '../../report/index.js';
import { buildReport } from '../report/index.js';
import type { AppContext } from '../shared/context.js';
import { listIncidents, listPlaybookRegister } from '../playbooks-incidents/index.js';
import type { IsoWeek } from '../shared/iso-week.js';

const DAY_MS = 86_400_000;

/** Days from firstSeen by which an open finding should be fixed. */
export const FINDING_TARGET_DAYS: Partial<Record<Severity, number>> = {
  critical: 7,
  high: 30,
  medium: 90,
  low: 180,
};

/** Everything the weekly digest shows, at the context's clock. Reads only (the report is not recorded). */
export function buildDigest(
  ctx: AppContext,
  req: { inventoryFile: string; week: IsoWeek; lang?: Lang },
): DigestData {
  const lang = req.lang ?? ctx.lang;
  const now = ctx.clock.now();
  const report = buildReport({ ...ctx, lang }, { inventoryFile: req.inventoryFile });
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
  const playbooks = listPlaybookRegister(ctx, { inventoryFile: req.inventoryFile }).flatMap((p) =>
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
  const incidents = listIncidents(ctx, { inventoryFile: req.inventoryFile }).flatMap((i) => {
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
  return { report, week: req.week, overdueFindings, playbooks, incidents };
}
