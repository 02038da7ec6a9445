import { StorageError, VigieError } from '../../domain/index.js';
import { msg, type CatalogueText } from '../../i18n/index.js';

/** What the user can do about a SQLite (or file system) error code, as a catalogue message. */
export function storageHint(code: string | undefined): CatalogueText {
  const c = code ?? '';
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) return msg('errlang.store.hint.busy');
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB') return msg('errlang.store.hint.corrupt');
  if (c === 'SQLITE_FULL' || c === 'ENOSPC') return msg('errlang.store.hint.full');
  if (c.startsWith('SQLITE_IOERR')) return msg('errlang.store.hint.io');
  if (c.startsWith('SQLITE_CONSTRAINT')) return msg('errlang.store.hint.constraint');
  return msg('errlang.store.hint.access');
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Wraps a low-level failure in a StorageError saying what failed and on which file, with a hint.
 * VigieErrors raised on purpose pass through unchanged.
 */
export function toStorageError(error: unknown, what: string | CatalogueText, file: string): VigieError {
  if (error instanceof VigieError) return error;
  const code = codeOf(error);
  const params = { file, reason: error instanceof Error ? error.message : String(error), code: code ?? '' };
  const text =
    typeof what === 'string'
      ? msg(code === undefined ? 'errlang.store.failed' : 'errlang.store.failed-code', { ...params, what })
      : msg(code === undefined ? 'errlang.store.failed' : 'errlang.store.failed-code', params, { what });
  return new StorageError(text, { cause: error, hint: storageHint(code) });
}

/** Runs `fn`, rethrowing any failure as a StorageError about `file`. */
export function guard<T>(what: string | CatalogueText, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStorageError(error, what, file);
  }
}
