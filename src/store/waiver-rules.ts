import { WaiverError } from './waiver-error.js';
import type { WaiveInput } from './store.js';

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

function dateOf(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new WaiverError('invalid-date', `date invalide pour ${field} : « ${value} »`, {
      hint: 'indiquez une date ISO 8601, par exemple 2025-12-31 ou 2025-12-31T18:00:00Z.',
    });
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
    throw new WaiverError('unknown-finding', `aucun constat n'a l'empreinte ${fingerprint}`, {
      hint: 'vigie findings list affiche les empreintes des constats.',
    });
  }
  if (!finding.open) {
    throw new WaiverError('resolved-finding', `le constat ${fingerprint} est résolu : rien à déroger`);
  }
  const reason = w.reason.trim();
  if (reason === '') {
    throw new WaiverError('empty-reason', 'une dérogation doit être motivée', {
      hint: 'indiquez pourquoi le risque est accepté avec --reason "…".',
    });
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
