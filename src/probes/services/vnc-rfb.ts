import { type Identification, type TcpServiceProbe } from './identification.js';

const VERSION = /^RFB (\d{3})\.(\d{3})\n/;
const VERSION_LENGTH = 12;

const SECURITY_TYPES: Record<number, string> = {
  1: 'None',
  2: 'VNC Authentication',
  5: 'RA2',
  6: 'RA2ne',
  16: 'Tight',
  17: 'Ultra',
  18: 'TLS',
  19: 'VeNCrypt',
  20: 'SASL',
  22: 'xvp',
  30: 'Apple ARD',
};
const typeName = (t: number): string => SECURITY_TYPES[t] ?? `type ${t}`;

/** Recognises the RFB ProtocolVersion message a VNC server opens with (RFC 6143 §7.1.1). */
export function recognizeRfb(received: Buffer): Identification | undefined {
  const m = VERSION.exec(received.subarray(0, VERSION_LENGTH).toString('latin1'));
  if (m === null) return undefined;
  return { service: 'vnc', banner: `RFB ${m[1] ?? ''}.${m[2] ?? ''}`, detail: 'RFB protocol version' };
}

/** What the security handshake offered: the types, or the failure reason; undefined while incomplete. */
function parseSecurity(data: Buffer, legacy: boolean): { types: number[] } | { failure: string } | undefined {
  const failure = (at: number): { failure: string } | undefined => {
    if (data.length < at + 4) return undefined;
    const length = Math.min(data.readUInt32BE(at), 200);
    if (data.length < at + 4 + length) return undefined;
    return { failure: data.subarray(at + 4, at + 4 + length).toString('latin1') };
  };
  if (legacy) {
    // RFB 3.3: the server picks the type (u32); 0 means failure, followed by a reason.
    if (data.length < 4) return undefined;
    const type = data.readUInt32BE(0);
    return type === 0 ? failure(4) : { types: [type] };
  }
  const count = data[0];
  if (count === undefined) return undefined;
  if (count === 0) return failure(1);
  if (data.length < 1 + count) return undefined;
  return { types: [...data.subarray(1, 1 + count)] };
}

/**
 * Reads the server's RFB version, answers with ours (the highest both know) and reads the security
 * types it offers, then hangs up without choosing one: no password is ever sent. A server offering
 * `None` lets anyone take the screen.
 */
export const vncRfbProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  const end = await c.waitFor((b) => b.length >= VERSION_LENGTH, stepMs);
  const base = recognizeRfb(c.received);
  if (base === undefined) return { spoke: false, end };
  const major = Number(c.received.subarray(4, 7).toString('latin1'));
  const minor = Number(c.received.subarray(8, 11).toString('latin1'));
  const legacy = major === 3 && minor < 7;
  const ours = legacy ? '003.003' : major === 3 && minor === 7 ? '003.007' : '003.008';
  c.send(Buffer.from(`RFB ${ours}\n`, 'latin1'));
  const offset = VERSION_LENGTH;
  await c.waitFor((b) => parseSecurity(b.subarray(offset), legacy) !== undefined, stepMs);
  const security = parseSecurity(c.received.subarray(offset), legacy);
  if (security === undefined) return { spoke: true, end, identification: base };
  if ('failure' in security)
    return {
      spoke: true,
      end,
      identification: { ...base, detail: `security handshake refused: ${security.failure.slice(0, 100)}` },
    };
  const names = security.types.map(typeName).join(', ');
  return {
    spoke: true,
    end,
    identification: {
      ...base,
      detail: `security types: ${names}`,
      ...(security.types.includes(1)
        ? { unauthenticated: `${base.banner ?? 'RFB'}: security type None offered` }
        : {}),
    },
  };
};
