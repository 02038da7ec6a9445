import type { ServerHelloAnswer, TlsVersionId } from '../../domain/tls.js';
import { suiteByCode } from '../../domain/cipher-suites.js';
import { CONTENT_TYPE, EXTENSION_TYPE, HANDSHAKE_TYPE, versionFromWire } from './client-hello.js';

/** What the server's first flight says so far. */
export type ServerFlight =
  | { state: 'need-more' }
  | { state: 'alert'; level: number; description: number; descriptionName: string }
  | { state: 'invalid'; detail: string }
  | ({
      state: 'hello';
      /**
       * Nothing more to read: ServerHelloDone was seen (want 'key-exchange'), or the ServerHello is all
       * that was wanted or readable (want 'hello', TLS 1.3, SSLv2), or an alert ended the flight.
       */
      complete: boolean;
    } & ServerHelloAnswer);

export interface ParseFlightOptions {
  /** 'hello': stop at ServerHello. 'key-exchange': also read Certificate and ServerKeyExchange (TLS ≤ 1.2). */
  want: 'hello' | 'key-exchange';
}

/** Most bytes of a first flight read when only the ServerHello is wanted. */
export const MAX_FLIGHT_BYTES = 256 * 1024;
/**
 * The TLS limit of one handshake message, and so of a Certificate message: its length is a 24-bit
 * field (RFC 5246 §7.4, RFC 8446 §4), 16 MiB − 1. OpenSSL, and so Node, stop at 100 KiB of
 * certificates; the raw reader goes to the protocol's own limit, and no further.
 */
export const MAX_CERTIFICATE_MESSAGE_BYTES = 0xffffff;
/**
 * Most bytes of a first flight read for its Certificate and ServerKeyExchange: a Certificate
 * message at the TLS limit, plus room for the other messages and the record headers.
 */
export const MAX_KEY_EXCHANGE_FLIGHT_BYTES = MAX_CERTIFICATE_MESSAGE_BYTES + 512 * 1024;
const MAX_RECORD_LENGTH = 16384 + 2048;
/** Any other handshake message (a ServerHello is at most ~64 KiB: its extensions have a 16-bit length). */
const MAX_HANDSHAKE_LENGTH = 128 * 1024;
const MAX_CERTIFICATES = 16;

/** SHA-256("HelloRetryRequest"): the ServerHello.random of a TLS 1.3 HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
  'hex',
);

const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const SSL2_ERROR_NAMES: Readonly<Record<number, string>> = {
  1: 'sslv2_no_cipher',
  2: 'sslv2_no_certificate',
  4: 'sslv2_bad_certificate',
  6: 'sslv2_unsupported_certificate_type',
};

export function alertName(description: number): string {
  return ALERT_NAMES[description] ?? `alert_${description}`;
}

/** Thrown inside the parser for malformed input; never escapes `parseServerFlight`. */
class Malformed extends Error {}

type Hello = Extract<ServerFlight, { state: 'hello' }>;

/** A short, printable view of unexpected bytes for error details. */
export function describeBytes(data: Buffer): string {
  const head = data.subarray(0, 32);
  let printable = 0;
  for (const b of head) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  if (head.length > 0 && printable / head.length >= 0.75) {
    const text = head.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    return `"${text}${data.length > head.length ? '…' : ''}"`;
  }
  return `bytes ${head
    .subarray(0, 8)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')}`;
}

function readU24(b: Buffer, off: number): number {
  return ((b[off] ?? 0) << 16) | ((b[off + 1] ?? 0) << 8) | (b[off + 2] ?? 0);
}

function need(b: Buffer, off: number, n: number, what: string): void {
  if (off < 0 || n < 0 || off + n > b.length) throw new Malformed(`truncated ${what}`);
}

function bitLength(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  const first = bytes[i];
  if (first === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(first));
}

interface ServerHelloFacts {
  version: TlsVersionId;
  suite: number;
  compression: number;
  extensions: number[];
  group?: number;
  helloRetry: boolean;
}

function parseServerHelloBody(body: Buffer): ServerHelloFacts {
  need(body, 0, 35, 'ServerHello');
  const legacyVersion = body.readUInt16BE(0);
  const random = body.subarray(2, 34);
  const sidLen = body[34] ?? 0;
  if (sidLen > 32) throw new Malformed('ServerHello session id longer than 32 bytes');
  let p = 35 + sidLen;
  need(body, p, 3, 'ServerHello');
  const suite = body.readUInt16BE(p);
  const compression = body[p + 2] ?? 0;
  p += 3; // suite + compression method
  let selected: number | undefined;
  let group: number | undefined;
  const extensions: number[] = [];
  if (p < body.length) {
    need(body, p, 2, 'ServerHello extensions');
    const extEnd = p + 2 + body.readUInt16BE(p);
    if (extEnd > body.length) throw new Malformed('truncated ServerHello extensions');
    p += 2;
    while (p < extEnd) {
      need(body, p, 4, 'extension');
      const type = body.readUInt16BE(p);
      const len = body.readUInt16BE(p + 2);
      p += 4;
      if (p + len > extEnd) throw new Malformed('truncated extension');
      if (extensions.length < 64) extensions.push(type);
      // key_share: a HelloRetryRequest names a group (2 bytes), a ServerHello a group and its key.
      if (type === EXTENSION_TYPE.keyShare && len >= 2) group = body.readUInt16BE(p);
      if (type === EXTENSION_TYPE.supportedVersions) {
        if (len !== 2) throw new Malformed('bad supported_versions in ServerHello');
        selected = body.readUInt16BE(p);
      }
      p += len;
    }
  }
  const isRetry = random.equals(HELLO_RETRY_REQUEST_RANDOM);
  const wire = selected ?? legacyVersion;
  const version = isRetry ? 'tls1.3' : versionFromWire(wire);
  if (version === undefined || version === 'ssl2') {
    throw new Malformed(`ServerHello with unknown version 0x${wire.toString(16).padStart(4, '0')}`);
  }
  return {
    version,
    suite,
    compression,
    extensions,
    helloRetry: isRetry,
    ...(group === undefined ? {} : { group }),
  };
}

/** Named curve of an ECDHE ServerKeyExchange (curve_type named_curve, RFC 8422 §5.4). */
function parseEcdheGroup(suite: number, body: Buffer): number | undefined {
  const kex = suiteByCode(suite)?.kex;
  if (kex !== 'ECDHE' && kex !== 'ECDH_anon' && kex !== 'ECDHE_PSK') return undefined;
  let p = 0;
  if (kex === 'ECDHE_PSK') {
    need(body, 0, 2, 'ServerKeyExchange');
    p = 2 + body.readUInt16BE(0);
  }
  need(body, p, 3, 'ServerKeyExchange');
  return body[p] === 3 ? body.readUInt16BE(p + 1) : undefined;
}

function parseCertificateList(body: Buffer): Buffer[] {
  need(body, 0, 3, 'Certificate');
  const end = 3 + readU24(body, 0);
  if (end > body.length) throw new Malformed('truncated Certificate list');
  const certs: Buffer[] = [];
  let p = 3;
  while (p < end) {
    need(body, p, 3, 'certificate');
    const len = readU24(body, p);
    p += 3;
    if (p + len > end) throw new Malformed('truncated certificate');
    if (certs.length < MAX_CERTIFICATES && len > 0) {
      certs.push(Buffer.from(body.subarray(p, p + len)));
    }
    p += len;
  }
  return certs;
}

/** Bits of the DH prime p in a DHE ServerKeyExchange, or undefined when the suite is not finite-field DHE. */
function parseDhPrimeBits(suite: number, body: Buffer): number | undefined {
  const kex = suiteByCode(suite)?.kex;
  if (kex !== 'DHE' && kex !== 'DH_anon' && kex !== 'DHE_PSK') return undefined;
  let p = 0;
  if (kex === 'DHE_PSK') {
    need(body, 0, 2, 'ServerKeyExchange');
    p = 2 + body.readUInt16BE(0); // psk_identity_hint
  }
  need(body, p, 2, 'ServerKeyExchange');
  const len = body.readUInt16BE(p);
  need(body, p + 2, len, 'DH prime');
  return bitLength(body.subarray(p + 2, p + 2 + len));
}

const EMPTY = Buffer.alloc(0);

/** FIFO of received chunks: reading n bytes costs O(n), whatever the sizes the bytes arrived in. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first n bytes (n ≤ length), without consuming them. */
  peek(n: number): Buffer {
    return this.front(n).subarray(0, n);
  }

  /** Removes and returns the first n bytes (n ≤ length). */
  take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.front(n);
    if (first.length === n) this.head++;
    else this.chunks[this.head] = first.subarray(n);
    this.length -= n;
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return first.subarray(0, n);
  }

  /** Makes the front chunk at least n bytes long (merging chunks) and returns it. */
  private front(n: number): Buffer {
    const first = this.chunks[this.head];
    if (first === undefined) throw new Malformed('read past the end of the data');
    if (first.length >= n) return first;
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const c = this.chunks[this.head];
      if (c === undefined) throw new Malformed('read past the end of the data');
      parts.push(c);
      got += c.length;
      // Merged below: the slot must not keep the chunk alive (a 16 MiB message spans ~1 000 of them).
      this.chunks[this.head] = EMPTY;
      this.head++;
    }
    const merged = Buffer.concat(parts, got);
    this.chunks[--this.head] = merged;
    return merged;
  }
}

function parseSsl2(data: Buffer): ServerFlight {
  const body = data.subarray(2);
  const msgType = body[0];
  if (msgType === 0) {
    if (body.length < 3) return { state: 'invalid', detail: 'SSLv2 ERROR too short' };
    const code = body.readUInt16BE(1);
    return {
      state: 'alert',
      level: 2,
      description: code,
      descriptionName: SSL2_ERROR_NAMES[code] ?? `sslv2_error_${code}`,
    };
  }
  if (body.length < 11) return { state: 'invalid', detail: 'SSLv2 SERVER-HELLO too short' };
  const certType = body[2];
  const version = body.readUInt16BE(3);
  const certLen = body.readUInt16BE(5);
  const specLen = body.readUInt16BE(7);
  const connIdLen = body.readUInt16BE(9);
  if (version !== 0x0002)
    return { state: 'invalid', detail: `SSLv2 SERVER-HELLO with version 0x${version.toString(16)}` };
  if (11 + certLen + specLen + connIdLen > body.length || specLen % 3 !== 0) {
    return { state: 'invalid', detail: 'SSLv2 SERVER-HELLO with inconsistent lengths' };
  }
  if (specLen === 0) {
    // The server shares no cipher spec with us: the SSLv2 way of refusing.
    return {
      state: 'alert',
      level: 2,
      description: 1,
      descriptionName: SSL2_ERROR_NAMES[1] ?? 'sslv2_no_cipher',
    };
  }
  const suite = readU24(body, 11 + certLen);
  const hello: Hello = { state: 'hello', version: 'ssl2', suite, complete: true };
  // certLen is a 16-bit field: at most 64 KiB.
  if (certType === 1 && certLen > 0) {
    hello.certificates = [Buffer.from(body.subarray(11, 11 + certLen))];
  }
  return hello;
}

const NEED_MORE: ServerFlight = { state: 'need-more' };

/**
 * Incremental reader of the server's answer to one ClientHello: push chunks as they arrive; each
 * push says what the flight says so far. Work and memory are linear in the bytes received, which
 * are capped at MAX_FLIGHT_BYTES for a ServerHello, and at MAX_KEY_EXCHANGE_FLIGHT_BYTES (a
 * Certificate message at the TLS limit, 16 MiB) when the key exchange is wanted. Never throws. Once a final answer is reached (alert, invalid,
 * complete hello), it is returned for every later push.
 */
export class ServerFlightReader {
  private readonly want: ParseFlightOptions['want'];
  private readonly maxBytes: number;
  private readonly records = new ByteQueue();
  private readonly handshake = new ByteQueue();
  private head: Buffer = Buffer.alloc(0);
  private format: 'tls' | 'ssl2' | undefined;
  private received = 0;
  private hello: Hello | undefined;
  private final: ServerFlight | undefined;

  constructor(opts: ParseFlightOptions) {
    this.want = opts.want;
    this.maxBytes = opts.want === 'key-exchange' ? MAX_KEY_EXCHANGE_FLIGHT_BYTES : MAX_FLIGHT_BYTES;
  }

  push(chunk: Buffer): ServerFlight {
    if (this.final !== undefined) return this.final;
    let result: ServerFlight;
    try {
      const room = this.maxBytes - this.received;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.received += chunk.length;
      if (this.head.length < 32)
        this.head = Buffer.concat([this.head, kept.subarray(0, 32 - this.head.length)]);
      this.records.push(kept);
      result = this.advance();
      if (result.state === 'need-more' && this.received > MAX_FLIGHT_BYTES) {
        // Whatever is wanted, a ServerHello comes first, and it is small.
        result = {
          state: 'invalid',
          detail: `no ServerHello in the first ${MAX_FLIGHT_BYTES} bytes`,
        };
      } else if (this.received > this.maxBytes) {
        if (result.state === 'need-more') {
          result = { state: 'invalid', detail: `no complete answer in the first ${this.maxBytes} bytes` };
        } else if (result.state === 'hello' && !result.complete) {
          result = { ...result, complete: true };
        }
      }
    } catch (err) {
      result =
        err instanceof Malformed
          ? { state: 'invalid', detail: err.message }
          : {
              state: 'invalid',
              detail: `unreadable answer: ${err instanceof Error ? err.message : String(err)}`,
            };
    }
    if (
      result.state === 'alert' ||
      result.state === 'invalid' ||
      (result.state === 'hello' && result.complete)
    ) {
      this.final = result;
    }
    return result;
  }

  private notTls(): ServerFlight {
    return { state: 'invalid', detail: `not TLS: ${describeBytes(this.head)}` };
  }

  private advance(): ServerFlight {
    if (this.format === undefined) {
      const first = this.head[0];
      if (first === undefined) return NEED_MORE;
      if (first === CONTENT_TYPE.alert || first === CONTENT_TYPE.handshake) {
        if (this.head.length < 2) return NEED_MORE;
        if (this.head[1] !== 3) return this.notTls();
        this.format = 'tls';
      } else if ((first & 0x80) !== 0) {
        if (this.head.length < 3) return NEED_MORE;
        const msgType = this.head[2];
        const len = ((first & 0x7f) << 8) | (this.head[1] ?? 0);
        if ((msgType !== 4 && msgType !== 0) || len < 3) return this.notTls();
        this.format = 'ssl2';
      } else {
        return this.notTls();
      }
    }
    return this.format === 'tls' ? this.advanceTls() : this.advanceSsl2();
  }

  private advanceSsl2(): ServerFlight {
    const header = this.records.peek(2);
    const len = (((header[0] ?? 0) & 0x7f) << 8) | (header[1] ?? 0);
    if (this.records.length < 2 + len) return NEED_MORE;
    return parseSsl2(this.records.take(2 + len));
  }

  private static done(hello: Hello): Hello {
    return { ...hello, complete: true };
  }

  private advanceTls(): ServerFlight {
    while (this.records.length >= 5) {
      const header = this.records.peek(5);
      const type = header[0] ?? 0;
      const major = header[1];
      const len = header.readUInt16BE(3);
      if (type < CONTENT_TYPE.changeCipherSpec || type > 24) {
        return { state: 'invalid', detail: `unexpected record type ${type}` };
      }
      if (major !== 3) return { state: 'invalid', detail: `record with version major ${major ?? '?'}` };
      if (len > MAX_RECORD_LENGTH)
        return { state: 'invalid', detail: `record of ${len} bytes exceeds the TLS limit` };
      if (this.records.length < 5 + len) break;
      this.records.take(5);
      const fragment = this.records.take(len);

      if (type === CONTENT_TYPE.alert) {
        if (fragment.length < 2) return { state: 'invalid', detail: 'truncated alert' };
        const level = fragment[0] ?? 0;
        const description = fragment[1] ?? 0;
        if (this.hello !== undefined) return ServerFlightReader.done(this.hello);
        // Warnings such as unrecognized_name precede some servers' ServerHello: keep reading.
        if (level === 1 && description !== 0) continue;
        return { state: 'alert', level, description, descriptionName: alertName(description) };
      }
      if (type === CONTENT_TYPE.changeCipherSpec || type === CONTENT_TYPE.applicationData) {
        if (this.hello === undefined) {
          return {
            state: 'invalid',
            detail: `${type === 20 ? 'ChangeCipherSpec' : 'application data'} before ServerHello`,
          };
        }
        return ServerFlightReader.done(this.hello);
      }
      if (type !== CONTENT_TYPE.handshake) continue; // heartbeat
      this.handshake.push(fragment);
      const result = this.readHandshake();
      if (result !== undefined) return result;
    }
    return this.hello ?? NEED_MORE;
  }

  /** Handles the complete handshake messages buffered; a result ends the flight. */
  private readHandshake(): ServerFlight | undefined {
    while (this.handshake.length >= 4) {
      const header = this.handshake.peek(4);
      const msgType = header[0] ?? 0;
      const msgLen = readU24(header, 1);
      // Only a Certificate message after the ServerHello may go up to the TLS limit.
      const limit =
        this.hello !== undefined && msgType === HANDSHAKE_TYPE.certificate
          ? MAX_CERTIFICATE_MESSAGE_BYTES
          : MAX_HANDSHAKE_LENGTH;
      if (msgLen > limit) {
        return { state: 'invalid', detail: `handshake message of ${msgLen} bytes is too large` };
      }
      if (this.handshake.length < 4 + msgLen) return undefined;
      this.handshake.take(4);
      const body = this.handshake.take(msgLen);

      if (this.hello === undefined) {
        if (msgType === HANDSHAKE_TYPE.helloRequest) continue;
        if (msgType !== HANDSHAKE_TYPE.serverHello) {
          return { state: 'invalid', detail: `handshake message ${msgType} before ServerHello` };
        }
        const sh = parseServerHelloBody(body);
        this.hello = {
          state: 'hello',
          version: sh.version,
          suite: sh.suite,
          complete: false,
          compression: sh.compression,
          extensions: sh.extensions,
          ...(sh.group === undefined ? {} : { group: sh.group }),
          ...(sh.helloRetry ? { helloRetry: true } : {}),
        };
        // TLS 1.3: everything after ServerHello is encrypted.
        if (this.want === 'hello' || sh.version === 'tls1.3') return ServerFlightReader.done(this.hello);
        continue;
      }
      switch (msgType) {
        case HANDSHAKE_TYPE.certificate:
          this.hello.certificates = parseCertificateList(body);
          break;
        case HANDSHAKE_TYPE.serverKeyExchange: {
          const bits = parseDhPrimeBits(this.hello.suite, body);
          if (bits !== undefined) this.hello.dhPrimeBits = bits;
          const group = parseEcdheGroup(this.hello.suite, body);
          if (group !== undefined) this.hello.group = group;
          break;
        }
        case HANDSHAKE_TYPE.serverHelloDone:
          return ServerFlightReader.done(this.hello);
        case HANDSHAKE_TYPE.serverHello:
          return { state: 'invalid', detail: 'second ServerHello' };
        default:
          break; // CertificateStatus, CertificateRequest …
      }
    }
    return undefined;
  }
}

/**
 * Reads the server's answer to one ClientHello, from all the bytes received so far (a one-shot
 * ServerFlightReader). Never throws; input beyond MAX_FLIGHT_BYTES that still does not make a
 * flight is 'invalid'.
 */
export function parseServerFlight(data: Buffer, opts: ParseFlightOptions): ServerFlight {
  return new ServerFlightReader(opts).push(data);
}
