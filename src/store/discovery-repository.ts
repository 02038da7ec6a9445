import type { DiscoveryClass, DiscoverySource, FindingRecord } from '../domain/index.js';
import type { StoredRunInput } from './run-repository.js';

/** One name as a discovery run saw it. */
export interface DiscoveredNameInput {
  name: string;
  domain: string;
  class: DiscoveryClass;
  sources: DiscoverySource[];
  /** What the app keeps about it (addresses, CNAME chain, provider …): stored as JSON, never interpreted. */
  details: Record<string, unknown>;
}

/** A discovered name across runs. */
export interface DiscoveredNameRecord extends DiscoveredNameInput {
  /** `startedAt` of the first discovery run that saw it. */
  firstSeen: string;
  /** `startedAt` of the latest discovery run that saw it. */
  lastSeen: string;
  lastRunId: string;
}

/** Names found by `vigie discover`, with when each was first and last seen. */
export interface DiscoveryRepository {
  /**
   * Saves a discovery run (its findings merged like a scan's, `kind` forced to `discovery`) and
   * its names, in one transaction. Returns the findings and the names as stored.
   */
  saveRun(
    run: StoredRunInput,
    names: readonly DiscoveredNameInput[],
  ): Promise<{ findings: FindingRecord[]; names: DiscoveredNameRecord[] }>;
  /** What the names WOULD become, without writing (`--no-save`). */
  preview(
    startedAt: string,
    runId: string,
    names: readonly DiscoveredNameInput[],
  ): Promise<DiscoveredNameRecord[]>;
  /** Every name, by name. */
  list(): Promise<DiscoveredNameRecord[]>;
  /** Names first seen at or after `since` (ISO 8601), by name. */
  firstSeenSince(since: string): Promise<DiscoveredNameRecord[]>;
  /**
   * `startedAt` of the latest finished discovery run (started before `before`, ISO 8601, when
   * given); undefined when none ran (« not measured »).
   */
  latestRunAt(before?: string): Promise<string | undefined>;
}
