import type { Incident } from '../../domain/index.js';
import type { ClockState } from '../../playbooks/index.js';
import type { AppContext } from '../shared/context.js';
import { readDataStore } from '../shared/data-store.js';
import { configuredTimeZone } from '../shared/organisation-time.js';
import { incidentClocks } from './incident-view.js';

const HOUR_MS = 3_600_000;

/** Durations of one incident, in hours from the moment of awareness (absent until reached). */
export interface IncidentTimes {
  id: string;
  playbookId: string;
  /** Awareness → incident opened in the register. */
  acknowledgeHours: number;
  /** Awareness → first Confinement step done. */
  containHours?: number;
  /** Awareness → incident closed. */
  resolveHours?: number;
  clocks: { applicable: number; met: number; metLate: number; overdue: number };
}

export interface IncidentMetrics {
  incidents: IncidentTimes[];
  /** Medians per playbook, in hours. */
  byPlaybook: {
    playbookId: string;
    incidents: number;
    acknowledgeHours?: number;
    containHours?: number;
    resolveHours?: number;
  }[];
  /** Obligations whose deadline has passed or that were done: share done in time (0–1), or absent when none. */
  deadlineCompliance?: number;
  deadlines: { inTime: number; late: number; overdue: number; pending: number };
}

const hoursBetween = (from: string, to: string) =>
  Math.round(((Date.parse(to) - Date.parse(from)) / HOUR_MS) * 10) / 10;

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Where a regulatory clock counts: in its incident's tally (not while due) and in the overall deadlines. */
const COUNTED_AS: Record<
  ClockState,
  { incident?: 'met' | 'metLate' | 'overdue'; overall: keyof IncidentMetrics['deadlines'] }
> = {
  met: { incident: 'met', overall: 'inTime' },
  'met-late': { incident: 'metLate', overall: 'late' },
  overdue: { incident: 'overdue', overall: 'overdue' },
  due: { overall: 'pending' },
};

/** Per-incident and per-playbook response times, and how many regulatory deadlines were met in time. */
export function incidentMetrics(
  incidents: readonly Incident[],
  now: Date,
  timeZone: string,
): IncidentMetrics {
  const deadlines = { inTime: 0, late: 0, overdue: 0, pending: 0 };
  const times = incidents.map((i): IncidentTimes => {
    const contained = i.steps
      .filter((s) => s.phase === 'CON' && s.state === 'done' && s.at)
      .map((s) => s.at ?? '')
      .sort()[0];
    const clocks = incidentClocks(i, now, timeZone);
    const tally = { applicable: clocks.length, met: 0, metLate: 0, overdue: 0 };
    for (const c of clocks) {
      const { incident, overall } = COUNTED_AS[c.state];
      if (incident !== undefined) tally[incident] += 1;
      deadlines[overall] += 1;
    }
    return {
      id: i.id,
      playbookId: i.playbookId,
      acknowledgeHours: hoursBetween(i.awareAt, i.openedAt),
      ...(contained ? { containHours: hoursBetween(i.awareAt, contained) } : {}),
      ...(i.closedAt ? { resolveHours: hoursBetween(i.awareAt, i.closedAt) } : {}),
      clocks: tally,
    };
  });
  const playbooks = [...new Set(times.map((t) => t.playbookId))].sort();
  const byPlaybook = playbooks.map((playbookId) => {
    const mine = times.filter((t) => t.playbookId === playbookId);
    const m = (pick: (t: IncidentTimes) => number | undefined) =>
      median(mine.flatMap((t) => (pick(t) === undefined ? [] : [pick(t) as number])));
    const ack = m((t) => t.acknowledgeHours);
    const contain = m((t) => t.containHours);
    const resolve = m((t) => t.resolveHours);
    return {
      playbookId,
      incidents: mine.length,
      ...(ack === undefined ? {} : { acknowledgeHours: ack }),
      ...(contain === undefined ? {} : { containHours: contain }),
      ...(resolve === undefined ? {} : { resolveHours: resolve }),
    };
  });
  const decided = deadlines.inTime + deadlines.late + deadlines.overdue;
  return {
    incidents: times,
    byPlaybook,
    deadlines,
    ...(decided ? { deadlineCompliance: deadlines.inTime / decided } : {}),
  };
}

/** The incidents of the store with their metrics (all, or those aware within [from, to)). */
export async function computeIncidentMetrics(
  ctx: AppContext,
  req: { inventoryFile?: string; from?: string; to?: string } = {},
): Promise<IncidentMetrics> {
  const incidents = (await readDataStore<Incident[]>(ctx, [], (store) => store.incidents.list({}))).filter(
    (i) => (!req.from || i.awareAt >= req.from) && (!req.to || i.awareAt < req.to),
  );
  return incidentMetrics(incidents, ctx.clock.now(), configuredTimeZone(req.inventoryFile));
}

/** One row of the register of personal-data breaches (RGPD art. 33(5)). */
export interface BreachRegisterRow {
  incident: string;
  title: string;
  awareAt: string;
  status: string;
  severity: string;
  cnilNotifiedAt: string;
  cnilDeadline: string;
  cnilState: string;
  facts: string;
  measures: string;
  outcome: string;
}

/**
 * The register RGPD art. 33(5) requires: every personal-data breach with its facts, effects and the
 * measures taken — whether or not it was notified to the CNIL.
 */
export async function breachRegister(
  ctx: AppContext,
  req: { inventoryFile?: string } = {},
): Promise<BreachRegisterRow[]> {
  const timeZone = configuredTimeZone(req.inventoryFile);
  const now = ctx.clock.now();
  const incidents = (await readDataStore<Incident[]>(ctx, [], (store) => store.incidents.list({}))).filter(
    (i) => i.personalData,
  );
  return incidents.map((i) => {
    const cnil = incidentClocks(i, now, timeZone).find((c) => c.id === 'rgpd-art33');
    return {
      incident: i.id,
      title: i.title,
      awareAt: i.awareAt,
      status: i.status,
      severity: i.severity,
      cnilNotifiedAt: cnil?.metAt ?? '',
      cnilDeadline: cnil?.dueAt ?? '',
      cnilState: cnil?.state ?? '',
      facts: i.notes.map((n) => `${n.at.slice(0, 16)} ${n.by}: ${n.text}`).join(' | '),
      measures: i.steps
        .filter((s) => s.state === 'done')
        .map((s) => `${s.stepId} ${s.text}`)
        .join(' | '),
      outcome: i.outcome ?? '',
    };
  });
}
