import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, ErrorCode, YAMLError } from 'yaml';
import { InvalidFileError, textIssue } from '../domain/index.js';
import type { Issue } from '../domain/index.js';
import { msg, type CatalogueText, type MessageKey } from '../i18n/index.js';
import type { DocumentPath } from './format-path.js';
import { checkYamlBounds, checkYamlSize, YAML_LIMITS, type YamlBoundsProblem } from './yaml-bounds.js';
import { fastYamlSource } from './yaml-fast-read.js';
import { CUT_OPTIONS } from './yaml-pieces.js';

/** A parsed YAML document: its plain value, and where each path of it was written. */
export interface YamlSource {
  value: unknown;
  /**
   * 1-based line of the node at `path`: of the key for a map entry, of the item for a list entry.
   * A path that does not exist (a missing key) gives the line of its deepest existing ancestor.
   */
  lineOf: (path: DocumentPath) => number | undefined;
  /**
   * Set when every item of the sequence under `ItemTaker.key` was replaced, as it was read, by what
   * `ItemTaker.take` made of it (its validated form: see parseYamlDocument).
   */
  taken?: true;
}

/**
 * What the reader makes of each item of one sequence of the root mapping as it reads it (the
 * inventory's assets, validated one by one): a long sequence is read in pieces (ADR 0033), so its
 * items as written never all exist at once beside what is kept of them.
 */
export interface ItemTaker {
  /** The key of the root mapping. */
  key: string;
  /**
   * What to keep of an item; `undefined` when it does not pass: every item is then left as written,
   * for the caller to word each problem (the source has no `taken`).
   */
  take: (item: unknown) => unknown;
}

/** Catalogue keys of the parser's syntax errors (other codes: `errlang.yaml.error`). */
const SYNTAX: Partial<Record<ErrorCode, MessageKey>> = {
  BAD_INDENT: 'errlang.yaml.bad-indent',
  TAB_AS_INDENT: 'errlang.yaml.tab-as-indent',
  DUPLICATE_KEY: 'errlang.yaml.duplicate-key',
  MULTIPLE_DOCS: 'errlang.yaml.multiple-docs',
  MISSING_CHAR: 'errlang.yaml.missing-char',
  UNEXPECTED_TOKEN: 'errlang.yaml.unexpected-token',
  BLOCK_AS_IMPLICIT_KEY: 'errlang.yaml.block-as-implicit-key',
  MULTILINE_IMPLICIT_KEY: 'errlang.yaml.multiline-implicit-key',
  BAD_SCALAR_START: 'errlang.yaml.bad-scalar-start',
  BAD_DQ_ESCAPE: 'errlang.yaml.bad-dq-escape',
  BAD_ALIAS: 'errlang.yaml.bad-alias',
  BLOCK_IN_FLOW: 'errlang.yaml.block-in-flow',
  KEY_OVER_1024_CHARS: 'errlang.yaml.key-over-1024-chars',
  NON_STRING_KEY: 'errlang.yaml.non-string-key',
};

function syntaxText(code: ErrorCode | undefined, detail: string): CatalogueText {
  const problem = (code && SYNTAX[code]) ?? 'errlang.yaml.error';
  return msg('errlang.yaml.syntax', { detail }, { problem: { key: problem } });
}

function syntaxMessage(error: YAMLError): CatalogueText {
  return syntaxText(error.code, error.message.split('\n')[0] ?? '');
}

/** Syntax errors listed before the rest are summed up: past the first ones, they mostly echo them. */
const MAX_SYNTAX_ISSUES = 50;

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1).replace('.', ',');

function boundsIssue(problem: YamlBoundsProblem): Issue {
  switch (problem.kind) {
    case 'size':
      return textIssue(
        '',
        msg('errlang.yaml.too-large', {
          size: megabytes(problem.bytes),
          limit: megabytes(YAML_LIMITS.maxBytes),
        }),
      );
    case 'depth':
      return textIssue('', msg('errlang.yaml.too-deep', { limit: YAML_LIMITS.maxDepth }), problem.line);
    case 'aliases':
      return textIssue(
        '',
        msg('errlang.yaml.too-many-aliases', { limit: YAML_LIMITS.maxAliases }),
        problem.line,
      );
  }
}

/** Keys written twice in one table, each as a syntax issue at the second one's line. */
function duplicateKeyIssues(doc: Document, lineAt: (offset: number) => number): Issue[] {
  const issues: Issue[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isCollection(node)) continue;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key: unknown = pair.key;
        if (isScalar(key)) {
          const name = String(key.value);
          if (seen.has(name)) {
            const line = key.range === undefined || key.range === null ? undefined : lineAt(key.range[0]);
            issues.push(textIssue('', syntaxText('DUPLICATE_KEY', `« ${name} »`), line));
          }
          seen.add(name);
        }
        pending.push(pair.value);
      }
    } else {
      pending.push(...node.items);
    }
  }
  return issues;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  return isScalar(key) && String(key.value) === String(segment);
}

/**
 * Parses one YAML document: the one YAML reader of vigie, for every file it loads. The text is first
 * checked against YAML_LIMITS (size, nesting depth, aliases), so that a small hostile document is
 * refused in milliseconds instead of exhausting the parser. Keys must be text (a list or a table
 * used as a key is refused). Syntax errors (each with its line) throw `InvalidFileError`; otherwise
 * the value comes back with a way to find the line of any path in it, so that schema issues point
 * at the line to fix. With `items`, the items of one sequence of the root mapping come back as
 * `items.take` makes them, when it takes every one of them (`taken`).
 */
export function parseYamlDocument(text: string, file: string, items?: ItemTaker): YamlSource {
  const tooLarge = checkYamlSize(text);
  if (tooLarge !== undefined) throw new InvalidFileError(file, [boundsIssue(tooLarge)]);
  // Most files are well formed: read them the fast way (itself bounded in depth and aliases); the
  // rest the careful way, with every problem worded.
  return (
    fastYamlSource(text, (t) => carefulYamlSource(t, file), CUT_OPTIONS, items) ??
    carefulYamlSource(text, file)
  );
}

/**
 * The careful path of `parseYamlDocument` (the `yaml` library): slower, but it words every syntax
 * problem with its line. Exported for the test that compares both paths.
 */
export function carefulYamlSource(text: string, file: string): YamlSource {
  const problem = checkYamlBounds(text);
  if (problem !== undefined) throw new InvalidFileError(file, [boundsIssue(problem)]);

  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check is quadratic in a table's size.
  const doc: Document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    stringKeys: true,
    uniqueKeys: false,
  });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  // An error found at the end of the input (an unclosed bracket …) points at the last written line.
  const errorLine = (offset: number): number =>
    lineAt(offset < text.trimEnd().length ? offset : Math.max(0, text.trimEnd().length - 1));

  const syntaxIssues: Issue[] = [
    ...doc.errors.map((error) => textIssue('', syntaxMessage(error), errorLine(error.pos[0]))),
    ...duplicateKeyIssues(doc, lineAt),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (syntaxIssues.length > 0) {
    const shown = syntaxIssues.slice(0, MAX_SYNTAX_ISSUES);
    if (syntaxIssues.length > shown.length) {
      shown.push(
        textIssue('', msg('errlang.yaml.more-syntax', { count: syntaxIssues.length - shown.length })),
      );
    }
    throw new InvalidFileError(file, shown);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidFileError(file, [textIssue('', msg('errlang.yaml.unreadable', { detail }))]);
  }

  const nodeLine = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range === undefined ? undefined : lineAt(range[0]);
  };

  const lineOf = (path: DocumentPath): number | undefined => {
    let node: unknown = doc.contents;
    let line = nodeLine(node);
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => keyMatches(item.key, segment));
        if (pair === undefined) return line;
        line = nodeLine(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined) return line;
        line = nodeLine(item) ?? line;
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };

  return { value, lineOf };
}

/**
 * Reads a text file (UTF-8) that vigie parses as YAML or as Markdown with YAML front matter, reading
 * no more than YAML_LIMITS.maxBytes: a larger file is an `InvalidFileError`, told before anything
 * is parsed (whatever its kind: a device or a growing file is read up to the limit, not to its end).
 * Errors of the file system (ENOENT …) are thrown as they come, for the caller to word.
 */
export function readBoundedText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const limit = YAML_LIMITS.maxBytes;
    const declared = fstatSync(fd).size;
    if (declared > limit) throw new InvalidFileError(file, [boundsIssue({ kind: 'size', bytes: declared })]);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(
        Math.min(Math.max(declared + 1 - total, 64 * 1024), limit + 1 - total),
      );
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > limit) throw new InvalidFileError(file, [boundsIssue({ kind: 'size', bytes: total })]);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `readBoundedText`, with a file-system error worded as an `InvalidFileError` like any other problem. */
export function readTextFile(file: string): string {
  try {
    return readBoundedText(file);
  } catch (error) {
    if (error instanceof InvalidFileError) throw error;
    throw new InvalidFileError(file, [
      textIssue(
        '',
        msg('errlang.file.unreadable', { code: (error as NodeJS.ErrnoException).code ?? String(error) }),
      ),
    ]);
  }
}

/** Reads and parses a YAML data file; an unreadable file is an `InvalidFileError` like any other problem. */
export function readYamlFile(file: string): YamlSource {
  return parseYamlDocument(readTextFile(file), file);
}
