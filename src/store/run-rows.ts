import os from 'node:os';
import {
  describeEvidenceChange,
  UsageError,
  VigieError,
  waiverLapse,
  type EvidenceParams,
  type FindingEventKind,
  type FindingRecord,
  type MergedFinding,
  type Severity,
  type StoredFindingInput,
  type Waiver,
} from '../domain/index.js';
import { msg } from '../i18n/index.js';
import type { LatestEndpoint, StoredEndpoint } from './run-repository.js';
import {
  endpointOf,
  jsonOrNull,
  recordOf,
  waiverOf,
  type EndpointRow,
  type FindingRow,
  type WaiverRow,
} from './rows.js';

/** Runs, their endpoints and their findings as both backends write and read them (each with its own SQL). */

/** A finding of a run: the finding's row with the severity and the evidence of that occurrence. */
export type RunFindingRow = FindingRow & { run_severity: string; run_details_json: string };

export type LatestEndpointRow = EndpointRow & { run_id: string; started_at: string };

/** Rows read or written at once while a run is saved or finished. */
export const RUN_PAGE = 500;

/** A page of rows numbered by `seq` (a number, or PostgreSQL's bigint as text): its items and the next page's start. */
export function pageOf<R extends { seq: number | string }, T>(
  rows: readonly R[],
  limit: number,
  item: (row: R) => T,
): { items: T[]; next?: number } {
  const last = rows[rows.length - 1];
  return {
    items: rows.map(item),
    ...(rows.length >= limit && last !== undefined ? { next: Number(last.seq) } : {}),
  };
}

/** A `finding_events` row to write. */
export interface FindingEventValues {
  fingerprint: string;
  at: string;
  kind: FindingEventKind;
  runId: string | null;
  detail: string | null;
}

export function isoOf(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new VigieError(msg('texts2.store.bad-date', { field, value }));
  return date.toISOString();
}

/** The limit of a run listing: a whole number from 1, or none. */
export function checkedRunLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new UsageError(msg('texts2.store.run.bad-limit', { limit }));
  }
}

/** Who runs a run begun here: `host:pid`. */
export function runOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

function splitOwner(owner: string | null): [string, string] {
  const at = owner?.lastIndexOf(':') ?? -1;
  return owner && at > 0 ? [owner.slice(0, at), owner.slice(at + 1)] : ['', ''];
}

/** Whether a process of this machine still exists (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether an unfinished run is abandoned at `now`: older than `staleAfterMs` whatever its owner (a
 * pid may have been reused since), or begun by a process of this machine that no longer exists.
 */
export function isAbandoned(
  run: { started_at: string; owner: string | null },
  now: Date,
  staleAfterMs: number,
): boolean {
  const [host, pidText] = splitOwner(run.owner);
  return (
    now.getTime() - new Date(run.started_at).getTime() > staleAfterMs ||
    (host === os.hostname() && !processAlive(Number(pidText)))
  );
}

/**
 * The values of a finding's row once merged, in the order of its columns: fingerprint, check_id,
 * severity, category, host, port, asset_id, key, details_json, first_seen, last_seen, last_run_id,
 * open, closed_at, closed_run_id, regressed_at, details_hash.
 */
export function findingValues(merged: MergedFinding): unknown[] {
  const r = merged.record;
  return [
    r.fingerprint,
    r.checkId,
    r.severity,
    r.category,
    r.host,
    r.port,
    r.assetId ?? null,
    r.key ?? null,
    JSON.stringify(r.details),
    r.firstSeen,
    r.lastSeen,
    r.lastRunId,
    r.open ? 1 : 0,
    merged.closedAt,
    merged.closedRunId,
    merged.regressedAt,
    merged.detailsHash,
  ];
}

/**
 * The values of an endpoint's row, in the order of its columns: host, port, asset_id, status,
 * reason, detail, checks_json, facts_json.
 */
export function endpointValues(e: StoredEndpoint): unknown[] {
  return [
    e.host,
    e.port,
    e.assetId ?? null,
    e.status,
    e.reason ?? null,
    e.detail ?? null,
    JSON.stringify(e.checks),
    jsonOrNull(e.facts),
  ];
}

/**
 * The events a merged occurrence logs (first seen, regressed, evidence changed), in that order;
 * `existing` is the finding's row before the merge.
 */
export function mergeEvents(
  merged: MergedFinding,
  f: StoredFindingInput,
  existing: FindingRow | undefined,
  startedAt: string,
  runId: string,
): FindingEventValues[] {
  const events: FindingEventValues[] = [];
  const event = (kind: FindingEventKind, detail: string | null = null): void => {
    events.push({ fingerprint: f.fingerprint, at: startedAt, kind, runId, detail });
  };
  if (merged.firstSeen) event('first-seen');
  if (merged.regressed) event('regressed');
  if (merged.evidenceChanged && existing !== undefined) {
    const before = JSON.parse(existing.details_json) as EvidenceParams;
    const detail = describeEvidenceChange(before, f.details);
    event('evidence-changed', detail === '' ? null : detail);
  }
  return events;
}

/**
 * How an active waiver lapses at `at` because it no longer applies (see `waiverLapse`): its end,
 * the `waiver-lapsed` event to log (with the run when the evidence changed in it), and the waiver
 * as it then stands.
 */
export function lapseOf(
  waiver: WaiverRow,
  at: string,
  runId: string | null,
): {
  endedAt: string;
  endReason: NonNullable<Waiver['endReason']>;
  event: FindingEventValues;
  lapsed: Waiver;
} {
  const { endedAt, endReason } = waiverLapse(waiver, at);
  return {
    endedAt,
    endReason,
    event: {
      fingerprint: waiver.fingerprint,
      at: endedAt,
      kind: 'waiver-lapsed',
      runId: endReason === 'expired' ? null : runId,
      detail: endReason,
    },
    lapsed: waiverOf({ ...waiver, state: 'lapsed', ended_at: endedAt, end_reason: endReason }),
  };
}

/** A finding as one run saw it: its severity and evidence in that run. */
export function runFindingOf(row: RunFindingRow): FindingRecord {
  return {
    ...recordOf(row),
    severity: row.run_severity as Severity,
    details: JSON.parse(row.run_details_json) as EvidenceParams,
  };
}

export function latestEndpointOf(row: LatestEndpointRow): LatestEndpoint {
  return { ...endpointOf(row), runId: row.run_id, startedAt: row.started_at };
}
