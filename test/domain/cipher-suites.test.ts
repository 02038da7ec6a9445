import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  hasForwardSecrecy,
  isAead,
  isCbc,
  suiteAllowedIn,
  suiteByCode,
  suiteName,
  suitesOfClass,
} from '../../src/domain/cipher-suites.js';

describe('cipher suite table', () => {
  it('derives attributes from the IANA names', () => {
    expect(suiteByCode(0xc02f)).toMatchObject({
      kex: 'ECDHE',
      auth: 'RSA',
      enc: 'AES_128_GCM',
      mac: 'AEAD',
      bits: 128,
      aead: true,
      cbc: false,
      forwardSecrecy: true,
      minVersion: 'tls1.2',
    });
    expect(suiteByCode(0x0003)).toMatchObject({
      kex: 'RSA',
      enc: 'RC4_40',
      export: true,
      bits: 40,
      mac: 'MD5',
    });
    expect(suiteByCode(0x0017)).toMatchObject({ kex: 'DH_anon', anon: true, export: true });
    expect(suiteByCode(0x000a)).toMatchObject({
      enc: '3DES_EDE_CBC',
      bits: 112,
      cbc: true,
      minVersion: 'ssl3',
    });
    expect(suiteByCode(0x0002)).toMatchObject({ null: true, bits: 0 });
    expect(suiteByCode(0x1303)).toMatchObject({
      kex: 'TLS13',
      enc: 'CHACHA20_POLY1305',
      minVersion: 'tls1.3',
    });
    expect(suiteByCode(0xc0a0)).toMatchObject({ enc: 'AES_128_CCM_8', aead: true, kex: 'RSA' });
    expect(suiteByCode(0x0080)).toMatchObject({ kex: 'GOST', mac: 'GOST' });
    expect(new Set(CIPHER_SUITES.map((s) => s.code)).size).toBe(CIPHER_SUITES.length);
  });

  it('names known codes, signalling values and SSLv2 specs, and falls back to hex', () => {
    expect(suiteName(0x002f)).toBe('TLS_RSA_WITH_AES_128_CBC_SHA');
    expect(suiteName(0x00ff)).toBe('TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
    expect(suiteName(0x010080)).toBe('SSL_CK_RC4_128_WITH_MD5');
    expect(suiteName(0x0a0a)).toBe('0x0A0A');
    expect(suiteName(0x0f0080)).toBe('0x0F0080');
  });

  it('answers isCbc / isAead / hasForwardSecrecy', () => {
    expect(isCbc(0xc013)).toBe(true);
    expect(isCbc(0xc02f)).toBe(false);
    expect(isAead(0xcca8)).toBe(true);
    expect(isAead(0x0005)).toBe(false);
    expect(hasForwardSecrecy(0x0033)).toBe(true);
    expect(hasForwardSecrecy(0x002f)).toBe(false);
    expect(hasForwardSecrecy(0x1301)).toBe(true);
    expect(isCbc(0x9999)).toBe(false);
  });

  it('selects each class of suites, per version', () => {
    const of = (cls: Parameters<typeof suitesOfClass>[0], v: Parameters<typeof suitesOfClass>[1]) =>
      suitesOfClass(cls, v).map((c) => suiteByCode(c)!);
    for (const export_ of [
      0x0003, 0x0006, 0x0008, 0x000b, 0x000e, 0x0011, 0x0014, 0x0017, 0x0019, 0x0062, 0x0065,
    ]) {
      expect(suitesOfClass('export', 'tls1.0')).toContain(export_);
    }
    expect(of('null', 'tls1.2').every((s) => s.null)).toBe(true);
    expect(suitesOfClass('null', 'tls1.2')).toEqual(expect.arrayContaining([0x0001, 0x0002, 0x003b, 0xc010]));
    expect(suitesOfClass('null', 'tls1.0')).not.toContain(0x003b); // SHA-256 suites need TLS 1.2
    expect(of('anon', 'tls1.2').every((s) => s.auth === 'anon')).toBe(true);
    expect(suitesOfClass('anon', 'tls1.2')).toEqual(expect.arrayContaining([0x0034, 0xc018, 0x00a6]));
    expect(of('rc4', 'ssl3').every((s) => s.enc.startsWith('RC4'))).toBe(true);
    expect(suitesOfClass('rc4', 'ssl3')).toEqual(expect.arrayContaining([0x0004, 0x0005, 0xc011]));
    expect(of('3des', 'tls1.2').every((s) => s.enc === '3DES_EDE_CBC')).toBe(true);
    expect(suitesOfClass('3des', 'tls1.2')).toEqual(expect.arrayContaining([0x000a, 0x0016, 0xc012]));
    expect(of('static-rsa', 'tls1.2').every((s) => s.kex === 'RSA' && !s.export)).toBe(true);
    expect(suitesOfClass('static-rsa', 'tls1.2')).toEqual(expect.arrayContaining([0x002f, 0x009c, 0x000a]));
    expect(of('aead', 'tls1.2').every((s) => s.aead && ['ECDHE', 'DHE', 'RSA'].includes(s.kex))).toBe(true);
    expect(suitesOfClass('aead', 'tls1.2')).toEqual(
      expect.arrayContaining([0xc02f, 0xc02b, 0xcca8, 0x009e, 0x009c]),
    );
    expect(suitesOfClass('aead', 'tls1.1')).toEqual([]);
    expect(suitesOfClass('aead', 'tls1.3')).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    expect(suitesOfClass('rc4', 'tls1.3')).toEqual([]);
    expect(of('dhe', 'tls1.2').every((s) => s.kex === 'DHE' && !s.anon && !s.export)).toBe(true);
    expect(suitesOfClass('dhe', 'tls1.2')).toEqual(expect.arrayContaining([0x0033, 0x009e, 0xccaa, 0x0016]));
    expect(suitesOfClass('export', 'ssl2')).toEqual([0x020080, 0x040080]);
    expect(suitesOfClass('3des', 'ssl2')).toEqual([0x0700c0]);
    expect(suitesOfClass('aead', 'ssl2')).toEqual([]);
  });

  it('tells which suites a version may negotiate', () => {
    expect(suiteAllowedIn(0xc02f, 'tls1.2')).toBe(true);
    expect(suiteAllowedIn(0xc02f, 'tls1.1')).toBe(false);
    expect(suiteAllowedIn(0x0005, 'ssl3')).toBe(true);
    expect(suiteAllowedIn(0x1301, 'tls1.2')).toBe(false);
    expect(suiteAllowedIn(0x1301, 'tls1.3')).toBe(true);
    expect(suiteAllowedIn(0xc02f, 'tls1.3')).toBe(false);
    expect(suiteAllowedIn(0x0a0a, 'tls1.0')).toBe(true); // unknown (GREASE): not ours to refuse
    expect(suiteAllowedIn(0x00ff, 'tls1.2')).toBe(false); // signalling value, not a suite
    expect(suiteAllowedIn(0x002f, 'ssl2')).toBe(false);
  });
});
