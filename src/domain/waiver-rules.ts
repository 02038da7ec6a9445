import type { Waiver } from './lifecycle.js';
import type { LocalText } from './errors.js';
import { WaiverError } from './waiver-error.js';

export interface WaiveInput {
  reason: string;
  /** ISO 8601; after `at`, and at most 366 days after it. */
  until: string;
  by: string;
  /** When the waiver is given (ISO 8601). */
  at: string;
}

export interface UnwaiveInput {
  by: string;
  at: string;
  reason?: string;
}

/** « Une dérogation dure au plus un an » : 366 days, so a waiver given on 29 February can reach the next one. */
export const MAX_WAIVER_DAYS = 366;
const DAY_MS = 86_400_000;

export interface ValidWaiver {
  reason: string;
  by: string;
  /** Normalised ISO 8601 (UTC). */
  at: string;
  until: string;
}

const unknownFinding = (fingerprint: string): LocalText => ({
  key: 'errlang.waiver.unknown-finding',
  params: { fingerprint },
  fallback: `aucun constat n’a l’empreinte ${fingerprint}`,
});

function dateOf(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new WaiverError(
      'invalid-date',
      {
        key: 'errlang.waiver.invalid-date',
        params: { value },
        fallback: `date invalide pour ${field} : « ${value} »`,
      },
      {
        hint: {
          key: 'errlang.waiver.date-hint',
          fallback: 'indiquez une date ISO 8601, par exemple 2025-12-31 ou 2025-12-31T18:00:00Z.',
        },
      },
    );
  }
  return date;
}

/**
 * Checks a waiver request against the comply-or-explain rules: an open finding, a reason, an expiry
 * after the moment it is given and at most one year later. Throws a WaiverError naming the rule.
 */
export function validateWaiver(
  fingerprint: string,
  finding: { open: boolean } | undefined,
  w: WaiveInput,
): ValidWaiver {
  if (finding === undefined) {
    throw new WaiverError('unknown-finding', unknownFinding(fingerprint), {
      hint: {
        key: 'errlang.waiver.unknown-hint',
        fallback: 'vigie findings list affiche les empreintes des constats.',
      },
    });
  }
  if (!finding.open) {
    throw new WaiverError('resolved-finding', {
      key: 'errlang.waiver.resolved',
      params: { fingerprint },
      fallback: `le constat ${fingerprint} est résolu : rien à déroger`,
    });
  }
  const reason = w.reason.trim();
  if (reason === '') {
    throw new WaiverError(
      'empty-reason',
      { key: 'errlang.waiver.empty-reason', fallback: 'une dérogation doit être motivée' },
      {
        hint: {
          key: 'errlang.waiver.reason-hint',
          fallback: 'indiquez pourquoi le risque est accepté avec --reason "…".',
        },
      },
    );
  }
  const at = dateOf(w.at, 'la date de la dérogation');
  const until = dateOf(w.until, "la date d'échéance");
  if (until.getTime() <= at.getTime()) {
    throw new WaiverError(
      'until-not-after',
      `l'échéance (${until.toISOString()}) doit être postérieure à la date de la dérogation (${at.toISOString()})`,
    );
  }
  if (until.getTime() - at.getTime() > MAX_WAIVER_DAYS * DAY_MS) {
    throw new WaiverError(
      'too-long',
      `une dérogation dure au plus un an : l'échéance ${until.toISOString()} dépasse ${new Date(at.getTime() + MAX_WAIVER_DAYS * DAY_MS).toISOString()}`,
      {
        hint: 'choisissez une échéance plus proche, puis renouvelez la dérogation si le risque est toujours accepté.',
      },
    );
  }
  return { reason, by: w.by.trim(), at: at.toISOString(), until: until.toISOString() };
}

/** How an active waiver ends when it no longer applies. */
export interface WaiverLapse {
  endedAt: string;
  endReason: 'expired' | 'evidence-changed';
}

/**
 * Why and when an active waiver lapses at `at` (ISO, UTC): at its own expiry when that came first,
 * otherwise at `at` because the evidence it was given for changed.
 */
export function waiverLapse(waiver: Pick<Waiver, 'until'>, at: string): WaiverLapse {
  const expired = waiver.until <= at;
  return expired
    ? { endedAt: waiver.until, endReason: 'expired' }
    : { endedAt: at, endReason: 'evidence-changed' };
}

/** Whether an active waiver is due to lapse at `now`: its expiry is reached. */
export function waiverDue(waiver: Pick<Waiver, 'until'>, now: string): boolean {
  return waiver.until <= now;
}

/**
 * What happens to the active waiver of a finding when a new one is given at `at` for evidence of
 * hash `evidenceHash`: it lapses if it had expired or its evidence changed, else it is withdrawn.
 */
export function replacedWaiverEnd(
  current: Pick<Waiver, 'until' | 'evidenceHash'>,
  at: string,
  evidenceHash: string,
): 'lapse' | 'withdraw' {
  return waiverDue(current, at) || current.evidenceHash !== evidenceHash ? 'lapse' : 'withdraw';
}

/**
 * A waiver already given lapses when a newer occurrence of its finding brings other evidence
 * (`newest`: the occurrence is the latest seen so far; `detailsHash`: of its evidence).
 */
export function waiverLapsesWithEvidence(
  waiver: Pick<Waiver, 'evidenceHash'>,
  occurrence: { newest: boolean; detailsHash: string },
): boolean {
  return occurrence.newest && waiver.evidenceHash !== occurrence.detailsHash;
}

/**
 * Checks a withdrawal: a valid date, a finding that exists, an active waiver not yet expired.
 * Returns the normalised moment (ISO, UTC); throws a WaiverError naming the rule otherwise.
 */
export function validateUnwaive(
  fingerprint: string,
  state: { findingExists: boolean; active: Pick<Waiver, 'until'> | undefined },
  u: UnwaiveInput,
): { at: string; by: string; reason: string } {
  const at = new Date(u.at);
  if (Number.isNaN(at.getTime())) {
    throw new WaiverError('invalid-date', `date invalide pour le retrait : « ${u.at} »`);
  }
  const when = at.toISOString();
  if (state.active === undefined) {
    if (!state.findingExists) {
      throw new WaiverError('unknown-finding', unknownFinding(fingerprint));
    }
    throw new WaiverError('no-active-waiver', {
      key: 'errlang.waiver.none-active',
      params: { fingerprint },
      fallback: `le constat ${fingerprint} n’a pas de dérogation en cours`,
    });
  }
  if (waiverDue(state.active, when)) {
    throw new WaiverError(
      'no-active-waiver',
      `la dérogation du constat ${fingerprint} a expiré le ${state.active.until} : rien à retirer`,
    );
  }
  return { at: when, by: u.by.trim(), reason: u.reason?.trim() ?? '' };
}
