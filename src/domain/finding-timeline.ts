import type { FindingEvent, FindingEventKind } from './lifecycle.js';

/** Timeline order for events at the same instant: appearance, then the occurrence, then the rest. */
const TIMELINE_GROUP: Record<FindingEventKind, number> = {
  'first-seen': 0,
  regressed: 0,
  seen: 1,
  'evidence-changed': 2,
  resolved: 2,
  waived: 2,
  unwaived: 2,
  'waiver-lapsed': 2,
};

/**
 * A finding's timeline, oldest first, from its logged events and its occurrences (`seen`), each in
 * the order it was written (`seq`). At the same instant, the appearance comes before the occurrence,
 * and the occurrence before what followed from it.
 */
export function orderTimeline(
  logged: readonly { event: FindingEvent; seq: number }[],
  seen: readonly { event: FindingEvent; seq: number }[],
): FindingEvent[] {
  const entries = [...logged, ...seen].map((e) => ({ ...e, group: TIMELINE_GROUP[e.event.kind] }));
  entries.sort((a, b) =>
    a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.group - b.group || a.seq - b.seq,
  );
  return entries.map((e) => e.event);
}
