import type { TcpServiceProbe } from './identification.js';

/**
 * TPKT + X.224 Connection Request with an RDP Negotiation Request for TLS, CredSSP and early user
 * authorization (MS-RDPBCGR 2.2.1.1). No cookie: it would carry a user name.
 */
const CONNECTION_REQUEST = Buffer.from([
  0x03,
  0x00,
  0x00,
  0x13, // TPKT: version 3, length 19
  0x0e,
  0xe0,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00, // X.224 CR TPDU
  0x01,
  0x00,
  0x08,
  0x00,
  0x0b,
  0x00,
  0x00,
  0x00, // RDP_NEG_REQ: PROTOCOL_SSL | HYBRID | HYBRID_EX
]);

const PROTOCOLS: Record<number, string> = {
  0: 'standard RDP security (no TLS, no NLA)',
  1: 'TLS',
  2: 'CredSSP (NLA)',
  8: 'CredSSP with early user authorization',
};
const FAILURES: Record<number, string> = {
  1: 'SSL required by server',
  2: 'SSL not allowed by server',
  3: 'SSL certificate not on server',
  4: 'inconsistent flags',
  5: 'hybrid (NLA) required by server',
  6: 'SSL with user authentication required by server',
};

function tpktComplete(b: Buffer): boolean {
  return b.length >= 4 && b.length >= b.readUInt16BE(2);
}

/** Sends the X.224 Connection Request and expects a Connection Confirm (TPDU code 0xD0). */
export const rdpX224Probe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(CONNECTION_REQUEST);
  const end = await c.waitFor(tpktComplete, stepMs);
  const b = c.received;
  if (b.length < 11 || b[0] !== 0x03 || b[1] !== 0x00 || ((b[5] ?? 0) & 0xf0) !== 0xd0)
    return { spoke: true, end };
  const length = b.readUInt16BE(2);
  let detail = 'X.224 connection confirm';
  if (length >= 19 && b.length >= 19) {
    const value = b.readUInt32LE(15);
    if (b[11] === 0x02) detail = `selected protocol: ${PROTOCOLS[value] ?? `0x${value.toString(16)}`}`;
    if (b[11] === 0x03) detail = `negotiation failure: ${FAILURES[value] ?? `code ${value}`}`;
  }
  return { spoke: true, end, identification: { service: 'rdp', detail } };
};
