import type { FindingRecord } from './finding-record.js';
import type { FindingStatus, Waiver } from './lifecycle.js';

/** A waiver applies while active, before its expiry, and for the evidence it was given for. */
export function waiverInForce(waiver: Waiver, detailsHash: string, now: string): boolean {
  return waiver.state === 'active' && waiver.until > now && waiver.evidenceHash === detailsHash;
}

/**
 * Where a finding stands: resolved once closed; waived while open under a waiver in force;
 * regressed while open after coming back; new while open and seen in a single run; open otherwise.
 */
export function findingStatus(record: FindingRecord, waived: boolean): FindingStatus {
  if (!record.open) return 'resolved';
  if (waived) return 'waived';
  if (record.regressedAt !== undefined && record.regressedAt > record.firstSeen) return 'regressed';
  if (record.firstSeen === record.lastSeen) return 'new';
  return 'open';
}
