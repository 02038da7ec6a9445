import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, ErrorCode, YAMLError } from 'yaml';
import { InvalidFileError } from '../domain/index.js';
import type { Issue } from '../domain/index.js';
import type { DocumentPath } from './format-path.js';

/** A parsed YAML document: its plain value, and where each path of it was written. */
export interface YamlSource {
  value: unknown;
  /**
   * 1-based line of the node at `path`: of the key for a map entry, of the item for a list entry.
   * A path that does not exist (a missing key) gives the line of its deepest existing ancestor.
   */
  lineOf: (path: DocumentPath) => number | undefined;
}

const SYNTAX_FR: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'indentation incorrecte ou crochet/accolade non fermé',
  TAB_AS_INDENT: 'tabulation dans l’indentation (utilisez des espaces)',
  DUPLICATE_KEY: 'clé en double dans la même table',
  MULTIPLE_DOCS: 'plusieurs documents dans le fichier (un seul attendu)',
  MISSING_CHAR: 'caractère manquant',
  UNEXPECTED_TOKEN: 'élément inattendu',
  BLOCK_AS_IMPLICIT_KEY: 'clé mal formée (un « : » manque-t-il ?)',
  MULTILINE_IMPLICIT_KEY: 'clé sur plusieurs lignes (un « : » manque-t-il ?)',
  BAD_SCALAR_START: 'valeur mal formée (mettez-la entre guillemets)',
  BAD_DQ_ESCAPE: 'séquence d’échappement invalide entre guillemets',
  BAD_ALIAS: 'alias invalide',
  BLOCK_IN_FLOW: 'bloc à l’intérieur d’une collection entre accolades ou crochets',
  KEY_OVER_1024_CHARS: 'clé de plus de 1024 caractères',
  NON_STRING_KEY: 'clé qui n’est pas du texte',
};

function syntaxMessage(error: YAMLError): string {
  const detail = error.message.split('\n')[0] ?? '';
  return `syntaxe YAML : ${SYNTAX_FR[error.code] ?? 'erreur'} (${detail})`;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  return isScalar(key) && String(key.value) === String(segment);
}

/**
 * Parses one YAML document. Syntax errors (all of them, each with its line) throw
 * `InvalidFileError`; otherwise the value comes back with a way to find the line of any path in it,
 * so that schema issues point at the line to fix.
 */
export function parseYamlDocument(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, keepSourceTokens: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  // An error found at the end of the input (an unclosed bracket …) points at the last written line.
  const errorLine = (offset: number): number =>
    lineAt(offset < text.trimEnd().length ? offset : Math.max(0, text.trimEnd().length - 1));

  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((error) => ({
      path: '',
      line: errorLine(error.pos[0]),
      message: syntaxMessage(error),
    }));
    throw new InvalidFileError(file, issues);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidFileError(file, [
      { path: '', message: `syntaxe YAML : document illisible (${detail})` },
    ]);
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

/** Reads and parses a YAML data file; an unreadable file is an `InvalidFileError` like any other problem. */
export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidFileError(file, [
      { path: '', message: `lecture impossible (${(error as NodeJS.ErrnoException).code ?? String(error)})` },
    ]);
  }
  return parseYamlDocument(text, file);
}
