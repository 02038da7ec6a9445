import type { VigieConfig } from '../../config/index.js';
import { optionalConfig } from './inventory-index.js';
import { zonedDateTime } from '../../domain/index.js';

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** `organisation.timezone` of vigie.yml, else Europe/Paris. */
export function organisationTimeZone(config: VigieConfig | undefined): string {
  return config?.organisation.timezone ?? DEFAULT_TIME_ZONE;
}

/** The calendar day (AAAA-MM-JJ) that `date` falls on in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  return zonedDateTime(date, timeZone).toPlainDate().toString();
}

/** The time zone of the vigie.yml at `inventoryFile` (Europe/Paris when there is none). */
export function configuredTimeZone(inventoryFile: string | undefined): string {
  return organisationTimeZone(optionalConfig(inventoryFile));
}
