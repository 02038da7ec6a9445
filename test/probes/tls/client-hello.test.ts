import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseClientHello, type TlsClientHello } from '../../../src/demo/client-hello-parser.js';
import { CIPHER_SUITES, suitesOfClass } from '../../../src/domain/cipher-suites.js';
import { buildClientHello, TLS_VERSION_WIRE, versionFromWire } from '../../../src/probes/tls/index.js';

function parseTlsHello(buf: Buffer): TlsClientHello {
  const parsed = parseClientHello(buf);
  if (parsed.state !== 'hello' || parsed.hello.format !== 'tls')
    throw new Error(`not a TLS hello: ${parsed.state}`);
  return parsed.hello;
}

function extensionTypes(hello: TlsClientHello): number[] {
  return hello.extensions.map((e) => e.type);
}

describe('buildClientHello (TLS)', () => {
  it('frames one handshake record holding exactly one ClientHello', () => {
    const buf = buildClientHello({
      version: 'tls1.2',
      suites: [0xc02f, 0x009c],
      serverName: 'www.exemple.fr',
    });
    expect(buf[0]).toBe(22);
    expect(buf.readUInt16BE(1)).toBe(0x0301);
    expect(buf.readUInt16BE(3)).toBe(buf.length - 5);
    expect(buf[5]).toBe(1); // client_hello
    const hsLen = (buf[6]! << 16) | (buf[7]! << 8) | buf[8]!;
    expect(hsLen).toBe(buf.length - 9);
  });

  it('offers a TLS 1.2 hello capped at 1.2, with SNI, the SCSV and broad signature algorithms', () => {
    const hello = parseTlsHello(
      buildClientHello({ version: 'tls1.2', suites: [0xc02f, 0x009c], serverName: 'www.exemple.fr' }),
    );
    expect(hello.clientVersion).toBe(0x0303);
    expect(hello.cipherSuites).toEqual([0xc02f, 0x009c, 0x00ff]);
    expect(hello.compressionMethods).toEqual([0]);
    expect(hello.sessionId.length).toBe(0);
    expect(hello.serverName).toBe('www.exemple.fr');
    expect(hello.supportedVersions).toBeUndefined();
    expect(hello.supportedGroups).toEqual([0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]);
    const types = extensionTypes(hello);
    expect(types).toEqual(expect.arrayContaining([0, 10, 11, 13, 0xff01]));
    expect(types).not.toContain(43);
    const sigalgs = hello.extensions.find((e) => e.type === 13)!.data;
    const algs: number[] = [];
    for (let i = 2; i < sigalgs.length; i += 2) algs.push(sigalgs.readUInt16BE(i));
    expect(algs).toEqual(expect.arrayContaining([0x0401, 0x0804, 0x0403, 0x0201, 0x0203, 0x0101]));
    expect(hello.extensions.find((e) => e.type === 0xff01)!.data).toEqual(Buffer.from([0]));
  });

  it('caps older versions through legacy_version only (no supported_versions, no signature_algorithms)', () => {
    for (const version of ['tls1.0', 'tls1.1'] as const) {
      const hello = parseTlsHello(buildClientHello({ version, suites: [0x002f] }));
      expect(hello.clientVersion).toBe(TLS_VERSION_WIRE[version]);
      expect(hello.recordVersion).toBe(0x0301);
      expect(extensionTypes(hello)).not.toContain(43);
      expect(extensionTypes(hello)).not.toContain(13);
    }
  });

  it('omits SNI for IP literals and strips a trailing dot', () => {
    for (const serverName of ['127.0.0.1', '::1', '[2001:db8::1]']) {
      const hello = parseTlsHello(buildClientHello({ version: 'tls1.2', suites: [0x002f], serverName }));
      expect(extensionTypes(hello)).not.toContain(0);
    }
    const dotted = parseTlsHello(
      buildClientHello({ version: 'tls1.2', suites: [0x002f], serverName: 'a.example.' }),
    );
    expect(dotted.serverName).toBe('a.example');
    const idn = parseTlsHello(
      buildClientHello({ version: 'tls1.2', suites: [0x002f], serverName: 'bücher.example' }),
    );
    expect(idn.serverName).toBe('xn--bcher-kva.example');
  });

  it('sends an SSLv3 hello with record version 3.0 and no extensions at all', () => {
    const buf = buildClientHello({ version: 'ssl3', suites: [0x0005, 0x000a] });
    expect(buf.readUInt16BE(1)).toBe(0x0300);
    const hello = parseTlsHello(buf);
    expect(hello.clientVersion).toBe(0x0300);
    expect(hello.cipherSuites).toEqual([0x0005, 0x000a, 0x00ff]);
    expect(hello.extensions).toEqual([]);
    // The body ends right after the compression methods: 2 + 32 + 1 + 2 + 6 + 2.
    expect(buf.length).toBe(5 + 4 + 2 + 32 + 1 + 2 + 6 + 2);
  });

  it('sends a TLS 1.3 hello with supported_versions = [1.3], a valid x25519 key share and a session id', () => {
    const hello = parseTlsHello(
      buildClientHello({ version: 'tls1.3', suites: suitesOfClass('aead', 'tls1.3') }),
    );
    expect(hello.clientVersion).toBe(0x0303);
    expect(hello.recordVersion).toBe(0x0301);
    expect(hello.supportedVersions).toEqual([0x0304]);
    expect(hello.sessionId.length).toBe(32);
    expect(hello.cipherSuites.slice(0, 5)).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    expect(extensionTypes(hello)).toEqual(expect.arrayContaining([13, 45, 51]));
    const share = hello.keyShares?.[0];
    expect(share?.group).toBe(0x001d);
    expect(share?.key.length).toBe(32);
    // The raw key wrapped back into an SPKI must be accepted by OpenSSL as an X25519 key.
    const spki = Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), share!.key]);
    expect(createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('x25519');
  });

  it('never produces a hello of 256–511 bytes (padding) and keeps each random fresh', () => {
    for (let n = 0; n < 200; n += 7) {
      const suites = CIPHER_SUITES.slice(0, n).map((s) => s.code);
      for (const version of ['tls1.0', 'tls1.2', 'tls1.3'] as const) {
        const buf = buildClientHello({ version, suites, serverName: 'host.example' });
        const hsLen = buf.length - 5;
        expect(hsLen < 256 || hsLen >= 512).toBe(true);
        expect(parseClientHello(buf).state).toBe('hello');
      }
    }
    const a = parseTlsHello(buildClientHello({ version: 'tls1.2', suites: [0x002f] }));
    const b = parseTlsHello(buildClientHello({ version: 'tls1.2', suites: [0x002f] }));
    expect(a.random.equals(b.random)).toBe(false);
  });
});

describe('buildClientHello (SSLv2)', () => {
  it('builds a 2-byte-header CLIENT-HELLO with 3-byte cipher specs and a 16-byte challenge', () => {
    const specs = suitesOfClass('rc4', 'ssl2');
    const buf = buildClientHello({ version: 'ssl2', suites: specs });
    expect(buf[0]! & 0x80).toBe(0x80);
    expect(((buf[0]! & 0x7f) << 8) | buf[1]!).toBe(buf.length - 2);
    expect(buf[2]).toBe(1);
    expect(buf.readUInt16BE(3)).toBe(0x0002);
    const parsed = parseClientHello(buf);
    expect(parsed.state).toBe('hello');
    if (parsed.state !== 'hello' || parsed.hello.format !== 'ssl2') throw new Error('not SSLv2');
    expect(parsed.hello.cipherSpecs).toEqual(specs);
    expect(parsed.hello.challenge.length).toBe(16);
    expect(parsed.hello.sessionId.length).toBe(0);
  });
});

describe('wire versions', () => {
  it('maps wire versions both ways', () => {
    for (const [id, wire] of Object.entries(TLS_VERSION_WIRE)) expect(versionFromWire(wire)).toBe(id);
    expect(versionFromWire(0x7f1c)).toBe('tls1.3');
    expect(versionFromWire(0x0305)).toBeUndefined();
  });
});
