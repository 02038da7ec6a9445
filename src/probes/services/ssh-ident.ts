import type { Identification } from './identification.js';
import { printableExcerpt } from './printable.js';

/** First `SSH-protoversion-softwareversion [comments]` line (RFC 4253 §4.2 lets other lines precede it). */
const IDENT = /^SSH-(\d+\.\d+)-([!-~]+)(?: ([^\r\n]*))?\r?$/;

/** Recognises an SSH identification string; the software version is the one advertised. */
export function recognizeSsh(received: Buffer): Identification | undefined {
  const text = received.toString('latin1');
  const lines = text.split('\n');
  // The last element has no line end yet: not a complete identification string.
  for (const line of lines.slice(0, -1).slice(0, 20)) {
    const m = IDENT.exec(line);
    if (m === null) continue;
    const software = m[2] ?? '';
    return {
      service: 'ssh',
      banner: printableExcerpt(line),
      ...(/\d/.test(software) ? { version: software } : {}),
      detail: `SSH protocol ${m[1] ?? '?'}`,
    };
  }
  return undefined;
}
