import { en } from './en.js';
import { fr, type MessageKey } from './fr.js';

export const LANGUAGES = ['fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type Params = Record<string, string | number | boolean>;

const PLACEHOLDER = /\{([a-zA-Z0-9_]+)\}/g;
/** `[[ … ]]`: a part of a template kept only when every parameter it names is given. */
const OPTIONAL_PART = /\[\[([^\]]*)\]\]/g;

/**
 * Replaces each `{name}` with its parameter; unknown names are left visible rather than dropped,
 * except inside an optional part `[[ … ]]`, which is dropped whole when one of its names is missing.
 */
export function fillTemplate(template: string, params: Params): string {
  return template
    .replace(OPTIONAL_PART, (_whole, part: string) =>
      [...part.matchAll(PLACEHOLDER)].every((m) => (m[1] ?? '') in params) ? part : '',
    )
    .replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fillTemplate((lang === 'en' ? en : fr)[key], params);
}

/**
 * Evidence parameters as the sentence reads them: a `scope` token (`every-sender`…) becomes its
 * sentence `evidence.scope.<token>`, filled with the other parameters; the finding's details keep the token.
 */
export function evidenceParams(lang: Lang, params: Params): Params {
  const scope = params['scope'];
  const key = `evidence.scope.${String(scope)}`;
  if (typeof scope !== 'string' || !(key in fr)) return params;
  return { ...params, scope: t(lang, key as MessageKey, params) };
}

export function isLang(value: string | undefined): value is Lang {
  return value === 'fr' || value === 'en';
}

export type { MessageKey };

/** Whether `key` names a message of the catalogue (for keys built at run time, e.g. from a command id). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}
