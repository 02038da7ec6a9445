import { ExitCode } from './exit-code.js';

/** Parameters of a catalogue message: `{name}` in its template is replaced by `params.name`. */
export type TextParams = Record<string, string | number | boolean>;

/**
 * A user-visible text as the message catalogue (src/i18n) knows it: its key and parameters, and
 * the French rendering (`fallback`) kept for `Error.message` and logs. Where an error is shown, the
 * CLI renders `key` in the chosen language.
 */
export interface LocalText {
  key: string;
  params?: TextParams;
  /** Parameters that are catalogue messages themselves (a type name, a kind of value …). */
  parts?: Record<string, { key: string; params?: TextParams }>;
  fallback: string;
}

export interface Issue {
  /** File the problem is in, when it comes from a file. */
  file?: string;
  /** Path inside the document: `assets[3].hosts[0].name`. */
  path: string;
  line?: number;
  /** The problem in French (the default language). */
  message: string;
  /** The same problem as a catalogue key, rendered in the chosen language where it is shown. */
  i18n?: LocalText;
}

/** An issue at `path` whose message comes from the catalogue. */
export function textIssue(path: string, text: LocalText, line?: number): Issue {
  return { path, ...(line === undefined ? {} : { line }), message: text.fallback, i18n: text };
}

const fallbackOf = (value: string | LocalText): string =>
  typeof value === 'string' ? value : value.fallback;

/** Root of every error vigie reports to users: it says what, where, what to do, and carries an exit code. */
export class VigieError extends Error {
  override name = 'VigieError';
  exitCode: ExitCode = ExitCode.Internal;
  /** What the user can do about it, in French. */
  hint?: string;
  /** The message as a catalogue key (absent: `message` is shown as it is). */
  i18n?: LocalText;
  /** The hint as a catalogue key. */
  hintI18n?: LocalText;
  constructor(message: string | LocalText, options?: { cause?: unknown; hint?: string | LocalText }) {
    super(fallbackOf(message), options?.cause === undefined ? undefined : { cause: options.cause });
    if (typeof message !== 'string') this.i18n = message;
    if (options?.hint !== undefined) {
      this.hint = fallbackOf(options.hint);
      if (typeof options.hint !== 'string') this.hintI18n = options.hint;
    }
  }
}

export class UsageError extends VigieError {
  override name = 'UsageError';
  override exitCode: ExitCode = ExitCode.Usage;
}

/** A usage error with a machine-readable reason (`code`), for callers that react to it. */
export class CodedUsageError<C extends string> extends UsageError {
  override name = 'CodedUsageError';
  constructor(
    readonly code: C,
    message: string | LocalText,
    options?: { hint?: string | LocalText },
  ) {
    super(message, options);
  }
}

/** Words of an issue's place, in the language it is shown in (French by default). */
export interface IssueWords {
  line: (line: number) => string;
  separator: string;
}

const FRENCH_ISSUE_WORDS: IssueWords = { line: (n) => `ligne ${n}`, separator: ' : ' };

export function formatIssue(i: Issue, words: IssueWords = FRENCH_ISSUE_WORDS, message = i.message): string {
  const where = [i.file, i.path].filter(Boolean).join(' › ');
  const line = i.line === undefined ? '' : words.line(i.line);
  const place = where && line ? `${where} (${line})` : where || line;
  return place ? `${place}${words.separator}${message}` : message;
}

/** A configuration, inventory, check or playbook file is invalid: every problem at once. */
export class InvalidFileError extends VigieError {
  override name = 'InvalidFileError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
  constructor(
    readonly file: string,
    readonly issues: readonly Issue[],
    options?: { hint?: string | LocalText },
  ) {
    super(
      {
        key: 'errlang.invalid-file',
        params: { file, count: issues.length },
        fallback: `${file}: ${issues.length} problème(s)`,
      },
      options,
    );
    // Error.message keeps every problem, for logs and callers that print it whole.
    this.message = `${this.message}\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`;
  }
}

/** Storage, mail, GitHub … failed: the operation could not be carried out. */
export class OperationalError extends VigieError {
  override name = 'OperationalError';
  override exitCode: ExitCode = ExitCode.Operational;
}

export class StorageError extends OperationalError {
  override name = 'StorageError';
}
