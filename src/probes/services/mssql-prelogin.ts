import type { TcpServiceProbe } from './identification.js';

const PRELOGIN = 0x12;
export const TABULAR_RESULT = 0x04;
const TERMINATOR = 0xff;

/**
 * A TDS packet (MS-TDS 2.2.3) of `type` whose payload is a PRELOGIN option table (MS-TDS 2.2.6.5):
 * the table of tokens, offsets and lengths, then each option's data. The server's answer
 * (TABULAR_RESULT) has the same layout as the client's request (PRELOGIN).
 */
export function tdsPreloginPacket(
  type: number,
  packetId: number,
  options: [token: number, data: Buffer][],
): Buffer {
  const tableLength = options.length * 5 + 1;
  const table = Buffer.alloc(tableLength);
  let offset = tableLength;
  options.forEach(([token, data], i) => {
    table[i * 5] = token;
    table.writeUInt16BE(offset, i * 5 + 1);
    table.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  table[tableLength - 1] = TERMINATOR;
  const payload = Buffer.concat([table, ...options.map(([, data]) => data)]);
  // Status 0x01: end of message; length (filled below); SPID 0; packet id; window 0.
  const header = Buffer.from([type, 0x01, 0, 0, 0, 0, packetId, 0x00]);
  header.writeUInt16BE(8 + payload.length, 2);
  return Buffer.concat([header, payload]);
}

/** TDS PRELOGIN (MS-TDS 2.2.6.5): version, encryption, instance, thread id, MARS; no login data. */
function preloginRequest(): Buffer {
  return tdsPreloginPacket(PRELOGIN, 0x00, [
    [0x00, Buffer.alloc(6)], // VERSION (client: 0.0.0.0)
    [0x01, Buffer.from([0x00])], // ENCRYPTION: ENCRYPT_OFF
    [0x02, Buffer.from([0x00])], // INSTOPT: default instance
    [0x03, Buffer.alloc(4)], // THREADID
    [0x04, Buffer.from([0x00])], // MARS off
  ]);
}

/** SQL Server product year by major version. */
const RELEASES: Record<number, string> = {
  8: '2000',
  9: '2005',
  10: '2008',
  11: '2012',
  12: '2014',
  13: '2016',
  14: '2017',
  15: '2019',
  16: '2022',
  17: '2025',
};
const ENCRYPTION: Record<number, string> = { 0: 'off', 1: 'on', 2: 'not supported', 3: 'required' };

/** The PRELOGIN response's options, by token; undefined when the payload is not a PRELOGIN table. */
export function parsePreloginOptions(payload: Buffer): Map<number, Buffer> | undefined {
  const options = new Map<number, Buffer>();
  for (let i = 0; i < 32; i += 1) {
    const token = payload[i * 5];
    if (token === undefined) return undefined;
    if (token === TERMINATOR) return options;
    if (payload.length < i * 5 + 5) return undefined;
    const offset = payload.readUInt16BE(i * 5 + 1);
    const length = payload.readUInt16BE(i * 5 + 3);
    if (offset + length > payload.length) return undefined;
    options.set(token, payload.subarray(offset, offset + length));
  }
  return undefined;
}

function complete(b: Buffer): boolean {
  return b.length >= 8 && b.length >= b.readUInt16BE(2);
}

/** Sends PRELOGIN and reads the server's version and encryption setting, disclosed before any login. */
export const mssqlPreloginProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(preloginRequest());
  const end = await c.waitFor(complete, stepMs);
  const b = c.received;
  if (b.length < 8 || b[0] !== TABULAR_RESULT) return { spoke: true, end };
  const length = b.readUInt16BE(2);
  if (length < 9 || b.length < length) return { spoke: true, end };
  const options = parsePreloginOptions(b.subarray(8, length));
  const version = options?.get(0x00);
  if (options === undefined || version === undefined || version.length < 6) return { spoke: true, end };
  const major = version[0] ?? 0;
  const number = `${major}.${version[1] ?? 0}.${version.readUInt16BE(2)}`;
  const release = RELEASES[major];
  const encryption = options.get(0x01)?.[0];
  return {
    spoke: true,
    end,
    identification: {
      service: 'mssql',
      version: `Microsoft SQL Server ${number}${release === undefined ? '' : ` (${release})`}`,
      detail: `PRELOGIN answered; encryption ${encryption === undefined ? 'unknown' : (ENCRYPTION[encryption] ?? String(encryption))}`,
    },
  };
};
