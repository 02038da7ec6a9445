import {
  replacedWaiverEnd,
  validateWaiver,
  type ValidWaiver,
  type WaiveInput,
  type Waiver,
} from '../domain/index.js';
import { msg } from '../i18n/index.js';
import type { FindingEventValues } from './run-rows.js';
import { hashOf, waiverOf, type FindingRow, type WaiverRow } from './rows.js';

/** Waivers as both backends write them: checks and log entries (each backend with its own SQL). */

/**
 * Detail of the `unwaived` event when a new waiver replaces the active one: stored, so in French
 * whatever the language shown.
 */
const REPLACED = msg('pgcore.waiver.replaced').fallback;

/** A waiver to write, checked against the finding it waives (undefined: unknown), with its evidence. */
export function checkedWaiver(
  fingerprint: string,
  finding: FindingRow | undefined,
  w: WaiveInput,
): { valid: ValidWaiver; evidenceHash: string; event: FindingEventValues } {
  const valid = validateWaiver(
    fingerprint,
    finding === undefined ? undefined : { open: finding.open === 1 },
    w,
  );
  return {
    valid,
    evidenceHash: hashOf(finding as FindingRow),
    event: {
      fingerprint,
      at: valid.at,
      kind: 'waived',
      runId: null,
      detail: `${valid.by}: ${valid.reason}`,
    },
  };
}

/**
 * What becomes of the active waiver a new one replaces: it lapses (see `lapseOf`), or it is
 * withdrawn and this `unwaived` event logged.
 */
export function replacedEnd(
  fingerprint: string,
  current: WaiverRow,
  valid: ValidWaiver,
  evidenceHash: string,
): { end: 'lapse' } | { end: 'withdraw'; event: FindingEventValues } {
  if (replacedWaiverEnd(waiverOf(current), valid.at, evidenceHash) === 'lapse') return { end: 'lapse' };
  return {
    end: 'withdraw',
    event: {
      fingerprint,
      at: valid.at,
      kind: 'unwaived',
      runId: null,
      detail: `${valid.by}: ${REPLACED}`,
    },
  };
}

/** A waiver withdrawn by `by` at `at`: its log entry, and the waiver as it then stands. */
export function withdrawal(
  fingerprint: string,
  row: WaiverRow,
  u: { at: string; by: string; reason: string },
): { event: FindingEventValues; withdrawn: Waiver } {
  return {
    event: {
      fingerprint,
      at: u.at,
      kind: 'unwaived',
      runId: null,
      detail: u.reason === '' ? u.by : `${u.by}: ${u.reason}`,
    },
    withdrawn: waiverOf({ ...row, state: 'withdrawn', ended_at: u.at, end_reason: 'unwaived' }),
  };
}
