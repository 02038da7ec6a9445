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

/** An instant as the organisation reads it: `2026-12-04 11:20:05` on the wall clock of `timeZone`. */
export function localDateTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const z = zonedDateTime(date, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${z.toPlainDate().toString()} ${two(z.hour)}:${two(z.minute)}:${two(z.second)}`;
}
