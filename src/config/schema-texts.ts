import { msg, type CatalogueText, type MessageKey, type Params } from '../i18n/index.js';

/** Catalogue messages given to the zod schemas, by their French text (what zod reports back). */
const SAID = new Map<string, CatalogueText>();

/**
 * A message for a zod schema (`{ error: said('…') }`): zod wants a string, so the French text is
 * given, and the catalogue message behind it is remembered for `validateWithSchema` to render the
 * issue in the chosen language.
 */
export function said(key: MessageKey, params: Params = {}): string {
  const text = msg(key, params);
  SAID.set(text.fallback, text);
  return text.fallback;
}

/** The catalogue message behind a French schema message, when `said` gave it. */
export function saidText(message: string): CatalogueText | undefined {
  return SAID.get(message);
}
