import { generateKeyPairSync, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { TlsVersionId } from '../domain/tls.js';
import { TLS_VERSIONS } from '../domain/tls.js';
import { suiteAllowedIn, suiteByCode, TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from '../domain/cipher-suites.js';
import { HELLO_RETRY_REQUEST_RANDOM } from '../probes/tls/server-hello.js';
import { TLS_VERSION_WIRE, versionFromWire } from '../probes/tls/client-hello.js';
import type { Ssl2ClientHello, TlsClientHello } from './client-hello-parser.js';
import { parseClientHello } from './client-hello-parser.js';
import { u16, u24, vec16, vec24 } from '../probes/tls/wire-bytes.js';

/**
 * A loopback server that speaks just enough raw TLS/SSL to answer a ClientHello: the first flight
 * (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone) of any version and suite, including
 * those Node's OpenSSL can no longer serve (SSLv2, SSLv3, RC4, 3DES, EXPORT). It never completes a
 * handshake: it is a target for scanners, for the demo estate and for tests.
 */

export type LegacyBehaviour = 'normal' | 'silent' | 'garbage' | 'flood' | 'reset' | 'http';

export interface LegacyTlsServerOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; default: chosen by the system. Fails when taken. */
  port?: number;
  /** Versions accepted; the highest one common with the client (≤ its maximum) is negotiated. */
  versions: TlsVersionId[];
  /** Suites accepted, in server preference order (SSLv2 cipher specs as 3-byte codes). */
  suites: number[];
  /** DER chain sent in Certificate (leaf first). */
  certificates?: Buffer[];
  /** Size of the DH prime sent in ServerKeyExchange when a DHE suite is chosen; default 2048 (512 for export). */
  dhPrimeBits?: number;
  behaviour?: LegacyBehaviour;
}

export interface LegacyTlsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const MAX_RECORD_PAYLOAD = 16384;
const IDLE_TIMEOUT_MS = 15_000;
const FLOOD_BYTES = 4 * 1024 * 1024;
const HTTP_400 =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request';

const ALERT = { handshakeFailure: 40, decodeError: 50, protocolVersion: 70 } as const;

/** Splits a payload into records of at most 16 KiB. */
function records(type: number, version: number, payload: Buffer): Buffer {
  const out: Buffer[] = [];
  let off = 0;
  do {
    out.push(Buffer.from([type]), u16(version), vec16(payload.subarray(off, off + MAX_RECORD_PAYLOAD)));
    off += MAX_RECORD_PAYLOAD;
  } while (off < payload.length);
  return Buffer.concat(out);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), vec24(body)]);
}

function alert(recordVersion: number, description: number): Buffer {
  return records(21, recordVersion, Buffer.from([2, description]));
}

/** A random big number of exactly `bits` bits, odd. */
function randomOfBits(bits: number): Buffer {
  const bytes = Math.max(1, Math.ceil(bits / 8));
  const b = randomBytes(bytes);
  const topBits = bits - (bytes - 1) * 8; // 1..8
  b[0] = ((b[0] ?? 0) & ((1 << topBits) - 1)) | (1 << (topBits - 1));
  b[bytes - 1] = (b[bytes - 1] ?? 0) | 1;
  return b;
}

function x25519PublicKey(): Buffer {
  const der = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.from(der.subarray(der.length - 32));
}

function rank(v: TlsVersionId): number {
  return TLS_VERSIONS.indexOf(v);
}

/** A dummy signature, shaped as the version expects (TLS 1.2 prefixes the algorithm). */
function signature(version: TlsVersionId): Buffer {
  const sig = vec16(randomBytes(256));
  return version === 'tls1.2' ? Buffer.concat([u16(0x0401), sig]) : sig;
}

function serverKeyExchange(
  suite: number,
  version: TlsVersionId,
  dhPrimeBits: number | undefined,
): Buffer | undefined {
  const s = suiteByCode(suite);
  if (s === undefined) return undefined;
  const signed = !s.anon;
  if (s.kex === 'DHE' || s.kex === 'DH_anon') {
    const bits = dhPrimeBits ?? (s.export ? 512 : 2048);
    const p = randomOfBits(bits);
    // A public value in range (1 < Ys < p - 1, as clients check): one bit shorter than p.
    const ys = Buffer.concat([Buffer.alloc(1), randomOfBits(bits - 1)]).subarray(-p.length);
    const params = Buffer.concat([vec16(p), vec16(Buffer.from([2])), vec16(ys)]);
    return Buffer.concat([params, signed ? signature(version) : Buffer.alloc(0)]);
  }
  if (s.kex === 'ECDHE' || s.kex === 'ECDH_anon') {
    const params = Buffer.concat([Buffer.from([3]), u16(0x001d), Buffer.from([32]), x25519PublicKey()]);
    return Buffer.concat([params, signed ? signature(version) : Buffer.alloc(0)]);
  }
  if (s.kex === 'RSA' && s.export) {
    // Temporary 512-bit RSA key of export suites.
    const params = Buffer.concat([vec16(randomOfBits(512)), vec16(Buffer.from([1, 0, 1]))]);
    return Buffer.concat([params, signature(version)]);
  }
  return undefined;
}

/** The version a real server would pick (RFC 8446 §4.2.1 when it knows TLS 1.3, legacy_version otherwise). */
function chooseVersion(hello: TlsClientHello, versions: ReadonlySet<TlsVersionId>): TlsVersionId | undefined {
  const offered = new Set<TlsVersionId>();
  if (versions.has('tls1.3') && hello.supportedVersions !== undefined) {
    for (const w of hello.supportedVersions) {
      const v = versionFromWire(w);
      if (v !== undefined && v !== 'ssl2') offered.add(v);
    }
  } else {
    for (const v of TLS_VERSIONS) {
      if (v !== 'ssl2' && v !== 'tls1.3' && TLS_VERSION_WIRE[v] <= hello.clientVersion) offered.add(v);
    }
  }
  const common = [...offered].filter((v) => versions.has(v)).sort((a, b) => rank(b) - rank(a));
  return common[0];
}

function tls13Answer(hello: TlsClientHello, suite: number): Buffer {
  const share = hello.keyShares?.find((k) => k.group === 0x001d && k.key.length === 32);
  const retry = share === undefined;
  const keyShare = retry ? u16(0x001d) : Buffer.concat([u16(0x001d), vec16(x25519PublicKey())]);
  // key_share, then supported_versions: the order of the ServerHello of RFC 8448 §3.
  const exts = Buffer.concat([u16(51), vec16(keyShare), u16(43), vec16(u16(0x0304))]);
  const body = Buffer.concat([
    u16(0x0303),
    retry ? HELLO_RETRY_REQUEST_RANDOM : randomBytes(32),
    Buffer.from([hello.sessionId.length]),
    hello.sessionId,
    u16(suite),
    Buffer.from([0]),
    vec16(exts),
  ]);
  // ServerHello, then the middlebox-compatibility ChangeCipherSpec (RFC 8446 D.4).
  return Buffer.concat([records(22, 0x0303, handshake(2, body)), records(20, 0x0303, Buffer.from([1]))]);
}

function tlsAnswer(
  hello: TlsClientHello,
  opts: LegacyTlsServerOptions,
  versions: ReadonlySet<TlsVersionId>,
): Buffer {
  const alertVersion = Math.min(Math.max(hello.recordVersion, 0x0300), 0x0303);
  const version = chooseVersion(hello, versions);
  if (version === undefined) return alert(alertVersion, ALERT.protocolVersion);
  const offered = new Set(hello.cipherSuites);
  const suite = opts.suites.find((c) => c <= 0xffff && offered.has(c) && suiteAllowedIn(c, version));
  if (suite === undefined) return alert(alertVersion, ALERT.handshakeFailure);
  if (version === 'tls1.3') {
    if (!hello.keyShares?.some((k) => k.group === 0x001d) && !hello.supportedGroups?.includes(0x001d)) {
      return alert(alertVersion, ALERT.handshakeFailure);
    }
    return tls13Answer(hello, suite);
  }

  const wire = TLS_VERSION_WIRE[version];
  const wantsRenegotiationInfo =
    offered.has(TLS_EMPTY_RENEGOTIATION_INFO_SCSV) || hello.extensions.some((e) => e.type === 0xff01);
  const extensions =
    version !== 'ssl3' && wantsRenegotiationInfo
      ? vec16(Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]))
      : Buffer.alloc(0);
  const sessionId = randomBytes(32);
  const serverHello = Buffer.concat([
    u16(wire),
    randomBytes(32),
    Buffer.from([sessionId.length]),
    sessionId,
    u16(suite),
    Buffer.from([0]),
    extensions,
  ]);
  const messages = [handshake(2, serverHello)];
  const info = suiteByCode(suite);
  const certificates = opts.certificates ?? [];
  const sendsCertificate = !(info?.anon ?? false) && info?.auth !== 'PSK' && certificates.length > 0;
  if (sendsCertificate) messages.push(handshake(11, vec24(Buffer.concat(certificates.map(vec24)))));
  const ske = serverKeyExchange(suite, version, opts.dhPrimeBits);
  if (ske !== undefined) messages.push(handshake(12, ske));
  messages.push(handshake(14, Buffer.alloc(0)));
  return records(22, wire, Buffer.concat(messages));
}

function ssl2Answer(hello: Ssl2ClientHello, opts: LegacyTlsServerOptions): Buffer {
  const offered = new Set(hello.cipherSpecs);
  const common = opts.suites.filter((c) => c > 0xffff && offered.has(c));
  if (common.length === 0) return Buffer.from([0x80, 0x03, 0x00, 0x00, 0x01]); // ERROR: NO-CIPHER
  const cert = opts.certificates?.[0] ?? Buffer.alloc(0);
  const specs = Buffer.concat(common.map(u24));
  const connectionId = randomBytes(16);
  const msg = Buffer.concat([
    Buffer.from([4, 0, cert.length > 0 ? 1 : 0]), // SERVER-HELLO, no session hit, X.509
    u16(0x0002),
    u16(cert.length),
    u16(specs.length),
    u16(connectionId.length),
    cert,
    specs,
    connectionId,
  ]);
  return Buffer.concat([u16(0x8000 | msg.length), msg]);
}

/** The answer to a complete ClientHello, or undefined to just close (as modern servers do with SSLv2). */
function answer(
  raw: Buffer,
  opts: LegacyTlsServerOptions,
  versions: ReadonlySet<TlsVersionId>,
): Buffer | 'wait' | undefined {
  const parsed = parseClientHello(raw);
  if (parsed.state === 'need-more') return 'wait';
  if (parsed.state === 'invalid') return alert(0x0301, ALERT.decodeError);
  const hello = parsed.hello;
  if (hello.format === 'tls') return tlsAnswer(hello, opts, versions);
  if (hello.clientVersion === 0x0002) return versions.has('ssl2') ? ssl2Answer(hello, opts) : undefined;
  // SSLv2-compatible hello of a TLS client: TLS suites are the specs whose first byte is 0.
  const compat: TlsClientHello = {
    format: 'tls',
    recordVersion: 0x0300,
    clientVersion: hello.clientVersion,
    random: hello.challenge,
    sessionId: Buffer.alloc(0),
    cipherSuites: hello.cipherSpecs.filter((c) => c <= 0xffff),
    compressionMethods: [0],
    extensions: [],
  };
  return tlsAnswer(compat, opts, versions);
}

function flood(socket: net.Socket): void {
  // Endless harmless handshake messages (HelloRequest), so a reader must give up on size.
  const chunk = records(22, 0x0303, Buffer.alloc(MAX_RECORD_PAYLOAD));
  let sent = 0;
  const pump = (): void => {
    while (sent < FLOOD_BYTES && !socket.destroyed) {
      sent += chunk.length;
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
    if (!socket.destroyed) socket.end();
  };
  pump();
}

function garbage(): Buffer {
  const b = randomBytes(1024);
  b[0] = (b[0] ?? 0) % 0x14; // never a TLS content type nor an SSLv2 header
  return b;
}

function serve(socket: net.Socket, opts: LegacyTlsServerOptions, versions: ReadonlySet<TlsVersionId>): void {
  const behaviour = opts.behaviour ?? 'normal';
  socket.on('error', () => undefined);
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  if (behaviour === 'reset') {
    socket.resetAndDestroy();
    return;
  }
  let buffered = Buffer.alloc(0);
  let answered = false;
  socket.on('data', (chunk: Buffer) => {
    if (answered || behaviour === 'silent') return;
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > 128 * 1024) {
      socket.destroy();
      return;
    }
    switch (behaviour) {
      case 'garbage':
        answered = true;
        socket.end(garbage());
        return;
      case 'flood':
        answered = true;
        flood(socket);
        return;
      case 'http':
        answered = true;
        socket.end(HTTP_400);
        return;
      case 'normal': {
        const reply = answer(buffered, opts, versions);
        if (reply === 'wait') return;
        answered = true;
        if (reply === undefined) socket.end();
        else socket.write(reply);
        return;
      }
    }
  });
}

/** Starts the server on `host` (default 127.0.0.1), on `port` or one chosen by the system. */
export async function startLegacyTlsServer(opts: LegacyTlsServerOptions): Promise<LegacyTlsServer> {
  const host = opts.host ?? '127.0.0.1';
  const versions: ReadonlySet<TlsVersionId> = new Set(opts.versions);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, opts, versions);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: opts.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
