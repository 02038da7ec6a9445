import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseClientHello, type TlsClientHello } from '../../../src/demo/client-hello-parser.js';
import { startLegacyTlsServer, type LegacyTlsServerOptions } from '../../../src/demo/legacy-tls-server.js';
import { parseServerFlight, ServerFlightReader } from '../../../src/probes/tls/server-hello.js';

/*
 * What OpenSSL 3 can no longer produce (SSLv2, SSLv3) and the TLS 1.3 traces of RFC 8448, as byte
 * vectors written outside the code under test: test/fixtures/tls/README.md says where each comes
 * from. The probe's reader reads them; the legacy loopback server parses the client ones and must
 * answer byte for byte as the server ones are laid out (random values aside).
 */

const FIXTURES = new URL('../../fixtures/tls/', import.meta.url);

/** A fixture: hex bytes, `#` comments and blank space ignored. */
function vector(name: string): Buffer {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('');
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

const PLACEHOLDER_CERT = Buffer.from('3003020101', 'hex');

function tlsHello(bytes: Buffer): TlsClientHello {
  const parsed = parseClientHello(bytes);
  if (parsed.state !== 'hello' || parsed.hello.format !== 'tls') throw new Error(JSON.stringify(parsed));
  return parsed.hello;
}

/** Sends `hello` to a legacy server and returns the first `length` bytes of its answer (10 s bound). */
async function legacyAnswer(opts: LegacyTlsServerOptions, hello: Buffer, length: number): Promise<Buffer> {
  const server = await startLegacyTlsServer(opts);
  onTestFinished(() => server.close());
  const socket = net.connect(server.port, '127.0.0.1');
  onTestFinished(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  socket.write(hello);
  let received = Buffer.alloc(0);
  const deadline = Date.now() + 10_000;
  while (received.length < length && Date.now() < deadline && !socket.destroyed) {
    const chunk = await Promise.race([
      once(socket, 'data').then(([d]) => d as Buffer),
      once(socket, 'close').then(() => Buffer.alloc(0)),
      new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.alloc(0)), 500)),
    ]);
    received = Buffer.concat([received, chunk]);
  }
  return received;
}

/** `actual` with the byte ranges [from, to) taken from `expected`: the values a server draws at random. */
function withRandomFrom(actual: Buffer, expected: Buffer, ranges: [number, number][]): Buffer {
  const out = Buffer.from(actual);
  for (const [from, to] of ranges) expected.copy(out, from, from, to);
  return out;
}

describe('the probe’s flight reader on byte vectors from the RFCs and the SSL drafts', () => {
  it('reads the ServerHello of RFC 8448 §3 as TLS 1.3, TLS_AES_128_GCM_SHA256, x25519', () => {
    expect(parseServerFlight(vector('rfc8448-simple-server-hello.hex'), { want: 'key-exchange' })).toEqual({
      state: 'hello',
      version: 'tls1.3',
      suite: 0x1301,
      complete: true,
      compression: 0,
      extensions: [0x33, 0x2b], // key_share, supported_versions
      group: 0x001d,
    });
  });

  it('reads the HelloRetryRequest of RFC 8448 §5 (with its cookie) as TLS 1.3', () => {
    const hrr = vector('rfc8448-hello-retry-request.hex');
    expect(parseServerFlight(hrr, { want: 'hello' })).toEqual({
      state: 'hello',
      version: 'tls1.3',
      suite: 0x1301,
      complete: true,
      compression: 0,
      extensions: [0x33, 0x2c, 0x2b], // key_share, cookie, supported_versions
      group: 0x0017, // secp256r1 asked for
      helloRetry: true,
    });
    // Told by its random alone (RFC 8446 §4.1.3), even with supported_versions stripped off.
    const stripped = Buffer.concat([hrr.subarray(0, hrr.length - 6)]);
    stripped.writeUInt16BE(hrr.readUInt16BE(3) - 6, 3); // record length
    stripped.writeUIntBE(hrr.readUIntBE(6, 3) - 6, 6, 3); // handshake length
    stripped.writeUInt16BE(hrr.readUInt16BE(47) - 6, 47); // extensions length
    expect(parseServerFlight(stripped, { want: 'hello' })).toMatchObject({
      state: 'hello',
      version: 'tls1.3',
    });
  });

  it('reads an SSL 3.0 flight (RFC 6101): version, suite, certificate, ServerHelloDone', () => {
    const flight = vector('sslv3-server-flight.hex');
    const expected = {
      state: 'hello',
      version: 'ssl3',
      suite: 0x0005,
      certificates: [PLACEHOLDER_CERT],
      complete: true,
      compression: 0,
      extensions: [],
    };
    expect(parseServerFlight(flight, { want: 'key-exchange' })).toEqual(expected);
    const reader = new ServerFlightReader({ want: 'key-exchange' });
    let last: unknown;
    for (const byte of flight) last = reader.push(Buffer.from([byte]));
    expect(last).toEqual(expected);
  });

  it('reads an SSL 2.0 SERVER-HELLO and an SSL 2.0 ERROR (no cipher)', () => {
    expect(parseServerFlight(vector('sslv2-server-hello.hex'), { want: 'key-exchange' })).toEqual({
      state: 'hello',
      version: 'ssl2',
      suite: 0x010080,
      certificates: [PLACEHOLDER_CERT],
      complete: true,
    });
    expect(parseServerFlight(vector('sslv2-error-no-cipher.hex'), { want: 'hello' })).toEqual({
      state: 'alert',
      level: 2,
      description: 1,
      descriptionName: 'sslv2_no_cipher',
    });
  });
});

describe('the legacy server on byte vectors from the RFCs and the SSL drafts', () => {
  it('parses the ClientHellos of RFC 8448 §3 and §5', () => {
    const simple = tlsHello(vector('rfc8448-simple-client-hello.hex'));
    expect(simple).toMatchObject({
      recordVersion: 0x0301,
      clientVersion: 0x0303,
      cipherSuites: [0x1301, 0x1303, 0x1302],
      compressionMethods: [0],
      serverName: 'server',
      supportedVersions: [0x0304],
      supportedGroups: [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104],
    });
    expect(simple.sessionId).toEqual(Buffer.alloc(0));
    expect(simple.extensions.map((e) => e.type)).toEqual([0, 0xff01, 10, 35, 51, 43, 13, 45, 28]);
    expect(simple.keyShares).toEqual([
      {
        group: 0x001d,
        key: Buffer.from('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c', 'hex'),
      },
    ]);
    const retry = tlsHello(vector('rfc8448-hrr-client-hello.hex'));
    expect(retry.supportedGroups).toEqual([0x001d, 0x0017, 0x0018]);
    expect(retry.keyShares?.map((k) => k.group)).toEqual([0x001d]);
  });

  it('answers the ClientHello of RFC 8448 §3 as the ServerHello of RFC 8448 §3 is laid out, then a ChangeCipherSpec', async () => {
    const expected = Buffer.concat([
      vector('rfc8448-simple-server-hello.hex'),
      Buffer.from('140303000101', 'hex'), // ChangeCipherSpec (RFC 8446 §5, D.4)
    ]);
    const answer = await legacyAnswer(
      { versions: ['tls1.3'], suites: [0x1301] },
      vector('rfc8448-simple-client-hello.hex'),
      expected.length,
    );
    // Random (record 5 + handshake 4 + version 2) and the server's x25519 share are drawn afresh.
    expect(
      withRandomFrom(answer, expected, [
        [11, 43],
        [57, 89],
      ]).toString('hex'),
    ).toBe(expected.toString('hex'));
  });

  it('answers an SSL 3.0 ClientHello (RFC 6101) with the flight RFC 6101 lays out', async () => {
    const expected = vector('sslv3-server-flight.hex');
    const answer = await legacyAnswer(
      { versions: ['ssl3'], suites: [0x0005], certificates: [PLACEHOLDER_CERT] },
      vector('sslv3-client-hello.hex'),
      expected.length,
    );
    // Random (32 bytes at 11) and session id (32 bytes at 44) are drawn afresh.
    expect(
      withRandomFrom(answer, expected, [
        [11, 43],
        [44, 76],
      ]).toString('hex'),
    ).toBe(expected.toString('hex'));
  });

  it('answers an SSL 2.0 CLIENT-HELLO with the SERVER-HELLO the draft lays out, or an ERROR without a common cipher', async () => {
    const expected = vector('sslv2-server-hello.hex');
    const answer = await legacyAnswer(
      { versions: ['ssl2'], suites: [0x010080], certificates: [PLACEHOLDER_CERT] },
      vector('sslv2-client-hello.hex'),
      expected.length,
    );
    // The connection id (the last 16 bytes) is drawn afresh.
    const end = expected.length;
    expect(withRandomFrom(answer, expected, [[end - 16, end]]).toString('hex')).toBe(
      expected.toString('hex'),
    );

    const refusal = vector('sslv2-error-no-cipher.hex');
    const none = await legacyAnswer(
      { versions: ['ssl2'], suites: [0x020080] },
      vector('sslv2-client-hello.hex'),
      refusal.length,
    );
    expect(none.toString('hex')).toBe(refusal.toString('hex'));
  });

  it('answers a TLS client’s SSL 2.0-format hello (RFC 5246 E.2) in TLS 1.0, with a TLS suite only', async () => {
    // Laid out as the SSL 3.0 flight of the fixture, in version 3.1 and with TLS_RSA_WITH_AES_128_CBC_SHA.
    const expected = Buffer.from(
      [
        '16 0301 005d',
        '02 000046 0301',
        '00'.repeat(32),
        '20',
        '00'.repeat(32),
        '002f 00',
        '0b 00000b 000008 000005 3003020101',
        '0e 000000',
      ]
        .join('')
        .replace(/\s+/g, ''),
      'hex',
    );
    const answer = await legacyAnswer(
      { versions: ['tls1.0'], suites: [0x002f], certificates: [PLACEHOLDER_CERT] },
      vector('tls-v2-compatible-client-hello.hex'),
      expected.length,
    );
    expect(
      withRandomFrom(answer, expected, [
        [11, 43],
        [44, 76],
      ]).toString('hex'),
    ).toBe(expected.toString('hex'));
  });
});
