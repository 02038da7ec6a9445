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

/** A catalogue message inside another one (a parameter rendered in the same language). */
export interface CataloguePart {
  key: MessageKey;
  params?: Params;
}

/** A catalogue message as errors and issues carry it: key, parameters and the French rendering. */
export interface CatalogueText {
  key: MessageKey;
  params: Params;
  parts?: Record<string, CataloguePart>;
  fallback: string;
}

/** Loosely typed (keys read back from an error), rendered only when the key is in the catalogue. */
interface CarriedText {
  key: string;
  params?: Params;
  parts?: Record<string, { key: string; params?: Params }>;
  fallback: string;
}

function render(lang: Lang, text: Omit<CarriedText, 'fallback'>): string | undefined {
  if (!isMessageKey(text.key)) return undefined;
  const params: Params = { ...text.params };
  for (const [name, part] of Object.entries(text.parts ?? {})) {
    const rendered = render(lang, part);
    if (rendered === undefined) return undefined;
    params[name] = rendered;
  }
  return t(lang, text.key, params);
}

/** The message `key` for an error or an issue: rendered in the chosen language where it is shown. */
export function msg(
  key: MessageKey,
  params: Params = {},
  parts?: Record<string, CataloguePart>,
): CatalogueText {
  const text = { key, params, ...(parts ? { parts } : {}) };
  return { ...text, fallback: render('fr', text) ?? key };
}

/** `text` in `lang` when its key (and its parts' keys) are in the catalogue; otherwise `fallback`. */
export function localize(lang: Lang, text: CarriedText | undefined, fallback: string): string {
  return (text && render(lang, text)) ?? text?.fallback ?? fallback;
}

const SEVERITY_KEYS = {
  info: 'severity.info',
  low: 'severity.low',
  medium: 'severity.medium',
  high: 'severity.high',
  critical: 'severity.critical',
} as const satisfies Record<string, MessageKey>;

/** The severities a label exists for (the domain's `Severity`). */
export type SeverityName = keyof typeof SEVERITY_KEYS;

/** The one place a severity gets its label (`severity.*` in the catalogue), in every output. */
export function severityLabel(lang: Lang, severity: SeverityName): string {
  return t(lang, SEVERITY_KEYS[severity]);
}
