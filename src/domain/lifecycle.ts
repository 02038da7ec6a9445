/** Where a finding stands across runs. */
export const FINDING_STATUSES = ['new', 'open', 'resolved', 'regressed', 'waived'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Comply-or-explain: an accepted finding, with its reason and an expiry (at most one year). */
export interface Waiver {
  fingerprint: string;
  reason: string;
  /** ISO date-time after which the waiver no longer applies. */
  until: string;
  by: string;
  waivedAt: string;
  /** Hash of the evidence when waived: other evidence lapses the waiver. */
  evidenceHash: string;
  /** active; or lapsed (expired, or the evidence changed), or withdrawn (unwaive). */
  state: 'active' | 'lapsed' | 'withdrawn';
  endedAt?: string;
  endReason?: 'expired' | 'evidence-changed' | 'unwaived';
}

export const FINDING_EVENT_KINDS = [
  'first-seen',
  'seen',
  'evidence-changed',
  'resolved',
  'regressed',
  'waived',
  'unwaived',
  'waiver-lapsed',
] as const;
export type FindingEventKind = (typeof FINDING_EVENT_KINDS)[number];

export interface FindingEvent {
  at: string;
  kind: FindingEventKind;
  runId?: string;
  /** Who, why, or what changed (free text, already in the user's words or a short fact). */
  detail?: string;
}
