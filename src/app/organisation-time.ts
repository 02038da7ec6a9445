import type { VigieConfig } from '../config/index.js';
import { optionalConfig } from './inventory-index.js';
import { toLocalDateTime } from '../playbooks/index.js';

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** `organisation.timezone` of vigie.yml, else Europe/Paris. */
export function organisationTimeZone(config: VigieConfig | undefined): string {
  return config?.organisation.timezone ?? DEFAULT_TIME_ZONE;
}

/** The calendar day (AAAA-MM-JJ) that `date` falls on in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  const l = toLocalDateTime(date, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;
}

/** The time zone of the vigie.yml at `inventoryFile` (Europe/Paris when there is none). */
export function configuredTimeZone(inventoryFile: string | undefined): string {
  return organisationTimeZone(optionalConfig(inventoryFile));
}
