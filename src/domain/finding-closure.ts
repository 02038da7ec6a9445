import type { FindingRecord, StoredCheckStatus, StoredEndpointStatus } from './finding-record.js';

/** Statuses of a check that prove the check ran on the endpoint: only these can close a finding. */
const CLOSING_CHECK_STATUSES: ReadonlySet<StoredCheckStatus> = new Set(['pass', 'fail']);

/**
 * The checks of an endpoint whose silence closes findings ("close what was not seen"): none when the
 * endpoint could not be assessed; otherwise those that ran (pass or fail). A check in error or
 * skipped observed nothing, so it closes nothing.
 */
export function closingChecks(endpoint: {
  status: StoredEndpointStatus;
  checks: Readonly<Record<string, StoredCheckStatus>>;
}): string[] {
  if (endpoint.status !== 'assessed') return [];
  return Object.entries(endpoint.checks)
    .filter(([, status]) => CLOSING_CHECK_STATUSES.has(status))
    .map(([checkId]) => checkId);
}

/**
 * Whether a run started at `startedAt`, whose check ran on the finding's endpoint without reporting
 * it, closes the finding: it is open and was last seen before that run (a finding of this run, or of
 * a newer one saved earlier, stays open).
 */
export function closedByRun(finding: Pick<FindingRecord, 'open' | 'lastSeen'>, startedAt: string): boolean {
  return finding.open && finding.lastSeen < startedAt;
}
