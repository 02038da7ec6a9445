import type { SuiteClass, TlsVersionId } from './tls.js';
import { TLS_VERSIONS } from './tls.js';

/**
 * IANA cipher suites (TLS registry), with the attributes a scanner needs to classify them.
 *
 * Attributes are derived from the IANA name (`TLS_<kex>_<auth>[_EXPORT]_WITH_<enc>_<mac>`), so the
 * table below only lists code and name: one source of truth, no hand-typed columns to drift.
 */

export type KeyExchange =
  | 'NULL'
  | 'RSA'
  | 'DH'
  | 'DHE'
  | 'ECDH'
  | 'ECDHE'
  | 'DH_anon'
  | 'ECDH_anon'
  | 'PSK'
  | 'DHE_PSK'
  | 'RSA_PSK'
  | 'ECDHE_PSK'
  | 'SRP'
  | 'KRB5'
  | 'GOST'
  | 'TLS13';

export type Authentication =
  'NULL' | 'RSA' | 'DSS' | 'ECDSA' | 'anon' | 'PSK' | 'SRP' | 'KRB5' | 'GOST' | 'TLS13';

export type MacAlgorithm = 'NULL' | 'MD5' | 'SHA' | 'SHA256' | 'SHA384' | 'AEAD' | 'GOST';

/** Effective key strength in bits of each bulk cipher (3DES counts 112, as SSL Labs does). */
const ENC_BITS = {
  NULL: 0,
  RC4_40: 40,
  RC4_56: 56,
  RC4_128: 128,
  RC2_CBC_40: 40,
  RC2_CBC_56: 56,
  DES40_CBC: 40,
  DES_CBC_40: 40,
  DES_CBC: 56,
  '3DES_EDE_CBC': 112,
  IDEA_CBC: 128,
  SEED_CBC: 128,
  AES_128_CBC: 128,
  AES_256_CBC: 256,
  AES_128_GCM: 128,
  AES_256_GCM: 256,
  AES_128_CCM: 128,
  AES_256_CCM: 256,
  AES_128_CCM_8: 128,
  AES_256_CCM_8: 256,
  CAMELLIA_128_CBC: 128,
  CAMELLIA_256_CBC: 256,
  CAMELLIA_128_GCM: 128,
  CAMELLIA_256_GCM: 256,
  ARIA_128_CBC: 128,
  ARIA_256_CBC: 256,
  ARIA_128_GCM: 128,
  ARIA_256_GCM: 256,
  CHACHA20_POLY1305: 256,
  '28147_CNT': 256,
} as const;

export type BulkCipher = keyof typeof ENC_BITS;

export interface CipherSuite {
  code: number;
  /** IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  name: string;
  kex: KeyExchange;
  auth: Authentication;
  enc: BulkCipher;
  mac: MacAlgorithm;
  /** Effective symmetric key bits. */
  bits: number;
  /** Oldest protocol version the suite may be negotiated with. */
  minVersion: TlsVersionId;
  export: boolean;
  aead: boolean;
  cbc: boolean;
  null: boolean;
  anon: boolean;
  forwardSecrecy: boolean;
}

/** Code and IANA name of each suite. Order: by code. */
const SUITE_NAMES: readonly (readonly [number, string])[] = [
  [0x0001, 'TLS_RSA_WITH_NULL_MD5'],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA'],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA'],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x000b, 'TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000c, 'TLS_DH_DSS_WITH_DES_CBC_SHA'],
  [0x000d, 'TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x000e, 'TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000f, 'TLS_DH_RSA_WITH_DES_CBC_SHA'],
  [0x0010, 'TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0017, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5'],
  [0x0019, 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  [0x001a, 'TLS_DH_anon_WITH_DES_CBC_SHA'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0x001e, 'TLS_KRB5_WITH_DES_CBC_SHA'],
  [0x001f, 'TLS_KRB5_WITH_3DES_EDE_CBC_SHA'],
  [0x0020, 'TLS_KRB5_WITH_RC4_128_SHA'],
  [0x0021, 'TLS_KRB5_WITH_IDEA_CBC_SHA'],
  [0x0022, 'TLS_KRB5_WITH_DES_CBC_MD5'],
  [0x0023, 'TLS_KRB5_WITH_3DES_EDE_CBC_MD5'],
  [0x0024, 'TLS_KRB5_WITH_RC4_128_MD5'],
  [0x0025, 'TLS_KRB5_WITH_IDEA_CBC_MD5'],
  [0x0026, 'TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA'],
  [0x0027, 'TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA'],
  [0x0028, 'TLS_KRB5_EXPORT_WITH_RC4_40_SHA'],
  [0x0029, 'TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5'],
  [0x002a, 'TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x002b, 'TLS_KRB5_EXPORT_WITH_RC4_40_MD5'],
  [0x002c, 'TLS_PSK_WITH_NULL_SHA'],
  [0x002d, 'TLS_DHE_PSK_WITH_NULL_SHA'],
  [0x002e, 'TLS_RSA_PSK_WITH_NULL_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0030, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA'],
  [0x0031, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA'],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0036, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA'],
  [0x0037, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA'],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x003b, 'TLS_RSA_WITH_NULL_SHA256'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x003e, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA256'],
  [0x003f, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0040, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0042, 'TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0043, 'TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA'],
  // Draft "EXPORT1024" suites (56-bit), still met on old servers.
  [0x0060, 'TLS_RSA_EXPORT1024_WITH_RC4_56_MD5'],
  [0x0061, 'TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5'],
  [0x0062, 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA'],
  [0x0063, 'TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA'],
  [0x0064, 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA'],
  [0x0065, 'TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA'],
  [0x0066, 'TLS_DHE_DSS_WITH_RC4_128_SHA'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0068, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA256'],
  [0x0069, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006a, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  [0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  [0x0080, 'TLS_GOSTR341094_WITH_28147_CNT_IMIT'],
  [0x0081, 'TLS_GOSTR341001_WITH_28147_CNT_IMIT'],
  [0x0082, 'TLS_GOSTR341094_WITH_NULL_GOSTR3411'],
  [0x0083, 'TLS_GOSTR341001_WITH_NULL_GOSTR3411'],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0085, 'TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0086, 'TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA'],
  [0x008a, 'TLS_PSK_WITH_RC4_128_SHA'],
  [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA'],
  [0x008d, 'TLS_PSK_WITH_AES_256_CBC_SHA'],
  [0x008e, 'TLS_DHE_PSK_WITH_RC4_128_SHA'],
  [0x008f, 'TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x0090, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA'],
  [0x0091, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA'],
  [0x0092, 'TLS_RSA_PSK_WITH_RC4_128_SHA'],
  [0x0093, 'TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x0094, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA'],
  [0x0095, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA'],
  [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA'],
  [0x0097, 'TLS_DH_DSS_WITH_SEED_CBC_SHA'],
  [0x0098, 'TLS_DH_RSA_WITH_SEED_CBC_SHA'],
  [0x0099, 'TLS_DHE_DSS_WITH_SEED_CBC_SHA'],
  [0x009a, 'TLS_DHE_RSA_WITH_SEED_CBC_SHA'],
  [0x009b, 'TLS_DH_anon_WITH_SEED_CBC_SHA'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a0, 'TLS_DH_RSA_WITH_AES_128_GCM_SHA256'],
  [0x00a1, 'TLS_DH_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a2, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'],
  [0x00a3, 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384'],
  [0x00a4, 'TLS_DH_DSS_WITH_AES_128_GCM_SHA256'],
  [0x00a5, 'TLS_DH_DSS_WITH_AES_256_GCM_SHA384'],
  [0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256'],
  [0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384'],
  [0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00aa, 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00ab, 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ac, 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00ad, 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ae, 'TLS_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00af, 'TLS_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b0, 'TLS_PSK_WITH_NULL_SHA256'],
  [0x00b1, 'TLS_PSK_WITH_NULL_SHA384'],
  [0x00b2, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00b3, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b4, 'TLS_DHE_PSK_WITH_NULL_SHA256'],
  [0x00b5, 'TLS_DHE_PSK_WITH_NULL_SHA384'],
  [0x00b6, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00b7, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b8, 'TLS_RSA_PSK_WITH_NULL_SHA256'],
  [0x00b9, 'TLS_RSA_PSK_WITH_NULL_SHA384'],
  [0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bb, 'TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bc, 'TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bd, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00be, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bf, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c1, 'TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c2, 'TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c3, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c5, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
  [0xc001, 'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc00b, 'TLS_ECDH_RSA_WITH_NULL_SHA'],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA'],
  [0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA'],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  [0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  [0xc01a, 'TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA'],
  [0xc01b, 'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc01c, 'TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0xc01d, 'TLS_SRP_SHA_WITH_AES_128_CBC_SHA'],
  [0xc01e, 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA'],
  [0xc01f, 'TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA'],
  [0xc020, 'TLS_SRP_SHA_WITH_AES_256_CBC_SHA'],
  [0xc021, 'TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA'],
  [0xc022, 'TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc033, 'TLS_ECDHE_PSK_WITH_RC4_128_SHA'],
  [0xc034, 'TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0xc035, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA'],
  [0xc036, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA'],
  [0xc037, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0xc038, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384'],
  [0xc039, 'TLS_ECDHE_PSK_WITH_NULL_SHA'],
  [0xc03a, 'TLS_ECDHE_PSK_WITH_NULL_SHA256'],
  [0xc03b, 'TLS_ECDHE_PSK_WITH_NULL_SHA384'],
  [0xc03c, 'TLS_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc03d, 'TLS_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc03e, 'TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256'],
  [0xc03f, 'TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384'],
  [0xc040, 'TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc041, 'TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc042, 'TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256'],
  [0xc043, 'TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384'],
  [0xc044, 'TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc045, 'TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc046, 'TLS_DH_anon_WITH_ARIA_128_CBC_SHA256'],
  [0xc047, 'TLS_DH_anon_WITH_ARIA_256_CBC_SHA384'],
  [0xc048, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc049, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04a, 'TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04b, 'TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04c, 'TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04d, 'TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04e, 'TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04f, 'TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc050, 'TLS_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc051, 'TLS_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc052, 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc053, 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc054, 'TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc055, 'TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc056, 'TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256'],
  [0xc057, 'TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384'],
  [0xc058, 'TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256'],
  [0xc059, 'TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384'],
  [0xc05a, 'TLS_DH_anon_WITH_ARIA_128_GCM_SHA256'],
  [0xc05b, 'TLS_DH_anon_WITH_ARIA_256_GCM_SHA384'],
  [0xc05c, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc05d, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc05e, 'TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc05f, 'TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc060, 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc061, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc062, 'TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc063, 'TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc064, 'TLS_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc065, 'TLS_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc066, 'TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc067, 'TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc068, 'TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc069, 'TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc06a, 'TLS_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06b, 'TLS_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc06c, 'TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06d, 'TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc06e, 'TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06f, 'TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc070, 'TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc071, 'TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc072, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc073, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc074, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc075, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc076, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc077, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc078, 'TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc079, 'TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc07a, 'TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07b, 'TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc07c, 'TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07d, 'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc07e, 'TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07f, 'TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc080, 'TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc081, 'TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc082, 'TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc083, 'TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc084, 'TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc085, 'TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc086, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc087, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc088, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc089, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08a, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08b, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08c, 'TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08d, 'TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08e, 'TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08f, 'TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc090, 'TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc091, 'TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc092, 'TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc093, 'TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc094, 'TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc095, 'TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc096, 'TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc097, 'TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc098, 'TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc099, 'TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc09a, 'TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc09b, 'TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM'],
  [0xc09d, 'TLS_RSA_WITH_AES_256_CCM'],
  [0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM'],
  [0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM'],
  [0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8'],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8'],
  [0xc0a2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8'],
  [0xc0a3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8'],
  [0xc0a4, 'TLS_PSK_WITH_AES_128_CCM'],
  [0xc0a5, 'TLS_PSK_WITH_AES_256_CCM'],
  [0xc0a6, 'TLS_DHE_PSK_WITH_AES_128_CCM'],
  [0xc0a7, 'TLS_DHE_PSK_WITH_AES_256_CCM'],
  [0xc0a8, 'TLS_PSK_WITH_AES_128_CCM_8'],
  [0xc0a9, 'TLS_PSK_WITH_AES_256_CCM_8'],
  [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
  [0xc0ab, 'TLS_PSK_DHE_WITH_AES_256_CCM_8'],
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  // Pre-standard ChaCha20 code points (draft-agl), still answered by some old builds.
  [0xcc13, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD'],
  [0xcc14, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD'],
  [0xcc15, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccab, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccac, 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccad, 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccae, 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xd001, 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256'],
  [0xd002, 'TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384'],
  [0xd003, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256'],
  [0xd005, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256'],
  // Netscape FIPS suites of SSLv3.
  [0xfefe, 'SSL_RSA_FIPS_WITH_DES_CBC_SHA'],
  [0xfeff, 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA'],
];

/** Signalling values: they go in the suite list but are not suites. */
const SIGNALLING: ReadonlyMap<number, string> = new Map([
  [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
  [0x5600, 'TLS_FALLBACK_SCSV'],
]);

export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

/** Key-exchange part of the name (between `TLS_` and `_WITH_`) → kex, auth, export. */
const KEX_PARTS: Readonly<Record<string, readonly [KeyExchange, Authentication, boolean]>> = {
  NULL: ['NULL', 'NULL', false],
  RSA: ['RSA', 'RSA', false],
  RSA_FIPS: ['RSA', 'RSA', false],
  RSA_EXPORT: ['RSA', 'RSA', true],
  RSA_EXPORT1024: ['RSA', 'RSA', true],
  DH_DSS: ['DH', 'DSS', false],
  DH_DSS_EXPORT: ['DH', 'DSS', true],
  DH_RSA: ['DH', 'RSA', false],
  DH_RSA_EXPORT: ['DH', 'RSA', true],
  DHE_DSS: ['DHE', 'DSS', false],
  DHE_DSS_EXPORT: ['DHE', 'DSS', true],
  DHE_DSS_EXPORT1024: ['DHE', 'DSS', true],
  DHE_RSA: ['DHE', 'RSA', false],
  DHE_RSA_EXPORT: ['DHE', 'RSA', true],
  DH_anon: ['DH_anon', 'anon', false],
  DH_anon_EXPORT: ['DH_anon', 'anon', true],
  KRB5: ['KRB5', 'KRB5', false],
  KRB5_EXPORT: ['KRB5', 'KRB5', true],
  PSK: ['PSK', 'PSK', false],
  DHE_PSK: ['DHE_PSK', 'PSK', false],
  PSK_DHE: ['DHE_PSK', 'PSK', false],
  RSA_PSK: ['RSA_PSK', 'PSK', false],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK', false],
  ECDH_ECDSA: ['ECDH', 'ECDSA', false],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA', false],
  ECDH_RSA: ['ECDH', 'RSA', false],
  ECDHE_RSA: ['ECDHE', 'RSA', false],
  ECDH_anon: ['ECDH_anon', 'anon', false],
  SRP_SHA: ['SRP', 'SRP', false],
  SRP_SHA_RSA: ['SRP', 'RSA', false],
  SRP_SHA_DSS: ['SRP', 'DSS', false],
  GOSTR341094: ['GOST', 'GOST', false],
  GOSTR341001: ['GOST', 'GOST', false],
};

const MAC_SUFFIXES: readonly (readonly [string, MacAlgorithm])[] = [
  ['_SHA256', 'SHA256'],
  ['_SHA384', 'SHA384'],
  ['_SHA', 'SHA'],
  ['_MD5', 'MD5'],
  ['_IMIT', 'GOST'],
  ['_GOSTR3411', 'GOST'],
];

const FORWARD_SECRET_KEX: ReadonlySet<KeyExchange> = new Set([
  'DHE',
  'ECDHE',
  'DH_anon',
  'ECDH_anon',
  'DHE_PSK',
  'ECDHE_PSK',
  'TLS13',
]);

function isBulkCipher(s: string): s is BulkCipher {
  return Object.prototype.hasOwnProperty.call(ENC_BITS, s);
}

/** Derives the attributes of a suite from its IANA name. Throws on a name it cannot read (a table bug). */
function describe(code: number, name: string): CipherSuite {
  let kex: KeyExchange;
  let auth: Authentication;
  let exportable: boolean;
  let encMac: string;
  if (code >= 0x1301 && code <= 0x1305) {
    kex = 'TLS13';
    auth = 'TLS13';
    exportable = false;
    encMac = name.slice('TLS_'.length);
  } else {
    const m = /^(?:TLS|SSL)_(.+?)_WITH_(.+?)(?:_OLD)?$/.exec(name);
    const parts = m?.[1] === undefined ? undefined : KEX_PARTS[m[1]];
    if (m?.[2] === undefined || parts === undefined)
      throw new Error(`cipher suite table: cannot read ${name}`);
    [kex, auth, exportable] = parts;
    encMac = m[2];
  }
  let enc = encMac;
  let mac: MacAlgorithm = 'AEAD';
  for (const [suffix, alg] of MAC_SUFFIXES) {
    if (encMac.endsWith(suffix)) {
      enc = encMac.slice(0, -suffix.length);
      mac = alg;
      break;
    }
  }
  const aead = /GCM|CCM|POLY1305/.test(enc);
  // For AEAD suites the trailing hash names the PRF, not a MAC.
  if (aead) mac = 'AEAD';
  if (!isBulkCipher(enc)) throw new Error(`cipher suite table: unknown cipher in ${name}`);
  const isNull = enc === 'NULL';
  const minVersion: TlsVersionId =
    kex === 'TLS13' ? 'tls1.3' : aead || mac === 'SHA256' || mac === 'SHA384' ? 'tls1.2' : 'ssl3';
  return {
    code,
    name,
    kex,
    auth,
    enc,
    mac: isNull && mac === 'AEAD' ? 'NULL' : mac,
    bits: ENC_BITS[enc],
    minVersion,
    export: exportable,
    aead,
    cbc: enc.includes('CBC'),
    null: isNull,
    anon: auth === 'anon',
    forwardSecrecy: FORWARD_SECRET_KEX.has(kex),
  };
}

/** Every known TLS cipher suite, by code. */
export const CIPHER_SUITES: readonly CipherSuite[] = SUITE_NAMES.map(([code, name]) => describe(code, name));

const BY_CODE: ReadonlyMap<number, CipherSuite> = new Map(CIPHER_SUITES.map((s) => [s.code, s]));

/** SSLv2 cipher specs (3-byte codes), from the SSL 2.0 draft. */
export interface Ssl2CipherSpec {
  code: number;
  name: string;
  enc: string;
  bits: number;
  export: boolean;
}

export const SSL2_CIPHER_SPECS: readonly Ssl2CipherSpec[] = [
  { code: 0x010080, name: 'SSL_CK_RC4_128_WITH_MD5', enc: 'RC4_128', bits: 128, export: false },
  { code: 0x020080, name: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', enc: 'RC4_40', bits: 40, export: true },
  { code: 0x030080, name: 'SSL_CK_RC2_128_CBC_WITH_MD5', enc: 'RC2_CBC_128', bits: 128, export: false },
  { code: 0x040080, name: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', enc: 'RC2_CBC_40', bits: 40, export: true },
  { code: 0x050080, name: 'SSL_CK_IDEA_128_CBC_WITH_MD5', enc: 'IDEA_CBC', bits: 128, export: false },
  { code: 0x060040, name: 'SSL_CK_DES_64_CBC_WITH_MD5', enc: 'DES_CBC', bits: 56, export: false },
  { code: 0x0700c0, name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', enc: '3DES_EDE_CBC', bits: 112, export: false },
  { code: 0x080080, name: 'SSL_CK_RC4_64_WITH_MD5', enc: 'RC4_64', bits: 64, export: false },
];

const SSL2_BY_CODE: ReadonlyMap<number, Ssl2CipherSpec> = new Map(SSL2_CIPHER_SPECS.map((s) => [s.code, s]));

export function suiteByCode(code: number): CipherSuite | undefined {
  return BY_CODE.get(code);
}

export function ssl2SpecByCode(code: number): Ssl2CipherSpec | undefined {
  return SSL2_BY_CODE.get(code);
}

/** IANA name of a suite (or SSLv2 cipher spec, or signalling value); `0xNNNN` when unknown. */
export function suiteName(code: number): string {
  const known = BY_CODE.get(code)?.name ?? SIGNALLING.get(code) ?? SSL2_BY_CODE.get(code)?.name;
  if (known !== undefined) return known;
  const digits = code > 0xffff ? 6 : 4;
  return `0x${code.toString(16).toUpperCase().padStart(digits, '0')}`;
}

export function isCbc(code: number): boolean {
  return BY_CODE.get(code)?.cbc ?? false;
}

export function isAead(code: number): boolean {
  return BY_CODE.get(code)?.aead ?? false;
}

export function hasForwardSecrecy(code: number): boolean {
  return BY_CODE.get(code)?.forwardSecrecy ?? false;
}

function versionRank(v: TlsVersionId): number {
  return TLS_VERSIONS.indexOf(v);
}

/** Whether a TLS suite may be negotiated at this version (unknown codes: any version ≤ TLS 1.2). */
export function suiteAllowedIn(code: number, version: TlsVersionId): boolean {
  if (version === 'ssl2') return false;
  const suite = BY_CODE.get(code);
  if (suite === undefined) return version !== 'tls1.3' && !SIGNALLING.has(code);
  if (version === 'tls1.3') return suite.kex === 'TLS13';
  return suite.kex !== 'TLS13' && versionRank(suite.minVersion) <= versionRank(version);
}

const AEAD_KEX: ReadonlySet<KeyExchange> = new Set(['ECDHE', 'DHE', 'RSA']);

const CLASS_FILTERS: Record<SuiteClass, (s: CipherSuite) => boolean> = {
  null: (s) => s.null,
  anon: (s) => s.anon,
  export: (s) => s.export,
  rc4: (s) => s.enc.startsWith('RC4'),
  '3des': (s) => s.enc === '3DES_EDE_CBC',
  'static-rsa': (s) => s.kex === 'RSA' && !s.export,
  aead: (s) => s.aead && AEAD_KEX.has(s.kex) && !s.anon,
  dhe: (s) => s.kex === 'DHE' && !s.export && (s.auth === 'RSA' || s.auth === 'DSS'),
};

const SSL2_CLASS_FILTERS: Partial<Record<SuiteClass, (s: Ssl2CipherSpec) => boolean>> = {
  export: (s) => s.export,
  rc4: (s) => s.enc.startsWith('RC4'),
  '3des': (s) => s.enc === '3DES_EDE_CBC',
  // Every SSLv2 cipher spec uses RSA key transport.
  'static-rsa': (s) => !s.export,
};

/**
 * Codes to offer to learn whether a server accepts a class of suites at a version.
 *
 * - TLS ≤ 1.2: the suites of the class that may be negotiated at that version (GCM and SHA-2 suites
 *   only from TLS 1.2); an empty list when the class cannot exist there (e.g. `aead` below TLS 1.2).
 * - TLS 1.3: `aead` gives the five TLS 1.3 suites (all are AEAD); every other class is empty.
 * - SSLv2: the SSLv2 cipher specs (3-byte codes) of the class (`export`, `rc4`, `3des`, `static-rsa`).
 */
export function suitesOfClass(cls: SuiteClass, version: TlsVersionId): number[] {
  if (version === 'ssl2') {
    const filter = SSL2_CLASS_FILTERS[cls];
    return filter === undefined ? [] : SSL2_CIPHER_SPECS.filter(filter).map((s) => s.code);
  }
  if (version === 'tls1.3') {
    return cls === 'aead' ? CIPHER_SUITES.filter((s) => s.kex === 'TLS13').map((s) => s.code) : [];
  }
  const filter = CLASS_FILTERS[cls];
  return CIPHER_SUITES.filter((s) => filter(s) && suiteAllowedIn(s.code, version)).map((s) => s.code);
}
