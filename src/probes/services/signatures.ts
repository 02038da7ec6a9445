import { looksLikeHttp } from './http-answer.js';
import type { Identification } from './identification.js';
import { recognizeMemcachedReply } from './memcached-version.js';
import { recognizeMysqlGreeting } from './mysql-greeting.js';
import { recognizeRedisReply } from './redis-ping.js';
import { recognize220 } from './reply-220.js';
import { recognizeRsync } from './rsync-greeting.js';
import { recognizeSsh } from './ssh-ident.js';
import { recognizeTelnet } from './telnet.js';
import { recognizeRfb } from './vnc-rfb.js';

/**
 * Signatures of what services say first (or answer to a line of text), tried on whatever a port
 * sent, whichever probe was running: an SSH banner on 6379 is SSH, not Redis.
 */
const SIGNATURES: readonly ((received: Buffer) => Identification | undefined)[] = [
  recognizeSsh,
  recognizeRfb,
  recognizeRsync,
  recognizeTelnet,
  recognize220,
  recognizeMysqlGreeting,
  recognizeRedisReply,
  recognizeMemcachedReply,
];

export function matchSignatures(received: Buffer): Identification | undefined {
  if (received.length === 0) return undefined;
  for (const signature of SIGNATURES) {
    const id = signature(received);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** What unidentified bytes look like, for the evidence. */
export function describeUnknown(received: Buffer): string {
  if (received.length === 0) return 'no data';
  if ((received[0] === 0x15 || received[0] === 0x16) && received[1] === 0x03) return 'TLS record';
  if (looksLikeHttp(received)) return 'HTTP response';
  return `${received.length} unrecognised byte(s)`;
}
