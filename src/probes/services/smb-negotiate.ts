import type { TcpServiceProbe } from './identification.js';

const DIALECTS = ['NT LM 0.12', 'SMB 2.002', 'SMB 2.???'];

/**
 * SMB1 NEGOTIATE offering NT LM 0.12 and SMB 2: a server with SMB 2 answers in SMB 2 (MS-SMB2
 * 3.3.5.3.1), an SMBv1-only server in SMB1. Direct TCP transport (port 445): 4-byte length header.
 */
function negotiateRequest(): Buffer {
  const dialects = Buffer.concat(DIALECTS.map((d) => Buffer.from(`\x02${d}\x00`, 'latin1')));
  const header = Buffer.alloc(32);
  header.write('\xffSMB', 0, 'latin1');
  header[4] = 0x72; // SMB_COM_NEGOTIATE
  header[9] = 0x18; // flags: case-insensitive, canonicalized paths
  header.writeUInt16LE(0xc801, 10); // flags2: unicode, NT status, extended security, long names
  header.writeUInt16LE(0xfeff, 26); // PID (low)
  const body = Buffer.alloc(3 + dialects.length);
  body[0] = 0; // word count
  body.writeUInt16LE(dialects.length, 1);
  dialects.copy(body, 3);
  const smb = Buffer.concat([header, body]);
  const transport = Buffer.alloc(4);
  transport.writeUInt32BE(smb.length, 0);
  return Buffer.concat([transport, smb]);
}

const SMB2_DIALECTS: Record<number, string> = {
  0x0202: '2.0.2',
  0x0210: '2.1',
  0x0300: '3.0',
  0x0302: '3.0.2',
  0x0311: '3.1.1',
  0x02ff: '2.x',
};

function complete(b: Buffer): boolean {
  return b.length >= 4 && b.length >= 4 + b.readUIntBE(1, 3);
}

/** Sends one NEGOTIATE (no session, no user) and reads which dialect and signing the server wants. */
export const smbNegotiateProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  c.send(negotiateRequest());
  const end = await c.waitFor(complete, stepMs);
  const b = c.received;
  if (b.length < 8 || b[0] !== 0x00) return { spoke: true, end };
  const protocol = b.subarray(4, 8).toString('latin1');
  if (protocol === '\xfeSMB' && b.length >= 4 + 64 + 6 && b.readUInt16LE(4 + 12) === 0) {
    const securityMode = b.readUInt16LE(4 + 64 + 2);
    const dialect = b.readUInt16LE(4 + 64 + 4);
    const name = SMB2_DIALECTS[dialect] ?? `0x${dialect.toString(16)}`;
    const signing = securityMode & 0x02 ? 'signing required' : 'signing not required';
    return { spoke: true, end, identification: { service: 'smb', detail: `SMB ${name}, ${signing}` } };
  }
  if (protocol === '\xffSMB' && b[4 + 4] === 0x72) {
    const index = b.length >= 4 + 35 ? b.readUInt16LE(4 + 33) : undefined;
    const dialect = index === undefined ? undefined : DIALECTS[index];
    return {
      spoke: true,
      end,
      identification: {
        service: 'smb',
        detail: `SMBv1 answered${dialect === undefined ? '' : ` (${dialect})`}`,
      },
    };
  }
  return { spoke: true, end };
};
