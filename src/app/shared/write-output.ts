import fs from 'node:fs';
import path from 'node:path';
import { OperationalError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';
import {
  writePrivateFileAtomic,
  writePrivateFileAtomicPieces,
  writePrivateFileAtomicPiecesAsync,
} from '../../files/index.js';
import { ScanSpool } from './scan-spool.js';

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

/**
 * `fill`'s pieces set aside in a private temporary file (in a {@link ScanSpool}'s directory: 0700,
 * removed at the end, at exit or on an interruption), then handed to `use` as a stream of chunks
 * read back from it (text: a character is never cut between two chunks). For standard output on a pipe: pieces that come faster than its reader takes
 * them (a large estate's store pages) wait on disk, not in memory, and `use` goes at the reader's pace.
 */
export async function spooledOutput(
  fill: (write: (piece: string | Uint8Array) => void) => Promise<void>,
  use: (chunks: AsyncIterable<string>) => Promise<void>,
  /** Where the private directory is made (the system's temporary directory by default). */
  parent?: string,
): Promise<void> {
  const spool = new ScanSpool(parent);
  try {
    const file = path.join(spool.dir, 'output');
    await writeOutputAsync(file, fill);
    // Opened here: the stream never opens it once the file is gone.
    const chunks = fs.createReadStream(file, { fd: fs.openSync(file, 'r'), encoding: 'utf8' });
    try {
      await use(chunks);
    } finally {
      // Whatever `use` did not read: the file goes next.
      chunks.destroy();
    }
  } finally {
    spool.close();
  }
}
