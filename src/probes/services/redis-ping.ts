import { idleMs, type Identification, type TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

const PING = Buffer.from('PING\r\n', 'latin1');

/** First reply line (RESP) once complete. */
const firstLine = (received: Buffer): string | undefined => {
  const text = received.toString('latin1');
  const end = text.indexOf('\r\n');
  return end === -1 ? undefined : text.slice(0, end);
};

/**
 * Recognises Redis's answer to an inline `PING`: `+PONG` proves that commands run without
 * authentication; `-NOAUTH`, `-DENIED` (protected mode) or the pre-6 `operation not permitted`
 * name Redis without such proof.
 */
export function recognizeRedisReply(received: Buffer): Identification | undefined {
  const line = firstLine(received);
  if (line === undefined) return undefined;
  const banner = printableExcerpt(line);
  if (line === '+PONG') return { service: 'redis', banner, unauthenticated: 'PING → +PONG' };
  if (line.startsWith('-NOAUTH')) return { service: 'redis', banner, detail: 'authentication required' };
  if (line.startsWith('-DENIED Redis')) return { service: 'redis', banner, detail: 'protected mode' };
  // Redis's wording for a command it does not know (a probe of another protocol sent it one).
  if (/^-ERR unknown command [`']/.test(line))
    return { service: 'redis', banner, detail: 'RESP error reply' };
  if (line === '-ERR operation not permitted')
    return { service: 'redis', banner, detail: 'authentication required' };
  return undefined;
}

/** Sends `PING` (no AUTH, nothing else) and reads one reply line. */
export const redisPingProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(PING);
  const end = await c.collect({
    timeoutMs: stepMs,
    idleMs: idleMs(stepMs),
    done: (b) => firstLine(b) !== undefined,
  });
  const identification = recognizeRedisReply(c.received);
  return identification === undefined ? { spoke: true, end } : { spoke: true, end, identification };
};
