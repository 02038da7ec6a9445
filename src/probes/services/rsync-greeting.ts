import type { Identification } from './identification.js';
import { printableExcerpt } from './printable.js';

const GREETING = /^@RSYNCD: (\d+)(?:\.(\d+))?[^\n]*\n/;

/** Recognises the rsync daemon's greeting (`@RSYNCD: 31.0 …`); it states a protocol, not a software, version. */
export function recognizeRsync(received: Buffer): Identification | undefined {
  const m = GREETING.exec(received.toString('latin1'));
  if (m === null) return undefined;
  return {
    service: 'rsync',
    banner: printableExcerpt(m[0]),
    detail: `rsync protocol ${m[1] ?? '?'}${m[2] === undefined ? '' : `.${m[2]}`}`,
  };
}
