import { idleMs, type Identification, type TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

const VERSION = Buffer.from('version\r\n', 'latin1');

/**
 * Recognises memcached's answer to the text command `version`: `VERSION x.y.z` (given only to a
 * client that needs no authentication), or `CLIENT_ERROR unauthenticated` (ASCII authentication on).
 */
export function recognizeMemcachedReply(received: Buffer): Identification | undefined {
  const text = received.toString('latin1');
  const end = text.indexOf('\r\n');
  if (end === -1) return undefined;
  const line = text.slice(0, end);
  const m = /^VERSION (\d+\.\d+\.\d+[!-~]*)$/.exec(line);
  if (m !== null)
    return {
      service: 'memcached',
      banner: printableExcerpt(line),
      version: `memcached ${m[1] ?? ''}`,
      unauthenticated: `version → ${printableExcerpt(line, 60)}`,
    };
  if (line === 'CLIENT_ERROR unauthenticated')
    return { service: 'memcached', banner: line, detail: 'authentication required' };
  return undefined;
}

/** Sends the read-only text command `version` and reads one line. */
export const memcachedVersionProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(VERSION);
  const end = await c.collect({
    timeoutMs: stepMs,
    idleMs: idleMs(stepMs),
    done: (b) => b.includes('\r\n'),
  });
  const identification = recognizeMemcachedReply(c.received);
  return identification === undefined ? { spoke: true, end } : { spoke: true, end, identification };
};
