/** A minimal BER writer (definite lengths) for the LDAP and SNMP requests; reading uses ../tls/der.js. */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const value = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

/** A non-negative INTEGER (or ENUMERATED with tag 0x0a), minimal two's complement. */
export function integer(n: number, tag = 0x02): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

export function octets(value: string | Buffer, tag = 0x04): Buffer {
  return tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** Value of an INTEGER's content octets (unsigned reading, up to 6 bytes). */
export function readUnsigned(content: Buffer): number | undefined {
  if (content.length === 0 || content.length > 6) return undefined;
  return content.readUIntBE(0, content.length);
}
