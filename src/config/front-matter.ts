import { InvalidFileError, textIssue } from '../domain/index.js';
import { msg } from '../i18n/index.js';
import type { DocumentPath } from './format-path.js';
import { parseYamlDocument, type YamlSource } from './yaml-source.js';

/** A Markdown file's YAML front matter (lines as in the file) and the body after it. */
export interface FrontMatter {
  source: YamlSource;
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
}

const DELIMITER = /^---\s*$/;
const CLOSING = /^(---|\.\.\.)\s*$/;

/**
 * Splits `---` front matter from a Markdown text and parses it. Lines reported (syntax errors, and
 * `lineOf` of the result) are those of the file, not of the YAML block. A missing or unclosed block,
 * or a YAML syntax error, is an `InvalidFileError` naming `file`.
 */
export function parseFrontMatter(text: string, file: string): FrontMatter {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!DELIMITER.test(lines[0] ?? '')) {
    throw new InvalidFileError(file, [textIssue('', msg('errlang.front-matter.missing'), 1)]);
  }
  const end = lines.findIndex((line, i) => i > 0 && CLOSING.test(line));
  if (end < 0) {
    throw new InvalidFileError(file, [textIssue('', msg('errlang.front-matter.unclosed'), 1)]);
  }
  const offset = 1; // the YAML block starts on the file's second line
  let source: YamlSource;
  try {
    source = parseYamlDocument(lines.slice(1, end).join('\n'), file);
  } catch (error) {
    if (!(error instanceof InvalidFileError)) throw error;
    throw new InvalidFileError(
      file,
      error.issues.map((i) => (i.line === undefined ? i : { ...i, line: i.line + offset })),
    );
  }
  const lineOf = (path: DocumentPath): number | undefined => {
    const line = source.lineOf(path);
    return line === undefined ? undefined : line + offset;
  };
  return {
    source: { value: source.value, lineOf },
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}
