import { UsageError } from '../domain/index.js';
import { msg } from '../i18n/index.js';

/** A date-time given to the store, normalised to UTC; an invalid one is the caller's mistake (exit 2). */
export function isoInput(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(msg('texts2.store.bad-date', { field, value }));
  return date.toISOString();
}
