import type { z } from 'zod';

type ErrorMap = z.core.$ZodErrorMap;
type RawIssue = z.core.$ZodRawIssue;

export const REQUIRED = 'champ obligatoire';

const EXPECTED: Record<string, string> = {
  string: 'texte attendu',
  number: 'nombre attendu',
  int: 'nombre entier attendu',
  boolean: 'booléen attendu (true ou false)',
  array: 'liste attendue',
  object: 'table attendue (clé: valeur)',
  record: 'table attendue (clé: valeur)',
};

const FORMAT: Record<string, string> = {
  email: 'adresse e-mail invalide',
  url: 'URL invalide',
  regex: 'format invalide',
};

function describe(value: unknown): string {
  if (value === null) return 'valeur vide';
  if (Array.isArray(value)) return 'liste';
  if (typeof value === 'string') return 'texte';
  if (typeof value === 'number') return Number.isInteger(value) ? 'nombre entier' : 'nombre décimal';
  if (typeof value === 'boolean') return 'booléen';
  if (typeof value === 'object') return 'table';
  return typeof value;
}

function bound(value: number | bigint): string {
  return typeof value === 'bigint' ? value.toString() : String(value);
}

function messageFor(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return REQUIRED;
      if (iss.input === null)
        return `valeur manquante : ${EXPECTED[iss.expected] ?? `${iss.expected} attendu`}`;
      return `${EXPECTED[iss.expected] ?? `${iss.expected} attendu`} (reçu : ${describe(iss.input)})`;
    case 'invalid_value':
      if (iss.input === undefined) return REQUIRED;
      return `valeur attendue parmi ${iss.values.map(String).join(', ')}`;
    case 'too_small':
      if (iss.origin === 'array') return `au moins ${bound(iss.minimum)} élément(s) attendu(s)`;
      if (iss.origin === 'string')
        return iss.minimum === 1 ? 'valeur vide' : `au moins ${bound(iss.minimum)} caractères attendus`;
      return iss.inclusive === false
        ? `valeur supérieure à ${bound(iss.minimum)} attendue`
        : `valeur trop petite (minimum ${bound(iss.minimum)})`;
    case 'too_big':
      if (iss.origin === 'array') return `au plus ${bound(iss.maximum)} élément(s) attendu(s)`;
      if (iss.origin === 'string') return `au plus ${bound(iss.maximum)} caractères attendus`;
      return iss.inclusive === false
        ? `valeur inférieure à ${bound(iss.maximum)} attendue`
        : `valeur trop grande (maximum ${bound(iss.maximum)})`;
    case 'invalid_format':
      return FORMAT[iss.format] ?? `format ${iss.format} invalide`;
    case 'not_multiple_of':
      return `multiple de ${bound(iss.divisor)} attendu`;
    case 'unrecognized_keys':
      return iss.keys.map((k) => `clé inconnue « ${k} »`).join(', ');
    case 'invalid_union':
      return 'valeur invalide : aucune des formes acceptées ne correspond';
    case 'invalid_key':
      return 'clé invalide';
    case 'invalid_element':
      return 'élément invalide';
    case 'custom':
      return 'valeur invalide';
    default:
      return undefined;
  }
}

/** Keys an object schema accepts, reported when a document holds a key it does not know. */
export type UnknownKeysListener = (path: readonly PropertyKey[], known: readonly string[]) => void;

/**
 * Zod error map writing French messages. Messages given on a schema or a check win over it (zod's
 * precedence); `onUnknownKeys` learns the accepted keys of each object that met an unknown key, so
 * the caller can suggest the nearest one.
 */
export function frenchErrorMap(onUnknownKeys?: UnknownKeysListener): ErrorMap {
  return (iss) => {
    if (iss.code === 'unrecognized_keys' && onUnknownKeys !== undefined) {
      const def = iss.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      onUnknownKeys(iss.path ?? [], Object.keys(def?.shape ?? {}));
    }
    return messageFor(iss);
  };
}
