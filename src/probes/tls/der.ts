/**
 * A minimal, bounded DER reader: just enough to read what Node's X509Certificate does not expose
 * (the certificate's signature algorithm). Every function returns undefined on malformed or
 * unsupported input instead of throwing.
 */

export interface Tlv {
  /** Identifier octet (class, constructed bit and tag number; low tag numbers only). */
  tag: number;
  /** Offset of the value's first byte in the buffer. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

export const DER_TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Reads the TLV starting at `offset`, which must end at or before `limit`. */
export function readTlv(buf: Buffer, offset: number, limit: number = buf.length): Tlv | undefined {
  const bound = Math.min(limit, buf.length);
  if (!Number.isInteger(offset) || offset < 0 || offset + 2 > bound) return undefined;
  const tag = buf[offset];
  if (tag === undefined || (tag & 0x1f) === 0x1f) return undefined; // high tag numbers: not needed here
  const first = buf[offset + 1];
  if (first === undefined) return undefined;
  let pos = offset + 2;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 = indefinite length (not DER); more than 4 length octets is beyond any certificate.
    if (count === 0 || count > 4 || pos + count > bound) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[pos + i] ?? 0);
    pos += count;
  }
  if (pos + length > bound) return undefined;
  return { tag, start: pos, end: pos + length };
}

/** The TLVs directly inside a constructed value, in order; undefined when one is malformed. */
export function readChildren(buf: Buffer, parent: Tlv, max = 64): Tlv[] | undefined {
  const out: Tlv[] = [];
  let pos = parent.start;
  while (pos < parent.end) {
    if (out.length >= max) return undefined;
    const child = readTlv(buf, pos, parent.end);
    if (child === undefined) return undefined;
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's content octets. */
export function decodeOid(content: Buffer): string | undefined {
  if (content.length === 0 || content.length > 128) return undefined;
  const arcs: bigint[] = [];
  let value = 0n;
  let inArc = false;
  for (const byte of content) {
    if (!inArc && byte === 0x80) return undefined; // non-minimal encoding
    value = (value << 7n) | BigInt(byte & 0x7f);
    inArc = (byte & 0x80) !== 0;
    if (!inArc) {
      arcs.push(value);
      value = 0n;
    }
  }
  if (inArc) return undefined;
  const [head, ...rest] = arcs;
  if (head === undefined) return undefined;
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...rest].map(String).join('.');
}

interface SignatureAlgorithmInfo {
  name: string;
  hash?: string;
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithmInfo>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'md4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'sha1' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsaWithSHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa_with_SHA224', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'ED25519' },
  '1.3.101.113': { name: 'ED448' },
  '1.2.156.10197.1.501': { name: 'SM2-with-SM3', hash: 'sm3' },
};

const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.2': 'md2',
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
};

/** The OID of an AlgorithmIdentifier SEQUENCE, and its parameters' TLV when present. */
function readAlgorithmIdentifier(buf: Buffer, seq: Tlv): { oid: string; params?: Tlv } | undefined {
  if (seq.tag !== DER_TAG.sequence) return undefined;
  const parts = readChildren(buf, seq, 2);
  const oidTlv = parts?.[0];
  if (oidTlv === undefined || oidTlv.tag !== DER_TAG.oid) return undefined;
  const oid = decodeOid(buf.subarray(oidTlv.start, oidTlv.end));
  if (oid === undefined) return undefined;
  const params = parts?.[1];
  return params === undefined ? { oid } : { oid, params };
}

/**
 * RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, … }
 * (RFC 4055). Absent parameters or an absent [0] mean SHA-1.
 */
function pssHash(buf: Buffer, params: Tlv | undefined): string | undefined {
  if (params === undefined || params.tag === DER_TAG.null) return 'sha1';
  if (params.tag !== DER_TAG.sequence) return undefined;
  const fields = readChildren(buf, params, 8);
  if (fields === undefined) return undefined;
  const hashField = fields.find((f) => f.tag === 0xa0);
  if (hashField === undefined) return 'sha1';
  const inner = readTlv(buf, hashField.start, hashField.end);
  if (inner === undefined) return undefined;
  const alg = readAlgorithmIdentifier(buf, inner);
  return alg === undefined ? undefined : HASH_ALGORITHMS[alg.oid];
}

/**
 * Certificate.signatureAlgorithm (RFC 5280 §4.1.1.2): the algorithm the issuer signed with.
 * `name` is OpenSSL's name for the OID, or the OID itself when unknown; `hash` is the digest when
 * it can be told (absent for Ed25519/Ed448, whose digest is intrinsic, and for unknown OIDs).
 */
export function certificateSignatureAlgorithm(
  der: Buffer,
): { oid: string; name: string; hash?: string } | undefined {
  try {
    const cert = readTlv(der, 0);
    if (cert === undefined || cert.tag !== DER_TAG.sequence) return undefined;
    const tbs = readTlv(der, cert.start, cert.end);
    if (tbs === undefined || tbs.tag !== DER_TAG.sequence) return undefined;
    const algSeq = readTlv(der, tbs.end, cert.end);
    if (algSeq === undefined) return undefined;
    const alg = readAlgorithmIdentifier(der, algSeq);
    if (alg === undefined) return undefined;
    const known = SIGNATURE_ALGORITHMS[alg.oid];
    if (known === undefined) return { oid: alg.oid, name: alg.oid };
    const hash = alg.oid === '1.2.840.113549.1.1.10' ? pssHash(der, alg.params) : known.hash;
    return hash === undefined ? { oid: alg.oid, name: known.name } : { oid: alg.oid, name: known.name, hash };
  } catch {
    // The reader is bounded and checks every offset; this only guards against the unforeseen.
    return undefined;
  }
}
