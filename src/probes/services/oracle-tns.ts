import type { TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

const CONNECT = 0x01;
const ACCEPT = 0x02;
const REFUSE = 0x04;
const REDIRECT = 0x05;
const RESEND = 0x0b;
const DATA_OFFSET = 58;
/** A listener's `version` request: answered with a refusal that carries VSNNUM, no login involved. */
const CONNECT_DATA = '(CONNECT_DATA=(COMMAND=version))';

function connectPacket(): Buffer {
  const data = Buffer.from(CONNECT_DATA, 'latin1');
  const p = Buffer.alloc(DATA_OFFSET + data.length);
  p.writeUInt16BE(p.length, 0); // packet length
  p[4] = CONNECT;
  p.writeUInt16BE(0x0136, 8); // version 310
  p.writeUInt16BE(0x012c, 10); // compatible with 300
  p.writeUInt16BE(0x0800, 14); // session data unit
  p.writeUInt16BE(0x7fff, 16); // maximum transmission data unit
  p.writeUInt16BE(0x7f08, 18); // NT protocol characteristics
  p.writeUInt16BE(0x0001, 22); // value of 1 in hardware
  p.writeUInt16BE(data.length, 24);
  p.writeUInt16BE(DATA_OFFSET, 26);
  data.copy(p, DATA_OFFSET);
  return p;
}

/** `VSNNUM=186647040` → 11.2.0.2.0 (one byte, nibble, byte, nibble, byte). */
export function decodeVsnnum(n: number): string {
  return [n >>> 24, (n >>> 20) & 0xf, (n >>> 12) & 0xff, (n >>> 8) & 0xf, n & 0xff].join('.');
}

function complete(b: Buffer): boolean {
  return b.length >= 8 && b.length >= b.readUInt16BE(0);
}

const TYPES: Record<number, string> = {
  [ACCEPT]: 'accept',
  [REFUSE]: 'refuse',
  [REDIRECT]: 'redirect',
  [RESEND]: 'resend',
};

/** Sends a TNS CONNECT asking the listener for its version and expects any TNS answer. */
export const oracleTnsProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(connectPacket());
  const end = await c.waitFor(complete, stepMs);
  const b = c.received;
  if (b.length < 8) return { spoke: true, end };
  const length = b.readUInt16BE(0);
  const type = TYPES[b[4] ?? 0];
  if (type === undefined || b[5] !== 0 || length < 8 || length > 65535) return { spoke: true, end };
  const text = b.subarray(8).toString('latin1');
  const description = /\(DESCRIPTION=[\x20-\x7e]*/.exec(text)?.[0];
  const vsn = /VSNNUM=(\d+)/.exec(text)?.[1];
  const error = /\(ERR=(\d+)\)/.exec(text)?.[1];
  return {
    spoke: true,
    end,
    identification: {
      service: 'oracle',
      ...(description === undefined ? {} : { banner: printableExcerpt(description) }),
      ...(vsn === undefined ? {} : { version: `Oracle TNS listener ${decodeVsnnum(Number(vsn))}` }),
      detail: `TNS ${type}${error === undefined ? '' : ` (ERR=${error})`}`,
    },
  };
};
