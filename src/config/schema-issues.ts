import type { z } from 'zod';
import type { Issue } from '../domain/index.js';
import { closestKey } from './closest-key.js';
import { formatPath } from './format-path.js';
import type { DocumentPath } from './format-path.js';
import { frenchErrorMap } from './messages-fr.js';
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
  const errorMap = frenchErrorMap((path, known) => knownKeys.set(formatPath(toDocumentPath(path)), known));
  const result = schema.safeParse(source.value, { error: errorMap });
  if (result.success) return { data: result.data, issues: [] };
  return { issues: schemaIssues(result.error.issues, source, knownKeys, forbidden) };
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
): string {
  const variable = forbidden[parent]?.[key];
  if (variable !== undefined) {
    return `secret interdit dans le fichier : retirez « ${key} » et utilisez la variable d'environnement ${variable}`;
  }
  const suggestion = closestKey(key, known);
  if (suggestion !== undefined) return `clé inconnue « ${key} » (vouliez-vous dire « ${suggestion} » ?)`;
  return known.length > 0
    ? `clé inconnue « ${key} » (clés acceptées : ${known.join(', ')})`
    : `clé inconnue « ${key} »`;
}

function schemaIssues(
  zodIssues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  knownKeys: ReadonlyMap<string, readonly string[]>,
  forbidden: ForbiddenKeys,
): Issue[] {
  const issues: Issue[] = [];
  const push = (path: DocumentPath, message: string): void => {
    const line = source.lineOf(path);
    issues.push({ path: formatPath(path), ...(line === undefined ? {} : { line }), message });
  };
  for (const zodIssue of zodIssues) {
    const path = trimBelowScalars(source.value, toDocumentPath(zodIssue.path));
    if (zodIssue.code === 'unrecognized_keys') {
      const parent = formatPath(path);
      const known = knownKeys.get(parent) ?? [];
      for (const key of zodIssue.keys) push([...path, key], unknownKeyMessage(parent, key, known, forbidden));
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
