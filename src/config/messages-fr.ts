import type { z } from 'zod';
import { msg, type CataloguePart, type CatalogueText, type MessageKey } from '../i18n/index.js';

type ErrorMap = z.core.$ZodErrorMap;
type RawIssue = z.core.$ZodRawIssue;

const EXPECTED: Record<string, MessageKey> = {
  string: 'errlang.schema.expected.string',
  number: 'errlang.schema.expected.number',
  int: 'errlang.schema.expected.int',
  boolean: 'errlang.schema.expected.boolean',
  array: 'errlang.schema.expected.array',
  object: 'errlang.schema.expected.object',
  record: 'errlang.schema.expected.object',
};

const FORMAT: Record<string, MessageKey> = {
  email: 'errlang.schema.format.email',
  url: 'errlang.schema.format.url',
  regex: 'errlang.schema.format.regex',
};

function expected(type: string): CataloguePart {
  const key = EXPECTED[type];
  return key ? { key } : { key: 'errlang.schema.expected.other', params: { type } };
}

function describe(value: unknown): CataloguePart {
  if (value === null) return { key: 'errlang.schema.kind.empty' };
  if (Array.isArray(value)) return { key: 'errlang.schema.kind.list' };
  if (typeof value === 'string') return { key: 'errlang.schema.kind.text' };
  if (typeof value === 'number')
    return { key: Number.isInteger(value) ? 'errlang.schema.kind.integer' : 'errlang.schema.kind.decimal' };
  if (typeof value === 'boolean') return { key: 'errlang.schema.kind.boolean' };
  if (typeof value === 'object') return { key: 'errlang.schema.kind.table' };
  return { key: 'errlang.schema.kind.other', params: { type: typeof value } };
}

function bound(value: number | bigint): string {
  return typeof value === 'bigint' ? value.toString() : String(value);
}

/** The catalogue message of a zod issue (undefined: zod's own, or the schema's message). */
export function schemaMessage(iss: RawIssue): CatalogueText | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return msg('errlang.schema.required');
      if (iss.input === null) return msg('errlang.schema.missing', {}, { expected: expected(iss.expected) });
      return msg(
        'errlang.schema.wrong-type',
        {},
        { expected: expected(iss.expected), received: describe(iss.input) },
      );
    case 'invalid_value':
      if (iss.input === undefined) return msg('errlang.schema.required');
      return msg('errlang.schema.one-of', { values: iss.values.map(String).join(', ') });
    case 'too_small':
      if (iss.origin === 'array') return msg('errlang.schema.array-min', { minimum: bound(iss.minimum) });
      if (iss.origin === 'string')
        return iss.minimum === 1
          ? msg('errlang.schema.empty')
          : msg('errlang.schema.string-min', { minimum: bound(iss.minimum) });
      return msg(iss.inclusive === false ? 'errlang.schema.above' : 'errlang.schema.too-small', {
        minimum: bound(iss.minimum),
      });
    case 'too_big':
      if (iss.origin === 'array') return msg('errlang.schema.array-max', { maximum: bound(iss.maximum) });
      if (iss.origin === 'string') return msg('errlang.schema.string-max', { maximum: bound(iss.maximum) });
      return msg(iss.inclusive === false ? 'errlang.schema.below' : 'errlang.schema.too-big', {
        maximum: bound(iss.maximum),
      });
    case 'invalid_format': {
      const key = FORMAT[iss.format];
      return key ? msg(key) : msg('errlang.schema.format.other', { format: iss.format });
    }
    case 'not_multiple_of':
      return msg('errlang.schema.multiple-of', { divisor: bound(iss.divisor) });
    case 'unrecognized_keys':
      return msg('errlang.schema.unknown-keys', { keys: iss.keys.map((k) => `« ${k} »`).join(', ') });
    case 'invalid_union':
      return msg('errlang.schema.no-form');
    case 'invalid_key':
      return msg('errlang.schema.invalid-key');
    case 'invalid_element':
      return msg('errlang.schema.invalid-element');
    case 'custom':
      return msg('errlang.schema.invalid');
    default:
      return undefined;
  }
}

/** Keys an object schema accepts, reported when a document holds a key it does not know. */
export type UnknownKeysListener = (path: readonly PropertyKey[], known: readonly string[]) => void;

/** What a zod message (French) stands for in the catalogue, learnt while the error map wrote it. */
export type SchemaTexts = Map<string, CatalogueText>;

/**
 * Zod error map writing French messages from the catalogue. Messages given on a schema or a check
 * win over it (zod's precedence); `onUnknownKeys` learns the accepted keys of each object that met
 * an unknown key, so the caller can suggest the nearest one; `texts` learns the catalogue message
 * behind each French message, so the issue can be shown in another language.
 */
export function frenchErrorMap(onUnknownKeys?: UnknownKeysListener, texts?: SchemaTexts): ErrorMap {
  return (iss) => {
    if (iss.code === 'unrecognized_keys' && onUnknownKeys !== undefined) {
      const def = iss.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
      onUnknownKeys(iss.path ?? [], Object.keys(def?.shape ?? {}));
    }
    const text = schemaMessage(iss);
    if (text !== undefined) texts?.set(text.fallback, text);
    return text?.fallback;
  };
}
