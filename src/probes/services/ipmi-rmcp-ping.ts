import type { Identification } from './identification.js';

const ASF_IANA = 0x000011be;
const PRESENCE_PING = 0x80;
const PRESENCE_PONG = 0x40;

/** RMCP header (version 6, no ACK, class ASF) + ASF Presence Ping (DSP0136 §3.2.4.3). */
export function rmcpPresencePing(tag = 0x56): Buffer {
  const b = Buffer.from([0x06, 0x00, 0xff, 0x06, 0, 0, 0, 0, PRESENCE_PING, tag, 0x00, 0x00]);
  b.writeUInt32BE(ASF_IANA, 4);
  return b;
}

/** Recognises an ASF Presence Pong from a management controller announcing IPMI support. */
export function recognizeRmcpPong(data: Buffer): Identification | undefined {
  if (data.length < 12 || data[0] !== 0x06 || data[3] !== 0x06) return undefined;
  if (data.readUInt32BE(4) !== ASF_IANA || data[8] !== PRESENCE_PONG) return undefined;
  const entities = data.length >= 21 ? data[20] : undefined;
  if (entities === undefined || (entities & 0x80) === 0) return undefined;
  const enterprise = data.readUInt32BE(12);
  return {
    service: 'ipmi',
    detail: `RMCP presence pong: IPMI supported${enterprise === ASF_IANA ? '' : `, enterprise ${enterprise}`}`,
  };
}
