/** Big-endian integers and length-prefixed vectors of the TLS presentation language (RFC 8446 §3). */
export function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
}

export function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

/** `<len8><data>` */
export function vec8(data: Buffer): Buffer {
  return Buffer.concat([u8(data.length), data]);
}

/** `<len16><data>` */
export function vec16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}

/** `<len24><data>` */
export function vec24(data: Buffer): Buffer {
  return Buffer.concat([u24(data.length), data]);
}
