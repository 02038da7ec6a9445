import type { TrackedFinding } from './finding-repository.js';
import type { LatestEndpoint } from './run-repository.js';

/** How many findings each list of a window of changes holds (as `FindingRepository#changedBetween`). */
export interface ChangeCounts {
  new: number;
  resolved: number;
  regressed: number;
}

/** The counts of a window of changes and the first `limit` findings of each list, in their order. */
export interface ChangesHead {
  counts: ChangeCounts;
  new: TrackedFinding[];
  resolved: TrackedFinding[];
  regressed: TrackedFinding[];
}

/** One page of open findings, and where the next one starts (absent: this is the last). */
export interface FindingPage {
  findings: TrackedFinding[];
  next?: string;
}

/**
 * Reads for the report of a large estate, page by page or counted by the database, so that the
 * memory of a report does not follow the size of the estate. Each read gives what the whole-list
 * reads of `FindingRepository` and `RunRepository` give, in the same order.
 */
export interface ReportQueryRepository {
  /**
   * Open findings (what `findings.list` gives for the statuses new, open, regressed and waived) with
   * their status at `now`, in the order of `findings.list`: at most `limit`, those after the finding
   * `after` (the previous page's `next`; none: from the first). `next` is absent on the last page.
   */
  openFindingsPage(now: string, after: string | undefined, limit: number): Promise<FindingPage>;
  /**
   * Every open finding, as `openFindingsPage` gives them page after page, handed to `each` in
   * batches of at most `batch`, read by one statement (a cursor): the store sorts once, and each
   * batch can be let go before the next is read.
   */
  eachOpenFinding(now: string, batch: number, each: (findings: TrackedFinding[]) => void): Promise<void>;
  /** Every endpoint of `runs.latestEndpoints()`, in its order, handed to `each` in batches (a cursor). */
  eachLatestEndpoint(batch: number, each: (endpoints: LatestEndpoint[]) => void): Promise<void>;
  /**
   * The findings of one list of `changedBetween(from, to)`, in its order, handed to `each` in batches
   * (a cursor).
   */
  eachChangedFinding(
    list: keyof ChangeCounts,
    from: string,
    to: string,
    batch: number,
    each: (findings: TrackedFinding[]) => void,
  ): Promise<void>;
  /** How many findings `changedBetween(from, to)` lists, and the first `limit` of each list. */
  changesHead(from: string, to: string, limit: number): Promise<ChangesHead>;
  /** How many endpoints `runs.latestEndpoints()` gives (closed ones included). */
  latestEndpointCount(): Promise<number>;
  /**
   * The endpoints of `runs.latestEndpoints()`, in its order: at most `limit`, those after the
   * endpoint `after` (the last of the previous page; none: from the first).
   */
  latestEndpointsPage(
    after: { host: string; port: number } | undefined,
    limit: number,
  ): Promise<LatestEndpoint[]>;
}
