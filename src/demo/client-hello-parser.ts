/**
 * Reads a client's first flight (ClientHello) for the loopback legacy TLS server: TLS records
 * (possibly spanning several records) and SSLv2-format CLIENT-HELLOs. Bounded and never throws.
 */

export interface TlsExtension {
  type: number;
  data: Buffer;
}

export interface TlsClientHello {
  format: 'tls';
  recordVersion: number;
  /** legacy_version of the ClientHello. */
  clientVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: TlsExtension[];
  serverName?: string;
  /** Versions of the supported_versions extension, when present. */
  supportedVersions?: number[];
  supportedGroups?: number[];
  keyShares?: { group: number; key: Buffer }[];
}

export interface Ssl2ClientHello {
  format: 'ssl2';
  /** CLIENT-VERSION: 0x0002 for SSLv2, 0x03xx for an SSLv2-compatible TLS hello. */
  clientVersion: number;
  /** 3-byte cipher specs; TLS suites appear as 0x00NNNN. */
  cipherSpecs: number[];
  sessionId: Buffer;
  challenge: Buffer;
}

export type ParsedClientHello = TlsClientHello | Ssl2ClientHello;

export type ClientHelloParse =
  | { state: 'need-more' }
  | { state: 'invalid'; detail: string }
  | { state: 'hello'; hello: ParsedClientHello };

export const MAX_CLIENT_HELLO_BYTES = 64 * 1024;

class Malformed extends Error {}

function need(b: Buffer, off: number, n: number, what: string): void {
  if (off + n > b.length) throw new Malformed(`truncated ${what}`);
}

function readU24(b: Buffer, off: number): number {
  return ((b[off] ?? 0) << 16) | ((b[off + 1] ?? 0) << 8) | (b[off + 2] ?? 0);
}

function u16List(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) out.push(b.readUInt16BE(i));
  return out;
}

function parseExtensions(hello: TlsClientHello): void {
  for (const { type, data } of hello.extensions) {
    if (type === 0 && data.length >= 5) {
      // server_name_list: <len16> { type(1) <len16> name }
      const nameLen = data.readUInt16BE(3);
      if (data[2] === 0 && 5 + nameLen <= data.length)
        hello.serverName = data.subarray(5, 5 + nameLen).toString('ascii');
    } else if (type === 43 && data.length >= 1) {
      hello.supportedVersions = u16List(data.subarray(1, 1 + (data[0] ?? 0)));
    } else if (type === 10 && data.length >= 2) {
      hello.supportedGroups = u16List(data.subarray(2, 2 + data.readUInt16BE(0)));
    } else if (type === 51 && data.length >= 2) {
      const end = Math.min(data.length, 2 + data.readUInt16BE(0));
      const shares: { group: number; key: Buffer }[] = [];
      let p = 2;
      while (p + 4 <= end) {
        const group = data.readUInt16BE(p);
        const len = data.readUInt16BE(p + 2);
        if (p + 4 + len > end) break;
        shares.push({ group, key: Buffer.from(data.subarray(p + 4, p + 4 + len)) });
        p += 4 + len;
      }
      hello.keyShares = shares;
    }
  }
}

function parseClientHelloBody(recordVersion: number, body: Buffer): TlsClientHello {
  need(body, 0, 35, 'ClientHello');
  const clientVersion = body.readUInt16BE(0);
  const random = Buffer.from(body.subarray(2, 34));
  const sidLen = body[34] ?? 0;
  if (sidLen > 32) throw new Malformed('session id too long');
  let p = 35;
  need(body, p, sidLen + 2, 'session id');
  const sessionId = Buffer.from(body.subarray(p, p + sidLen));
  p += sidLen;
  const suitesLen = body.readUInt16BE(p);
  p += 2;
  need(body, p, suitesLen + 1, 'cipher suites');
  const cipherSuites = u16List(body.subarray(p, p + suitesLen));
  p += suitesLen;
  const compLen = body[p] ?? 0;
  p += 1;
  need(body, p, compLen, 'compression methods');
  const compressionMethods = [...body.subarray(p, p + compLen)];
  p += compLen;
  const extensions: TlsExtension[] = [];
  if (p + 2 <= body.length) {
    const end = Math.min(body.length, p + 2 + body.readUInt16BE(p));
    p += 2;
    while (p + 4 <= end) {
      const type = body.readUInt16BE(p);
      const len = body.readUInt16BE(p + 2);
      if (p + 4 + len > end) throw new Malformed('truncated extension');
      extensions.push({ type, data: Buffer.from(body.subarray(p + 4, p + 4 + len)) });
      p += 4 + len;
    }
  }
  const hello: TlsClientHello = {
    format: 'tls',
    recordVersion,
    clientVersion,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
  };
  parseExtensions(hello);
  return hello;
}

function parseTls(data: Buffer): ClientHelloParse {
  let hs = Buffer.alloc(0);
  let off = 0;
  let recordVersion = 0;
  while (off + 5 <= data.length) {
    if (data[off] !== 22)
      return { state: 'invalid', detail: `record type ${data[off] ?? '?'} before ClientHello` };
    const len = data.readUInt16BE(off + 3);
    if (len > 16384 + 2048) return { state: 'invalid', detail: 'record too large' };
    if (off + 5 + len > data.length) return { state: 'need-more' };
    if (off === 0) recordVersion = data.readUInt16BE(1);
    hs = Buffer.concat([hs, data.subarray(off + 5, off + 5 + len)]);
    off += 5 + len;
    if (hs.length >= 4) {
      if (hs[0] !== 1)
        return { state: 'invalid', detail: `handshake message ${hs[0] ?? '?'} instead of ClientHello` };
      const msgLen = readU24(hs, 1);
      if (msgLen > MAX_CLIENT_HELLO_BYTES) return { state: 'invalid', detail: 'ClientHello too large' };
      if (hs.length >= 4 + msgLen) {
        return { state: 'hello', hello: parseClientHelloBody(recordVersion, hs.subarray(4, 4 + msgLen)) };
      }
    }
  }
  return { state: 'need-more' };
}

function parseSsl2(data: Buffer): ClientHelloParse {
  if (data.length < 3) return { state: 'need-more' };
  const len = (((data[0] ?? 0) & 0x7f) << 8) | (data[1] ?? 0);
  if (data[2] !== 1) return { state: 'invalid', detail: 'SSLv2 record is not a CLIENT-HELLO' };
  if (data.length < 2 + len) return { state: 'need-more' };
  const body = data.subarray(2, 2 + len);
  need(body, 0, 9, 'SSLv2 CLIENT-HELLO');
  const clientVersion = body.readUInt16BE(1);
  const specLen = body.readUInt16BE(3);
  const sidLen = body.readUInt16BE(5);
  const challengeLen = body.readUInt16BE(7);
  if (specLen % 3 !== 0) throw new Malformed('SSLv2 cipher specs length not a multiple of 3');
  need(body, 9, specLen + sidLen + challengeLen, 'SSLv2 CLIENT-HELLO');
  const cipherSpecs: number[] = [];
  for (let i = 0; i < specLen; i += 3) cipherSpecs.push(readU24(body, 9 + i));
  const sessionId = Buffer.from(body.subarray(9 + specLen, 9 + specLen + sidLen));
  const challenge = Buffer.from(body.subarray(9 + specLen + sidLen, 9 + specLen + sidLen + challengeLen));
  return { state: 'hello', hello: { format: 'ssl2', clientVersion, cipherSpecs, sessionId, challenge } };
}

/** Parses the client's first bytes; 'need-more' until a whole ClientHello is there. */
export function parseClientHello(data: Buffer): ClientHelloParse {
  try {
    const first = data[0];
    if (first === undefined) return { state: 'need-more' };
    if (data.length > MAX_CLIENT_HELLO_BYTES + 1024)
      return { state: 'invalid', detail: 'ClientHello too large' };
    if (first === 22) return parseTls(data);
    if ((first & 0x80) !== 0) return parseSsl2(data);
    return { state: 'invalid', detail: 'not a TLS ClientHello' };
  } catch (err) {
    return { state: 'invalid', detail: err instanceof Error ? err.message : String(err) };
  }
}
