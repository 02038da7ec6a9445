import type { ErrorReason, Outcome } from './outcome.js';

/** Protocol versions, oldest first. */
export const TLS_VERSIONS = ['ssl2', 'ssl3', 'tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'] as const;
export type TlsVersionId = (typeof TLS_VERSIONS)[number];

export const TLS_VERSION_LABEL: Record<TlsVersionId, string> = {
  ssl2: 'SSLv2',
  ssl3: 'SSLv3',
  'tls1.0': 'TLS 1.0',
  'tls1.1': 'TLS 1.1',
  'tls1.2': 'TLS 1.2',
  'tls1.3': 'TLS 1.3',
};

/**
 * Families of cipher suites probed one by one: the client offers only the suites of the family
 * and the ServerHello tells whether the server accepts one.
 */
export const SUITE_CLASSES = ['null', 'anon', 'export', 'rc4', '3des', 'static-rsa', 'aead', 'dhe'] as const;
export type SuiteClass = (typeof SUITE_CLASSES)[number];

/** What the server's answer to a ClientHello says: the ServerHello, and what of its flight was read. */
export interface ServerHelloAnswer {
  /** The version the server actually negotiated (not the one offered). */
  version: TlsVersionId;
  suite: number;
  /** Certificates (DER) of the Certificate message, when it was read (TLS ≤ 1.2, SSLv2/3). */
  certificates?: Buffer[];
  /** Size in bits of the DHE prime in ServerKeyExchange, when a DHE suite was chosen and read. */
  dhPrimeBits?: number;
  /** Compression method chosen (0: none). */
  compression?: number;
  /** Extension types of the ServerHello (or HelloRetryRequest), in order. */
  extensions?: number[];
  /**
   * Key-exchange group: the one a TLS 1.3 ServerHello's key_share carries or a HelloRetryRequest
   * asks for, or the named curve of a TLS ≤ 1.2 ECDHE ServerKeyExchange.
   */
  group?: number;
  /** The answer was a TLS 1.3 HelloRetryRequest (the server asks for a share of `group`). */
  helloRetry?: boolean;
}

/** Result of sending one hand-built ClientHello. */
export type HelloResult =
  | ({ kind: 'accepted'; suiteName: string } & ServerHelloAnswer)
  /** The server refused: a handshake alert, or it closed the connection after our hello. */
  | { kind: 'rejected'; detail: string }
  | { kind: 'error'; reason: ErrorReason; detail: string };

/** What the server negotiated when offered a given suite family. */
export type SuiteClassResult =
  | { kind: 'accepted'; version: TlsVersionId; suite: number; suiteName: string; dhPrimeBits?: number }
  | { kind: 'rejected' }
  | { kind: 'not-applicable'; because: string }
  | { kind: 'error'; reason: ErrorReason; detail: string };

export interface CertFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  subjectAltNames: string[];
  keyType: string; // 'rsa' | 'ec' | 'ed25519' | 'dsa' | …
  keyBits: number;
  curve?: string;
  /** Signature algorithm name, e.g. 'sha256WithRSAEncryption', or the OID when unknown. */
  signatureAlgorithm: string;
  /** Digest of the signature, when it can be told: 'md5' | 'sha1' | 'sha256' | … */
  signatureHash?: string;
  selfIssued: boolean;
  isCa: boolean;
  fingerprint256: string;
}

export type TrustStatus = 'trusted' | 'self-signed' | 'untrusted';

export interface CertObservation {
  /** Certificates as the server sent them, leaf first. */
  chain: CertFacts[];
  /** Name checked against the leaf (host name or IP address). */
  checkedName: string;
  nameMatches: boolean;
  trust: {
    status: TrustStatus;
    /** Subject of the trust anchor the path ends on, when trusted. */
    anchor?: string;
    detail: string;
  };
  /** The server did not send an intermediate needed to reach the anchor (issuer name of the missing link). */
  missingIssuer?: string;
}

/**
 * What the bounded enumeration saw (suites accepted per version, preference order, groups,
 * compression, renegotiation, stapling). `null` everywhere means « not observed », never « no ».
 */
export interface TlsEnumeration {
  /** Handshakes spent on the enumeration (on top of the version and family probes). */
  handshakes: number;
  /** The handshake budget or the time bound ran out: the lists may be incomplete. */
  truncated: boolean;
  /** Per version negotiated: the suites accepted (IANA names), in the order the server picked them. */
  versions: Partial<Record<TlsVersionId, { suites: string[]; serverOrder: boolean | null }>>;
  /** Key-exchange groups accepted (names), in the order the server picked them; null when not enumerated. */
  groups: string[] | null;
  /** The version the groups were enumerated at. */
  groupsVersion?: TlsVersionId;
  /** A hybrid post-quantum group (X25519MLKEM768 …) is accepted; null when not observed. */
  postQuantum: boolean | null;
  /** The server accepted DEFLATE compression; null when not observed. */
  compression: boolean | null;
  /** The server answered the renegotiation_info extension (RFC 5746); null when not observed (TLS 1.3 only). */
  secureRenegotiation: boolean | null;
  /** The server acknowledged status_request (it staples OCSP) in TLS ≤ 1.2; null when not observed. */
  ocspStapling: boolean | null;
}

export interface TlsObservation {
  /** Per protocol: did the server negotiate exactly this version when it was the client's maximum? */
  protocols: Record<TlsVersionId, HelloResult>;
  suites: Record<SuiteClass, SuiteClassResult>;
  certificate: Outcome<CertObservation>;
  /** The bounded enumeration; absent when it was not run. */
  enumeration?: TlsEnumeration;
}
