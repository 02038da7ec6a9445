import path from 'node:path';
import { OperationalError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import {
  writePrivateFileAtomic,
  writePrivateFileAtomicPieces,
  writePrivateFileAtomicPiecesAsync,
} from '../../files/index.js';

/**
 * Writes a report or export file atomically (temporary file, then rename): a failed write leaves no
 * half file. The file is 0600 and the directories it creates 0700, whatever the umask.
 */
export function writeOutput(
  file: string,
  content: string | Uint8Array | ((write: (piece: string) => void) => void),
): string {
  const target = path.resolve(file);
  try {
    if (typeof content === 'function') writePrivateFileAtomicPieces(target, content);
    else writePrivateFileAtomic(target, content);
  } catch (error) {
    throw unwritable(target, error);
  }
  return target;
}

/** The output file could not be written: what, where and what to do. */
function unwritable(target: string, error: unknown): OperationalError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new OperationalError(msg('errlang.output.unwritable', { file: target, code }), {
    cause: error,
    hint: msg('errlang.output.unwritable.hint'),
  });
}

/** {@link writeOutput} of pieces that come from an asynchronous source (store pages), atomically. */
export async function writeOutputAsync(
  file: string,
  fill: (write: (piece: string | Uint8Array) => void) => Promise<void>,
): Promise<string> {
  const target = path.resolve(file);
  try {
    await writePrivateFileAtomicPiecesAsync(target, fill);
  } catch (error) {
    throw unwritable(target, error);
  }
  return target;
}
