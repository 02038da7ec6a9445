import {
  detailsHash,
  type Category,
  type EvidenceParams,
  type FindingRecord,
  type KnownFinding,
  type PostureIndex,
  type Severity,
  type StoredCheckStatus,
  type StoredEndpointStatus,
  type StoredFindingInput,
  type Waiver,
} from '../domain/index.js';
import type { RunSummary, StoredEndpoint } from './run-repository.js';

/** Rows as both backends return them (same tables, same columns), and their mapping to the Store types. */

export interface FindingRow {
  fingerprint: string;
  check_id: string;
  severity: string;
  category: string;
  host: string;
  port: number;
  asset_id: string | null;
  key: string | null;
  details_json: string;
  first_seen: string;
  last_seen: string;
  last_run_id: string;
  open: number;
  closed_at: string | null;
  closed_run_id: string | null;
  regressed_at: string | null;
  /** Null only for rows written before migration 2 and not backfilled. */
  details_hash: string | null;
}

export interface RunRow {
  id: string;
  started_at: string;
  finished_at: string;
  scoring_version: string;
  targets_json: string;
  endpoint_count: number;
  finding_count: number;
  posture_json: string | null;
}

export interface EndpointRow {
  host: string;
  port: number;
  asset_id: string | null;
  status: string;
  reason: string | null;
  detail: string | null;
  checks_json: string;
  facts_json: string | null;
}

export interface WaiverRow {
  id: number;
  fingerprint: string;
  reason: string;
  until: string;
  waived_by: string;
  waived_at: string;
  evidence_hash: string;
  state: string;
  ended_at: string | null;
  end_reason: string | null;
}

export interface EventRow {
  id: number;
  at: string;
  kind: string;
  run_id: string | null;
  detail: string | null;
}

export function attributesOf(row: FindingRow): StoredFindingInput {
  return {
    fingerprint: row.fingerprint,
    checkId: row.check_id,
    severity: row.severity as Severity,
    category: row.category as Category,
    host: row.host,
    port: row.port,
    ...(row.asset_id === null ? {} : { assetId: row.asset_id }),
    ...(row.key === null ? {} : { key: row.key }),
    details: JSON.parse(row.details_json) as EvidenceParams,
  };
}

export function recordOf(row: FindingRow): FindingRecord {
  return {
    ...attributesOf(row),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    lastRunId: row.last_run_id,
    open: row.open === 1,
    ...(row.open === 1 || row.closed_at === null ? {} : { closedAt: row.closed_at }),
    ...(row.regressed_at === null ? {} : { regressedAt: row.regressed_at }),
  };
}

export function hashOf(row: FindingRow): string {
  return row.details_hash ?? detailsHash(JSON.parse(row.details_json) as EvidenceParams);
}

/** What the lifecycle rules need to know of a stored finding. */
export function knownOf(row: FindingRow): KnownFinding {
  return {
    record: recordOf(row),
    closedAt: row.closed_at,
    closedRunId: row.closed_run_id,
    regressedAt: row.regressed_at,
    detailsHash: hashOf(row),
  };
}

export function summaryOf(row: RunRow): RunSummary {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    scoringVersion: row.scoring_version,
    targets: JSON.parse(row.targets_json) as string[],
    endpointCount: row.endpoint_count,
    findingCount: row.finding_count,
    ...(row.posture_json === null ? {} : { posture: JSON.parse(row.posture_json) as PostureIndex }),
  };
}

export function endpointOf(row: EndpointRow): StoredEndpoint {
  return {
    host: row.host,
    port: row.port,
    ...(row.asset_id === null ? {} : { assetId: row.asset_id }),
    status: row.status as StoredEndpointStatus,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.detail === null ? {} : { detail: row.detail }),
    checks: JSON.parse(row.checks_json) as Record<string, StoredCheckStatus>,
    ...(row.facts_json === null ? {} : { facts: JSON.parse(row.facts_json) }),
  };
}

export function waiverOf(row: WaiverRow): Waiver {
  return {
    fingerprint: row.fingerprint,
    reason: row.reason,
    until: row.until,
    by: row.waived_by,
    waivedAt: row.waived_at,
    evidenceHash: row.evidence_hash,
    state: row.state as Waiver['state'],
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    ...(row.end_reason === null ? {} : { endReason: row.end_reason as NonNullable<Waiver['endReason']> }),
  };
}

/** JSON text for a nullable column: undefined (or a value JSON cannot represent) is NULL. */
export function jsonOrNull(value: unknown): string | null {
  if (value === undefined) return null;
  // JSON.stringify is typed `string`, but gives undefined for a function or a symbol.
  const text: string | undefined = JSON.stringify(value);
  return text ?? null;
}
