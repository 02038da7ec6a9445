import { once } from 'node:events';

/**
 * Writes pieces to stdout one after another, waiting for it to take each before the next: a pipe
 * whose reader is slower than the writer (`vigie scan --json | …`, a parent process) would
 * otherwise queue the whole output in this process's memory (a large estate's JSON: 100 MB and more).
 * Rejects when stdout fails (its reader gone).
 */
export async function writeStdoutPieces(
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const out = process.stdout;
  for await (const piece of pieces) {
    if (!out.write(piece)) await once(out, 'drain');
  }
}
