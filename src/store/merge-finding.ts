import { detailsHash } from './details-hash.js';
import { hashOf, recordOf, type FindingRow } from './rows.js';
import type { FindingRecord, StoredFindingInput } from './store.js';

/** The state a finding has once one occurrence is merged in, and what the occurrence changed. */
export interface MergedFinding {
  record: FindingRecord;
  closedAt: string | null;
  closedRunId: string | null;
  regressedAt: string | null;
  detailsHash: string;
  /** Never seen before. */
  firstSeen: boolean;
  /** Seen before, but this (older, saved late) run moves `firstSeen` back. */
  firstSeenMovedBack: boolean;
  /** Closed, and back in a run at least as recent as the one that closed it. */
  regressed: boolean;
  /** Seen before, and this is the newest run so far: its evidence is now the finding's. */
  newest: boolean;
  /** Newest run, with evidence other than the previous occurrence's. */
  evidenceChanged: boolean;
}

function attributesFromInput(f: StoredFindingInput): StoredFindingInput {
  return {
    fingerprint: f.fingerprint,
    checkId: f.checkId,
    severity: f.severity,
    category: f.category,
    host: f.host,
    port: f.port,
    ...(f.assetId === undefined ? {} : { assetId: f.assetId }),
    ...(f.key === undefined ? {} : { key: f.key }),
    details: f.details,
  };
}

/**
 * Merges one occurrence into the stored state of its fingerprint. Pure, so `saveRun` and
 * `previewRun` cannot disagree. Runs may arrive out of order: an older run never overwrites the
 * attributes, evidence or open/closed state set by a newer one, but can move `firstSeen` back.
 */
export function mergeFinding(
  existing: FindingRow | undefined,
  input: StoredFindingInput,
  runId: string,
  startedAt: string,
): MergedFinding {
  if (existing === undefined) {
    return {
      record: {
        ...attributesFromInput(input),
        firstSeen: startedAt,
        lastSeen: startedAt,
        lastRunId: runId,
        open: true,
      },
      closedAt: null,
      closedRunId: null,
      regressedAt: null,
      detailsHash: detailsHash(input.details),
      firstSeen: true,
      firstSeenMovedBack: false,
      regressed: false,
      newest: true,
      evidenceChanged: false,
    };
  }
  const firstSeen = startedAt < existing.first_seen ? startedAt : existing.first_seen;
  const previousHash = hashOf(existing);
  const unchanged = {
    firstSeen: false,
    firstSeenMovedBack: firstSeen !== existing.first_seen,
  };
  if (startedAt < existing.last_seen) {
    return {
      record: { ...recordOf(existing), firstSeen },
      closedAt: existing.closed_at,
      closedRunId: existing.closed_run_id,
      regressedAt: existing.regressed_at,
      detailsHash: previousHash,
      ...unchanged,
      regressed: false,
      newest: false,
      evidenceChanged: false,
    };
  }
  // Seen in the newest run so far: open again, unless a run newer than this one closed it.
  const wasClosed = existing.open === 0;
  const reopened = existing.closed_at === null || startedAt >= existing.closed_at;
  const regressed = wasClosed && reopened;
  const regressedAt = regressed ? startedAt : existing.regressed_at;
  const hash = detailsHash(input.details);
  return {
    record: {
      ...attributesFromInput(input),
      firstSeen,
      lastSeen: startedAt,
      lastRunId: runId,
      open: reopened,
      ...(reopened || existing.closed_at === null ? {} : { closedAt: existing.closed_at }),
      ...(regressedAt === null ? {} : { regressedAt }),
    },
    closedAt: reopened ? null : existing.closed_at,
    closedRunId: reopened ? null : existing.closed_run_id,
    regressedAt,
    detailsHash: hash,
    ...unchanged,
    regressed,
    newest: true,
    evidenceChanged: hash !== previousHash,
  };
}
