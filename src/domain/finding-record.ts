import type { EvidenceParams, FindingSubject } from './finding.js';

/** Outcome of one check on one endpoint during a run. Only `pass` and `fail` can close a finding. */
export type StoredCheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

/** Whether an endpoint could be assessed at all. Only `assessed` endpoints can close findings. */
export type StoredEndpointStatus = 'assessed' | 'error' | 'timeout';

/** One finding as a run reports it (its identity, where, and the evidence observed). */
export interface StoredFindingInput extends FindingSubject {
  fingerprint: string;
  key?: string;
  details: EvidenceParams;
}

/** A finding across runs: when it was first and last seen, and whether it is still open. */
export interface FindingRecord extends StoredFindingInput {
  /** `startedAt` of the first run in which the fingerprint appeared. */
  firstSeen: string;
  /** `startedAt` of the latest run in which the fingerprint appeared. */
  lastSeen: string;
  lastRunId: string;
  /** False once a later run assessed the endpoint, ran the check (pass or fail) and did not see it. */
  open: boolean;
  /** `startedAt` of the run that closed it (only while closed). */
  closedAt?: string;
  /** `startedAt` of the run in which it last came back after being closed (kept once set). */
  regressedAt?: string;
}

/** What is known of a finding before a run is merged in: its record and the state kept beside it. */
export interface KnownFinding {
  record: FindingRecord;
  /** As stored, even while open (null when never closed or reopened since). */
  closedAt: string | null;
  closedRunId: string | null;
  regressedAt: string | null;
  /** Hash of the evidence of its newest occurrence (see `detailsHash`). */
  detailsHash: string;
}
