import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { TlsVersionId } from '../../domain/tls.js';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from '../../domain/cipher-suites.js';
import { u8, u16, u24, vec8, vec16 } from './wire-bytes.js';
import { GROUP } from '../../domain/key-exchange-groups.js';

/** Wire value of each protocol version (SSLv2 uses 0x0002 in its own record format). */
export const TLS_VERSION_WIRE: Readonly<Record<TlsVersionId, number>> = {
  ssl2: 0x0002,
  ssl3: 0x0300,
  'tls1.0': 0x0301,
  'tls1.1': 0x0302,
  'tls1.2': 0x0303,
  'tls1.3': 0x0304,
};

/** Version named by a wire value; TLS 1.3 drafts (0x7fNN) count as TLS 1.3. */
export function versionFromWire(wire: number): TlsVersionId | undefined {
  switch (wire) {
    case 0x0002:
      return 'ssl2';
    case 0x0300:
      return 'ssl3';
    case 0x0301:
      return 'tls1.0';
    case 0x0302:
      return 'tls1.1';
    case 0x0303:
      return 'tls1.2';
    case 0x0304:
      return 'tls1.3';
    default:
      return wire >> 8 === 0x7f ? 'tls1.3' : undefined;
  }
}

export const CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
export const HANDSHAKE_TYPE = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateStatus: 22,
} as const;
export const EXTENSION_TYPE = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  statusRequest: 5,
  signatureAlgorithms: 13,
  padding: 21,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

export { GROUP, HYBRID_GROUPS, groupName, type GroupName } from '../../domain/key-exchange-groups.js';

const SUPPORTED_GROUPS = [
  GROUP.x25519,
  GROUP.secp256r1,
  GROUP.secp384r1,
  GROUP.secp521r1,
  GROUP.ffdhe2048,
  GROUP.ffdhe3072,
];

/** Broad on purpose, down to SHA-1 and MD5, so that old servers find something they can sign with. */
const SIGNATURE_ALGORITHMS = [
  0x0403, // ecdsa_secp256r1_sha256
  0x0503, // ecdsa_secp384r1_sha384
  0x0603, // ecdsa_secp521r1_sha512
  0x0807, // ed25519
  0x0808, // ed448
  0x0804, // rsa_pss_rsae_sha256
  0x0805, // rsa_pss_rsae_sha384
  0x0806, // rsa_pss_rsae_sha512
  0x0809, // rsa_pss_pss_sha256
  0x080a, // rsa_pss_pss_sha384
  0x080b, // rsa_pss_pss_sha512
  0x0401, // rsa_pkcs1_sha256
  0x0501, // rsa_pkcs1_sha384
  0x0601, // rsa_pkcs1_sha512
  0x0303, // ecdsa_sha224
  0x0301, // rsa_sha224
  0x0402, // dsa_sha256
  0x0502, // dsa_sha384
  0x0602, // dsa_sha512
  0x0302, // dsa_sha224
  0x0203, // ecdsa_sha1
  0x0201, // rsa_pkcs1_sha1
  0x0202, // dsa_sha1
  0x0101, // rsa_md5
];

export interface ClientHelloOptions {
  version: TlsVersionId;
  /** Suites to offer (2-byte codes), or SSLv2 cipher specs (3-byte codes) when version is 'ssl2'. */
  suites: readonly number[];
  /** Host name for SNI; ignored for IP literals. */
  serverName?: string;
  /** supported_groups to offer instead of the default list (TLS only). */
  groups?: readonly number[];
  /**
   * TLS 1.3 key shares: 'x25519' (the default) sends one, 'none' sends an empty list, so that a
   * server that accepts one of `groups` must name it in a HelloRetryRequest.
   */
  keyShares?: 'x25519' | 'none';
  /** Compression methods to offer (default: null only). */
  compression?: readonly number[];
  /** Send an empty status_request (OCSP stapling) extension. */
  statusRequest?: boolean;
}

function u16List(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(data)]);
}

/** An x25519 public key (raw 32 bytes): the tail of its SPKI DER encoding. */
function x25519PublicKey(): Buffer {
  const { publicKey } = generateKeyPairSync('x25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** SNI host name: ASCII (punycode), without trailing dot; undefined for IP literals and empty names. */
function sniName(serverName: string | undefined): string | undefined {
  if (serverName === undefined) return undefined;
  const bare = serverName.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (bare === '' || isIP(bare) !== 0) return undefined;
  const ascii = domainToASCII(bare);
  if (ascii === '' || ascii.length > 255) return undefined;
  return ascii;
}

function serverNameExtension(name: string): Buffer {
  const entry = Buffer.concat([u8(0), vec16(Buffer.from(name, 'ascii'))]); // host_name(0)
  return extension(EXTENSION_TYPE.serverName, vec16(entry));
}

function tlsExtensions(opts: ClientHelloOptions): Buffer[] {
  const { version } = opts;
  const exts: Buffer[] = [];
  const sni = sniName(opts.serverName);
  if (sni !== undefined) exts.push(serverNameExtension(sni));
  const groups = (opts.groups ?? SUPPORTED_GROUPS).filter(
    (g) => Number.isInteger(g) && g >= 0 && g <= 0xffff,
  );
  exts.push(extension(EXTENSION_TYPE.supportedGroups, vec16(u16List(groups.slice(0, 64)))));
  if (opts.statusRequest === true) {
    // status_type ocsp(1), empty responder_id_list and request_extensions (RFC 6066 §8).
    exts.push(extension(EXTENSION_TYPE.statusRequest, Buffer.from([1, 0, 0, 0, 0])));
  }
  exts.push(extension(EXTENSION_TYPE.ecPointFormats, vec8(Buffer.from([0])))); // uncompressed
  // RFC 5246 §7.4.1.4.1: not meaningful before TLS 1.2, and clients offering older versions must not send it.
  if (version === 'tls1.2' || version === 'tls1.3') {
    exts.push(extension(EXTENSION_TYPE.signatureAlgorithms, vec16(u16List(SIGNATURE_ALGORITHMS))));
  }
  exts.push(extension(EXTENSION_TYPE.renegotiationInfo, vec8(Buffer.alloc(0))));
  if (version === 'tls1.3') {
    exts.push(extension(EXTENSION_TYPE.supportedVersions, vec8(u16(TLS_VERSION_WIRE['tls1.3']))));
    exts.push(extension(EXTENSION_TYPE.pskKeyExchangeModes, vec8(Buffer.from([1])))); // psk_dhe_ke
    const share =
      opts.keyShares === 'none'
        ? Buffer.alloc(0)
        : Buffer.concat([u16(GROUP.x25519), vec16(x25519PublicKey())]);
    exts.push(extension(EXTENSION_TYPE.keyShare, vec16(share)));
  }
  return exts;
}

/** Compression methods offered: null only unless told, and null always last. */
function compressionMethods(methods: readonly number[] | undefined): Buffer {
  const list = (methods ?? []).filter((m) => Number.isInteger(m) && m > 0 && m <= 0xff).slice(0, 16);
  return Buffer.from([...new Set(list), 0]);
}

function record(contentType: number, recordVersion: number, fragment: Buffer): Buffer {
  return Buffer.concat([u8(contentType), u16(recordVersion), vec16(fragment)]);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([u8(type), u24(body.length), body]);
}

function buildTlsClientHello(opts: ClientHelloOptions): Buffer {
  const legacyVersion = Math.min(TLS_VERSION_WIRE[opts.version], TLS_VERSION_WIRE['tls1.2']);
  const recordVersion = opts.version === 'ssl3' ? 0x0300 : 0x0301;
  const suites = [...new Set(opts.suites.filter((c) => Number.isInteger(c) && c >= 0 && c <= 0xffff))];
  if (!suites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) suites.push(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  // A random 32-byte legacy session id makes TLS 1.3 middleboxes see a resumption-looking hello (RFC 8446 D.4).
  const sessionId = opts.version === 'tls1.3' ? randomBytes(32) : Buffer.alloc(0);
  const fixed = Buffer.concat([
    u16(legacyVersion),
    randomBytes(32),
    vec8(sessionId),
    vec16(u16List(suites.slice(0, 0x7fff))),
    vec8(compressionMethods(opts.compression)),
  ]);
  if (opts.version === 'ssl3') return record(CONTENT_TYPE.handshake, recordVersion, handshake(1, fixed));

  const exts = tlsExtensions(opts);
  // Some TLS terminators hang on hellos of 256–511 bytes: pad such hellos to 512 (RFC 7685).
  const unpadded = 4 + fixed.length + 2 + exts.reduce((n, e) => n + e.length, 0);
  if (unpadded >= 256 && unpadded < 512) {
    exts.push(extension(EXTENSION_TYPE.padding, Buffer.alloc(Math.max(0, 512 - unpadded - 4))));
  }
  const body = Buffer.concat([fixed, vec16(Buffer.concat(exts))]);
  return record(CONTENT_TYPE.handshake, recordVersion, handshake(HANDSHAKE_TYPE.clientHello, body));
}

/** SSLv2 CLIENT-HELLO in a 2-byte-header record (SSL 2.0 draft, appendix). */
function buildSsl2ClientHello(opts: ClientHelloOptions): Buffer {
  const specs = [...new Set(opts.suites.filter((c) => Number.isInteger(c) && c >= 0 && c <= 0xffffff))];
  const specBytes = Buffer.concat(specs.slice(0, 1000).map(u24));
  const challenge = randomBytes(16);
  const msg = Buffer.concat([
    u8(1), // MSG-CLIENT-HELLO
    u16(TLS_VERSION_WIRE.ssl2),
    u16(specBytes.length),
    u16(0), // session id length
    u16(challenge.length),
    specBytes,
    challenge,
  ]);
  return Buffer.concat([u16(0x8000 | msg.length), msg]);
}

/**
 * A complete ClientHello record offering exactly `suites` at `version` (plus the renegotiation SCSV
 * for TLS). Versions below TLS 1.3 carry no supported_versions extension, so a server sees a client
 * capped at that version; SSLv3 hellos carry no extension at all.
 */
export function buildClientHello(opts: ClientHelloOptions): Buffer {
  return opts.version === 'ssl2' ? buildSsl2ClientHello(opts) : buildTlsClientHello(opts);
}
