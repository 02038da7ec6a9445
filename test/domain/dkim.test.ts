import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDkimKey } from '../../src/domain/dkim.js';

function rsaSpki(modulusLength: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

const RSA_2048 = rsaSpki(2048);
const RSA_1024 = rsaSpki(1024);
const RSA_512_PKCS1 = generateKeyPairSync('rsa', { modulusLength: 512 })
  .publicKey.export({ format: 'der', type: 'pkcs1' })
  .toString('base64');
const ED25519_SPKI = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
/** RFC 8463: the DKIM record carries the raw 32-byte key, not its SPKI. */
const ED25519_RAW = ED25519_SPKI.subarray(ED25519_SPKI.length - 32).toString('base64');
const EC_P256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ format: 'der', type: 'spki' })
  .toString('base64');

describe('parseDkimKey', () => {
  it('measures a 2048-bit RSA key published as SPKI', () => {
    expect(parseDkimKey(`v=DKIM1; k=rsa; p=${RSA_2048}`)).toEqual({
      keyType: 'rsa',
      revoked: false,
      bits: 2048,
      problems: [],
    });
  });

  it('defaults k to rsa and accepts whitespace inside p', () => {
    const folded = RSA_1024.match(/.{1,60}/g)?.join(' \r\n\t') ?? '';
    expect(folded).toContain('\r\n\t');
    expect(parseDkimKey(`v=DKIM1; h=sha256; p=${folded}`)).toEqual({
      keyType: 'rsa',
      revoked: false,
      bits: 1024,
      problems: [],
    });
  });

  it('measures an RSA key published as PKCS#1 RSAPublicKey', () => {
    expect(parseDkimKey(`k=rsa; p=${RSA_512_PKCS1}`)).toEqual({
      keyType: 'rsa',
      revoked: false,
      bits: 512,
      problems: [],
    });
  });

  it('measures a raw Ed25519 key (RFC 8463) and rejects its SPKI form', () => {
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${ED25519_RAW}`)).toEqual({
      keyType: 'ed25519',
      revoked: false,
      bits: 256,
      problems: [],
    });
    const spki = `p=${ED25519_SPKI.toString('base64')}`;
    expect(parseDkimKey(`v=DKIM1; k=ed25519; ${spki}`).problems).toEqual([
      { code: 'invalid-key', term: spki },
    ]);
  });

  it('reads an empty p= as a revoked key, not a problem', () => {
    expect(parseDkimKey('v=DKIM1; p=')).toEqual({ keyType: 'rsa', revoked: true, problems: [] });
    expect(parseDkimKey('v=DKIM1; k=rsa; p= ;')).toEqual({ keyType: 'rsa', revoked: true, problems: [] });
  });

  it('reports a missing p', () => {
    expect(parseDkimKey('v=DKIM1; k=rsa')).toEqual({
      keyType: 'rsa',
      revoked: false,
      problems: [{ code: 'missing-key', term: '' }],
    });
  });

  it('reports keys that are not base64 or do not decode', () => {
    const truncated = `p=${RSA_2048.slice(0, 48)}`;
    expect(parseDkimKey(`v=DKIM1; ${truncated}`).problems).toEqual([
      { code: 'invalid-key', term: truncated },
    ]);
    expect(parseDkimKey('v=DKIM1; p=pas*du*base64').problems).toEqual([
      { code: 'invalid-key', term: 'p=pas*du*base64' },
    ]);
  });

  it('reports a key of another type than k says', () => {
    const r = parseDkimKey(`v=DKIM1; p=${EC_P256}`);
    expect(r.problems).toEqual([{ code: 'key-type-mismatch', term: `p=${EC_P256}` }]);
    expect(r.bits).toBeUndefined();
  });

  it('reports an unsupported k without measuring the key', () => {
    expect(parseDkimKey(`v=DKIM1; k=dsa; p=${RSA_1024}`)).toEqual({
      keyType: 'dsa',
      revoked: false,
      problems: [{ code: 'invalid-key-type', term: 'k=dsa' }],
    });
  });

  it('reports version, duplicate and malformed tags', () => {
    expect(parseDkimKey(`k=rsa; v=DKIM1; p=${RSA_1024}`).problems).toEqual([
      { code: 'version-not-first', term: 'v=DKIM1' },
    ]);
    expect(parseDkimKey(`v=DKIM2; p=${RSA_1024}`).problems).toEqual([
      { code: 'invalid-version', term: 'v=DKIM2' },
    ]);
    expect(parseDkimKey(`v=DKIM1; p=${RSA_1024}; p=; n'importe quoi`).problems).toEqual([
      { code: 'duplicate-tag', term: 'p=' },
      { code: 'invalid-tag', term: "n'importe quoi" },
    ]);
  });
});
