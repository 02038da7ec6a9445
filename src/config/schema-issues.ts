import type { z } from 'zod';
import type { Issue } from '../domain/index.js';
import { closestKey } from './closest-key.js';
import { formatPath } from './format-path.js';
import type { DocumentPath } from './format-path.js';
import { msg, type CatalogueText } from '../i18n/index.js';
import { frenchErrorMap, type SchemaTexts } from './messages-fr.js';
import { saidText } from './schema-texts.js';
import type { YamlSource } from './yaml-source.js';

/** Keys refused in a section, with the environment variable to use instead (secrets). */
export type ForbiddenKeys = Record<string, Record<string, string>>;

/**
 * Validates a parsed YAML document against a zod schema: every issue at once, each with its path,
 * line and a French message (with a "did you mean" for misspelt keys).
 */
export function validateWithSchema<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  forbidden: ForbiddenKeys = {},
): { data?: z.output<S>; issues: Issue[] } {
  const knownKeys = new Map<string, readonly string[]>();
  const texts: SchemaTexts = new Map();
  const errorMap = frenchErrorMap(
    (path, known) => knownKeys.set(formatPath(toDocumentPath(path)), known),
    texts,
  );
  const result = schema.safeParse(source.value, { error: errorMap });
  if (result.success) return { data: result.data, issues: [] };
  return { issues: schemaIssues(result.error.issues, source, { knownKeys, forbidden, texts }) };
}

function toDocumentPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

/** A host written as a plain name is checked as `{ name }`: report its issues on the name itself. */
function trimBelowScalars(document: unknown, path: (string | number)[]): (string | number)[] {
  let value = document;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null) return path.slice(0, i);
    value = (value as Record<string | number, unknown>)[path[i] as string | number];
  }
  return path;
}

function unknownKeyMessage(
  parent: string,
  key: string,
  known: readonly string[],
  forbidden: ForbiddenKeys,
): CatalogueText {
  const variable = forbidden[parent]?.[key];
  if (variable !== undefined) return msg('errlang.schema.secret', { key, variable });
  const suggestion = closestKey(key, known);
  if (suggestion !== undefined) return msg('errlang.schema.unknown-key.suggest', { key, suggestion });
  return known.length > 0
    ? msg('errlang.schema.unknown-key.known', { key, known: known.join(', ') })
    : msg('errlang.schema.unknown-key', { key });
}

function schemaIssues(
  zodIssues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  learnt: { knownKeys: ReadonlyMap<string, readonly string[]>; forbidden: ForbiddenKeys; texts: SchemaTexts },
): Issue[] {
  const issues: Issue[] = [];
  const push = (path: DocumentPath, message: string | CatalogueText): void => {
    const line = source.lineOf(path);
    const text = typeof message === 'string' ? (learnt.texts.get(message) ?? saidText(message)) : message;
    issues.push({
      path: formatPath(path),
      ...(line === undefined ? {} : { line }),
      message: typeof message === 'string' ? message : message.fallback,
      ...(text ? { i18n: text } : {}),
    });
  };
  for (const zodIssue of zodIssues) {
    const path = trimBelowScalars(source.value, toDocumentPath(zodIssue.path));
    if (zodIssue.code === 'unrecognized_keys') {
      const parent = formatPath(path);
      const known = learnt.knownKeys.get(parent) ?? [];
      for (const key of zodIssue.keys)
        push([...path, key], unknownKeyMessage(parent, key, known, learnt.forbidden));
    } else {
      push(path, zodIssue.message);
    }
  }
  return issues;
}

/** Issues in reading order. */
export function sortByLine(issues: Issue[]): Issue[] {
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order)
    .map(({ issue }) => issue);
}
