import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueLeaf, type Issued } from '../../../src/demo/pki.js';
import { certificateSignatureAlgorithm, decodeOid, readTlv } from '../../../src/probes/tls/der.js';

/** DER TLV with a definite length (short or long form). */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const len =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(BigInt);
  const [a = 0n, b = 0n, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] = (chunk[i] ?? 0) | 0x80;
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A certificate-shaped structure: SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }. */
function fakeCert(algorithm: Buffer): Buffer {
  const tbs = tlv(0x30, tlv(0x02, Buffer.from([1])), tlv(0x30));
  return tlv(0x30, tbs, algorithm, tlv(0x03, Buffer.from([0, 1, 2, 3])));
}

const algId = (dotted: string, params?: Buffer): Buffer =>
  tlv(0x30, oid(dotted), ...(params === undefined ? [] : [params]));

describe('certificateSignatureAlgorithm', () => {
  let rsaSha256: Issued;
  let rsaSha1: Issued;
  let ecSha384: Issued;

  beforeAll(async () => {
    const root = await createCa({ commonName: 'DER Root', keyBits: 1024 });
    rsaSha256 = await issueLeaf({ commonName: 'a.test', issuer: root, key: { type: 'rsa', bits: 1024 } });
    rsaSha1 = await issueLeaf({
      commonName: 'b.test',
      issuer: root,
      key: { type: 'rsa', bits: 1024 },
      signatureHash: 'SHA-1',
    });
    ecSha384 = await issueLeaf({
      commonName: 'c.test',
      key: { type: 'ec', curve: 'P-384' },
      signatureHash: 'SHA-384',
    });
  });

  it('reads the algorithm of generated certificates', () => {
    expect(certificateSignatureAlgorithm(rsaSha256.der)).toEqual({
      oid: '1.2.840.113549.1.1.11',
      name: 'sha256WithRSAEncryption',
      hash: 'sha256',
    });
    expect(certificateSignatureAlgorithm(rsaSha1.der)).toEqual({
      oid: '1.2.840.113549.1.1.5',
      name: 'sha1WithRSAEncryption',
      hash: 'sha1',
    });
    expect(certificateSignatureAlgorithm(ecSha384.der)).toEqual({
      oid: '1.2.840.10045.4.3.3',
      name: 'ecdsa-with-SHA384',
      hash: 'sha384',
    });
  });

  it.each([
    ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption', 'md2'],
    ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption', 'md5'],
    ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption', 'sha224'],
    ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption', 'sha384'],
    ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption', 'sha512'],
    ['1.2.840.10045.4.1', 'ecdsa-with-SHA1', 'sha1'],
    ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224', 'sha224'],
    ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256', 'sha256'],
    ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512', 'sha512'],
    ['1.2.840.10040.4.3', 'dsaWithSHA1', 'sha1'],
    ['2.16.840.1.101.3.4.3.2', 'dsa_with_SHA256', 'sha256'],
  ])('maps %s to %s', (dotted, name, hash) => {
    expect(certificateSignatureAlgorithm(fakeCert(algId(dotted, tlv(0x05))))).toEqual({
      oid: dotted,
      name,
      hash,
    });
  });

  it('names EdDSA without a separate digest', () => {
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.3.101.112')))).toEqual({
      oid: '1.3.101.112',
      name: 'ED25519',
    });
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.3.101.113')))?.name).toBe('ED448');
  });

  it('reads the digest of RSASSA-PSS from its parameters, SHA-1 by default', () => {
    const sha256 = algId('2.16.840.1.101.3.4.2.1', tlv(0x05));
    const pss256 = tlv(0x30, tlv(0xa0, sha256), tlv(0xa2, tlv(0x02, Buffer.from([32]))));
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.2.840.113549.1.1.10', pss256)))).toEqual({
      oid: '1.2.840.113549.1.1.10',
      name: 'rsassaPss',
      hash: 'sha256',
    });
    const pssDefault = tlv(0x30, tlv(0xa2, tlv(0x02, Buffer.from([20]))));
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.2.840.113549.1.1.10', pssDefault)))?.hash).toBe(
      'sha1',
    );
    const pssUnknownHash = tlv(0x30, tlv(0xa0, algId('1.2.3.4')));
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.2.840.113549.1.1.10', pssUnknownHash)))).toEqual({
      oid: '1.2.840.113549.1.1.10',
      name: 'rsassaPss',
    });
  });

  it('returns the OID as name for an unknown algorithm', () => {
    expect(certificateSignatureAlgorithm(fakeCert(algId('1.2.3.4.5')))).toEqual({
      oid: '1.2.3.4.5',
      name: '1.2.3.4.5',
    });
  });

  it('returns undefined on malformed input, never throws', () => {
    const good = rsaSha256.der;
    expect(certificateSignatureAlgorithm(Buffer.alloc(0))).toBeUndefined();
    expect(certificateSignatureAlgorithm(Buffer.from([0x30]))).toBeUndefined();
    expect(certificateSignatureAlgorithm(Buffer.from([0x30, 0x80, 0x00, 0x00]))).toBeUndefined(); // indefinite
    expect(certificateSignatureAlgorithm(Buffer.from([0x30, 0x85, 1, 2, 3, 4, 5]))).toBeUndefined(); // 5 length octets
    expect(certificateSignatureAlgorithm(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(
      certificateSignatureAlgorithm(tlv(0x31, tlv(0x30), algId('1.2.840.113549.1.1.11'))),
    ).toBeUndefined();
    expect(certificateSignatureAlgorithm(fakeCert(tlv(0x30, tlv(0x02, Buffer.from([1])))))).toBeUndefined();
    expect(certificateSignatureAlgorithm(Buffer.from('-----BEGIN CERTIFICATE-----'))).toBeUndefined();
    for (let cut = 0; cut < good.length; cut += 7) {
      const truncated = good.subarray(0, cut);
      expect(() => certificateSignatureAlgorithm(truncated)).not.toThrow();
    }
    for (let i = 0; i < 300; i++) {
      const noise = randomBytes(1 + (i % 64));
      if (i % 2 === 0) noise[0] = 0x30;
      expect(() => certificateSignatureAlgorithm(noise)).not.toThrow();
    }
    for (let i = 0; i < 300; i++) {
      const mutated = Buffer.from(good);
      const at = (i * 7919) % mutated.length;
      mutated[at] = (mutated[at] ?? 0) ^ 0xff;
      expect(() => certificateSignatureAlgorithm(mutated)).not.toThrow();
    }
  });
});

describe('readTlv', () => {
  it('reads short and long lengths and respects the limit', () => {
    expect(readTlv(Buffer.from([0x04, 0x02, 0xaa, 0xbb]), 0)).toEqual({ tag: 0x04, start: 2, end: 4 });
    const long = tlv(0x04, Buffer.alloc(300));
    expect(readTlv(long, 0)).toEqual({ tag: 0x04, start: 4, end: 304 });
    expect(readTlv(long, 0, 100)).toBeUndefined();
    expect(readTlv(Buffer.from([0x04, 0x05, 0xaa]), 0)).toBeUndefined();
    expect(readTlv(Buffer.from([0x1f, 0x01, 0x00]), 0)).toBeUndefined(); // high tag number form
    expect(readTlv(Buffer.from([0x04, 0x00]), -1)).toBeUndefined();
  });
});

describe('decodeOid', () => {
  it('decodes first arcs and multi-byte arcs', () => {
    expect(decodeOid(oid('1.2.840.113549.1.1.11').subarray(2))).toBe('1.2.840.113549.1.1.11');
    expect(decodeOid(oid('2.5.29.17').subarray(2))).toBe('2.5.29.17');
    expect(decodeOid(oid('2.999.3').subarray(2))).toBe('2.999.3');
    const big = '2.25.329800735698586629295641978511506172918';
    expect(decodeOid(oid(big).subarray(2))).toBe(big);
  });

  it('rejects empty, truncated and non-minimal encodings', () => {
    expect(decodeOid(Buffer.alloc(0))).toBeUndefined();
    expect(decodeOid(Buffer.from([0x2a, 0x86]))).toBeUndefined();
    expect(decodeOid(Buffer.from([0x2a, 0x80, 0x01]))).toBeUndefined();
  });
});
