import {
  InvalidFileError,
  formatIssue,
  type Issue,
  type IssueWords,
  type VigieError,
} from '../domain/errors.js';
import { localize, t, type Lang } from '../i18n/index.js';

/** One problem of an invalid file as it is shown (text and --json), in the chosen language. */
export interface IssueView {
  file?: string;
  path: string;
  line?: number;
  message: string;
  /** Place and message on one line: `vigie.yml › assets[0].name (line 4): required field`. */
  text: string;
  /** Catalogue key of the message, for scripts (absent for texts that are not in the catalogue yet). */
  key?: string;
}

/** A vigie error as it is shown: message and hint in the chosen language, and its catalogue key. */
export interface ErrorView {
  name: string;
  message: string;
  exitCode: number;
  key?: string;
  hint?: string;
  issues?: IssueView[];
}

/** How the place of an issue reads in `lang`. */
export function issueWords(lang: Lang): IssueWords {
  return {
    line: (line) => t(lang, 'errlang.issue.line', { line }),
    separator: t(lang, 'errlang.issue.separator'),
  };
}

/** An issue in `lang`: its catalogue message when it has one, its French message otherwise. */
export function issueView(lang: Lang, issue: Issue, file?: string): IssueView {
  const { i18n, ...rest } = issue;
  const where = issue.file ?? file;
  const placed: Issue = { ...rest, ...(where === undefined ? {} : { file: where }) };
  const message = localize(lang, i18n, issue.message);
  return {
    ...placed,
    message,
    // The place as the list shows it: the issue's own file only (the error names its file once).
    text: formatIssue(rest, issueWords(lang), message),
    ...(i18n ? { key: i18n.key } : {}),
  };
}

/** The view of a vigie error in `lang` (the French `Error.message` stays for logs). */
export function errorView(lang: Lang, err: VigieError): ErrorView {
  const hint = err.hint === undefined ? undefined : localize(lang, err.hintI18n, err.hint);
  const head = localize(lang, err.i18n, err.message);
  if (!(err instanceof InvalidFileError)) {
    return {
      name: err.name,
      message: head,
      exitCode: err.exitCode,
      ...(err.i18n ? { key: err.i18n.key } : {}),
      ...(hint === undefined ? {} : { hint }),
    };
  }
  const words = issueWords(lang);
  // The message lists each problem as Error.message does (a problem's own file only when it has one).
  const lines = err.issues.map((i) => `  - ${formatIssue(i, words, localize(lang, i.i18n, i.message))}`);
  const issues = err.issues.map((i) => issueView(lang, i, err.file));
  return {
    name: err.name,
    message: [head, ...lines].join('\n'),
    exitCode: err.exitCode,
    ...(err.i18n ? { key: err.i18n.key } : {}),
    ...(hint === undefined ? {} : { hint }),
    issues,
  };
}
