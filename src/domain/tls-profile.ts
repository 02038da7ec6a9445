import type { TlsVersionId } from './tls.js';

/**
 * The rules of a TLS policy profile (checks/profiles/*.yaml). Every rule is optional: a profile
 * says only what its source says. Suites and groups are IANA / vigie names.
 */
export interface TlsProfileRules {
  /** Versions allowed; any other version negotiated is a violation. */
  versions: TlsVersionId[];
  /** Suites allowed (any version); an accepted suite outside `suites` and `degradedSuites` is a violation. */
  suites: string[];
  /** Suites tolerated by the source (ANSSI's « dégradé »): conformant, but reported as notes. */
  degradedSuites?: string[];
  /** Every accepted suite before TLS 1.3 uses an ephemeral (EC)DHE key exchange. */
  forwardSecrecy?: boolean;
  /** Key-exchange groups allowed. */
  groups?: string[];
  /** Smallest finite-field DH prime allowed, in bits. */
  minDhBits?: number;
  /** Certificate key types allowed: 'rsa', 'ec' (vigie's names of the leaf key). */
  certificateTypes?: string[];
  minRsaBits?: number;
  minEcBits?: number;
  /** Curves allowed for an EC certificate key (OpenSSL names, e.g. prime256v1). */
  certificateCurves?: string[];
  /** Signature algorithms allowed on the leaf certificate (names as vigie reads them, e.g. sha256WithRSAEncryption). */
  signatureAlgorithms?: string[];
  /** Digests allowed in the leaf certificate's signature. */
  signatureHashes?: string[];
  /** Longest validity period of the leaf certificate, in days. */
  maxCertificateLifespanDays?: number;
  /** Smallest HSTS max-age (web endpoints only), in seconds. */
  hstsMinAge?: number;
  /** The server staples OCSP responses. */
  ocspStapling?: boolean;
  /** The server refuses TLS compression. */
  noCompression?: boolean;
  /** The server supports secure renegotiation (RFC 5746) when it speaks TLS ≤ 1.2. */
  secureRenegotiation?: boolean;
}

export const TLS_PROFILE_RULE_IDS = [
  'versions',
  'suites',
  'forward-secrecy',
  'groups',
  'dh-size',
  'certificate-type',
  'certificate-key-size',
  'certificate-curve',
  'signature-algorithm',
  'certificate-lifespan',
  'hsts',
  'ocsp-stapling',
  'compression',
  'secure-renegotiation',
] as const;
export type TlsProfileRuleId = (typeof TLS_PROFILE_RULE_IDS)[number];

export interface TlsProfile {
  /** Name, e.g. `mozilla-intermediate`. */
  id: string;
  /** Version of the source, e.g. `5.8`. */
  version: string;
  title: { fr: string; en: string };
  source: { name: string; url: string; published?: string };
  rules: TlsProfileRules;
}

/** What the evaluator reads: facts of one endpoint; null is « not observed », never « no ». */
export interface TlsProfileObservation {
  /** Versions negotiated; null when TLS could not be observed. */
  versions: TlsVersionId[] | null;
  /** Suites accepted (all versions); null when not enumerated. */
  suites: string[] | null;
  /** The suite list is complete (the enumeration was not cut short). */
  suitesComplete: boolean;
  /** Groups accepted; null when not enumerated. */
  groups: string[] | null;
  groupsComplete: boolean;
  /** Smallest DH prime seen (bits); null when no finite-field DHE was accepted or seen. */
  dhBits: number | null;
  /** A finite-field DHE suite was seen accepted or refused; false when that is unknown. */
  dhObserved: boolean;
  certificate: {
    keyType: string;
    keyBits: number;
    curve?: string;
    signatureAlgorithm: string;
    signatureHash?: string;
    notBefore: string;
    notAfter: string;
  } | null;
  /** A web (HTTPS) endpoint: HSTS applies. */
  web: boolean;
  /** HSTS max-age of the page (0 without valid HSTS); null when the page was not read. */
  hstsMaxAge: number | null;
  ocspStapling: boolean | null;
  compression: boolean | null;
  secureRenegotiation: boolean | null;
}

export interface TlsProfileViolation {
  rule: TlsProfileRuleId;
  /** What was observed, short and literal (names, numbers). */
  observed: string;
}

/** Per endpoint and profile: `conformant` null when some rule could not be evaluated and none failed. */
export interface TlsProfileResult {
  profile: string;
  version: string;
  conformant: boolean | null;
  violations: TlsProfileViolation[];
  /** Rules that could not be evaluated (not observed). */
  notEvaluated: TlsProfileRuleId[];
  /** Degraded but tolerated suites accepted. */
  degraded: string[];
}
