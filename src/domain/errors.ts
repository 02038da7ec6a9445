import { ExitCode } from './exit-code.js';

export interface Issue {
  /** File the problem is in, when it comes from a file. */
  file?: string;
  /** Path inside the document: `assets[3].hosts[0].name`. */
  path: string;
  line?: number;
  message: string;
}

/** Root of every error vigie reports to users: it says what, where, what to do, and carries an exit code. */
export class VigieError extends Error {
  override name = 'VigieError';
  exitCode: ExitCode = ExitCode.Internal;
  /** What the user can do about it (already translated). */
  hint?: string;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}

export class UsageError extends VigieError {
  override name = 'UsageError';
  override exitCode: ExitCode = ExitCode.Usage;
}

export function formatIssue(i: Issue): string {
  const where = [i.file, i.path].filter(Boolean).join(' › ');
  const line = i.line === undefined ? '' : `ligne ${i.line}`;
  const place = where && line ? `${where} (${line})` : where || line;
  return place ? `${place} : ${i.message}` : i.message;
}

/** A configuration, inventory, check or playbook file is invalid: every problem at once. */
export class InvalidFileError extends VigieError {
  override name = 'InvalidFileError';
  override exitCode: ExitCode = ExitCode.InvalidInput;
  constructor(
    readonly file: string,
    readonly issues: readonly Issue[],
    options?: { hint?: string },
  ) {
    super(
      `${file}: ${issues.length} problème(s)\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`,
      options,
    );
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
