import { detailsHash } from './evidence-hash.js';
import type { FindingRecord, KnownFinding, StoredFindingInput } from './finding-record.js';

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
 * Merges one occurrence into the known state of its fingerprint. Pure, so saving a run and
 * previewing it cannot disagree. Runs may arrive out of order: an older run never overwrites the
 * attributes, evidence or open/closed state set by a newer one, but can move `firstSeen` back.
 * A closed finding seen again in a run at least as recent as the one that closed it regresses.
 */
export function mergeFinding(
  known: KnownFinding | undefined,
  input: StoredFindingInput,
  runId: string,
  startedAt: string,
): MergedFinding {
  if (known === undefined) {
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
  const existing = known.record;
  const firstSeen = startedAt < existing.firstSeen ? startedAt : existing.firstSeen;
  const previousHash = known.detailsHash;
  const unchanged = {
    firstSeen: false,
    firstSeenMovedBack: firstSeen !== existing.firstSeen,
  };
  if (startedAt < existing.lastSeen) {
    return {
      record: { ...existing, firstSeen },
      closedAt: known.closedAt,
      closedRunId: known.closedRunId,
      regressedAt: known.regressedAt,
      detailsHash: previousHash,
      ...unchanged,
      regressed: false,
      newest: false,
      evidenceChanged: false,
    };
  }
  // Seen in the newest run so far: open again, unless a run newer than this one closed it.
  const wasClosed = !existing.open;
  const reopened = known.closedAt === null || startedAt >= known.closedAt;
  const regressed = wasClosed && reopened;
  const regressedAt = regressed ? startedAt : known.regressedAt;
  const hash = detailsHash(input.details);
  return {
    record: {
      ...attributesFromInput(input),
      firstSeen,
      lastSeen: startedAt,
      lastRunId: runId,
      open: reopened,
      ...(reopened || known.closedAt === null ? {} : { closedAt: known.closedAt }),
      ...(regressedAt === null ? {} : { regressedAt }),
    },
    closedAt: reopened ? null : known.closedAt,
    closedRunId: reopened ? null : known.closedRunId,
    regressedAt,
    detailsHash: hash,
    ...unchanged,
    regressed,
    newest: true,
    evidenceChanged: hash !== previousHash,
  };
}
