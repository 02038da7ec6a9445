import type { DiscoveryClass, DiscoverySource } from '../domain/index.js';
import type { DiscoveredNameInput, DiscoveredNameRecord } from './discovery-repository.js';

/** Discovered names as both backends store them (table `discovered_names`). */

export interface NameRow {
  name: string;
  domain: string;
  class: string;
  sources_json: string;
  details_json: string;
  first_seen: string;
  last_seen: string;
  last_run_id: string;
}

export function nameRecordOf(row: NameRow): DiscoveredNameRecord {
  return {
    name: row.name,
    domain: row.domain,
    class: row.class as DiscoveryClass,
    sources: JSON.parse(row.sources_json) as DiscoverySource[],
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    lastRunId: row.last_run_id,
  };
}

/** What a name becomes once seen at `at` by run `runId`, given what was known of it. */
export function mergedName(
  at: string,
  runId: string,
  n: DiscoveredNameInput,
  known: NameRow | undefined,
): DiscoveredNameRecord {
  const before = known === undefined ? undefined : nameRecordOf(known);
  // Sources accumulate: a name CT found once stays "ct" even in a run where CT failed.
  const sources = [...new Set([...(before?.sources ?? []), ...n.sources])].sort();
  return {
    ...n,
    name: n.name.toLowerCase(),
    sources,
    firstSeen: before !== undefined && before.firstSeen < at ? before.firstSeen : at,
    lastSeen: before !== undefined && before.lastSeen > at ? before.lastSeen : at,
    lastRunId: before !== undefined && before.lastSeen > at ? before.lastRunId : runId,
  };
}

/**
 * The values of a name's row, in the order of its columns: name, domain, class, sources_json,
 * details_json, first_seen, last_seen, last_run_id.
 */
export function nameValues(r: DiscoveredNameRecord): unknown[] {
  return [
    r.name,
    r.domain,
    r.class,
    JSON.stringify(r.sources),
    JSON.stringify(r.details),
    r.firstSeen,
    r.lastSeen,
    r.lastRunId,
  ];
}
