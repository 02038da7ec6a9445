import type { Identification } from './identification.js';
import { printableExcerpt } from './printable.js';

/** MySQL/MariaDB packets: 3-byte little-endian payload length, 1-byte sequence number. */
const HEADER = 4;
/** A greeting is small; anything claiming more is not one. */
const MAX_GREETING = 1024;

function product(serverVersion: string): string | undefined {
  const maria = /(\d+\.\d+\.\d+)-MariaDB/.exec(serverVersion);
  if (maria !== null) return `MariaDB ${maria[1] ?? ''}`;
  const mysql = /^(\d+\.\d+\.\d+)/.exec(serverVersion);
  return mysql === null ? undefined : `MySQL ${mysql[1] ?? ''}`;
}

/**
 * Recognises the server's first packet: the initial handshake (protocol 10, or 9) with its server
 * version, or the error packet a server sends to a host it refuses (e.g. 1130).
 */
export function recognizeMysqlGreeting(received: Buffer): Identification | undefined {
  if (received.length < HEADER + 1) return undefined;
  const length = received.readUIntLE(0, 3);
  if (received[3] !== 0 || length < 1 || length > MAX_GREETING) return undefined;
  if (received.length < HEADER + length) return undefined;
  const payload = received.subarray(HEADER, HEADER + length);
  if (payload[0] === 0xff) {
    if (payload.length < 4) return undefined;
    const code = payload.readUInt16LE(1);
    let message = payload.subarray(3).toString('latin1');
    if (message.startsWith('#')) message = message.slice(6);
    if (code < 1000 || code > 5000 || !/^[\x20-\x7e]+$/.test(message)) return undefined;
    return {
      service: 'mysql',
      banner: printableExcerpt(message),
      detail: `MySQL error ${code} before authentication`,
    };
  }
  if (payload[0] !== 0x0a && payload[0] !== 0x09) return undefined;
  const nul = payload.indexOf(0, 1);
  if (nul < 2 || nul > 80) return undefined;
  const serverVersion = payload.subarray(1, nul).toString('latin1');
  if (!/^\d+\.\d+\.\d+[\x20-\x7e]*$/.test(serverVersion)) return undefined;
  // connection id (4), auth-plugin-data part 1 (8), filler 0x00.
  if (payload[0] === 0x0a && (payload.length < nul + 14 || payload[nul + 13] !== 0)) return undefined;
  const version = product(serverVersion);
  return {
    service: 'mysql',
    banner: printableExcerpt(serverVersion),
    ...(version === undefined ? {} : { version }),
    detail: `MySQL protocol ${payload[0]} greeting`,
  };
}
