import type { FindingEvent, FindingRecord, FindingStatus, Severity, Waiver } from '../domain/index.js';

/** A finding with where it stands at a given moment (the status depends on `now`: waivers expire). */
export interface TrackedFinding extends FindingRecord {
  status: FindingStatus;
  /** The waiver in force at `now`: active, not expired, given for the current evidence. */
  waiver?: Waiver;
}

export interface FindingFilter {
  severity?: Severity[];
  /** Compared without regard to case. */
  host?: string;
  checkId?: string;
}

export interface TrackedFindingFilter {
  /** Default: every status (resolved included). */
  status?: FindingStatus[];
  severity?: Severity[];
  /** Compared without regard to case. */
  host?: string;
  checkId?: string;
  assetIds?: string[];
  /** ISO 8601: the moment the statuses are computed for (waiver expiry). */
  now: string;
}

export interface FindingChanges {
  /** First seen within the window. */
  new: TrackedFinding[];
  /** Closed by a run within the window. */
  resolved: TrackedFinding[];
  /** Came back within the window after being closed. */
  regressed: TrackedFinding[];
}

/** Findings across runs, with their status and their history (written by `RunRepository#save`). */
export interface FindingRepository {
  /** Open findings (seen in the latest run that assessed their endpoint and check). Most severe first. */
  listOpen(filter?: FindingFilter): Promise<FindingRecord[]>;
  get(fingerprint: string): Promise<FindingRecord | undefined>;
  /** Findings with their status at `filter.now`; most severe first. */
  list(filter: TrackedFindingFilter): Promise<TrackedFinding[]>;
  /** One finding with its status at `now`. */
  getTracked(fingerprint: string, now: string): Promise<TrackedFinding | undefined>;
  /** Lifecycle events and one `seen` entry per run occurrence, oldest first; [] for an unknown fingerprint. */
  timeline(fingerprint: string): Promise<FindingEvent[]>;
  /** Findings first seen, closed, or regressed in runs started within [from, to] (both included). */
  changedBetween(from: string, to: string): Promise<FindingChanges>;
}
