import { describe, expect, it } from 'vitest';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  MAX_CERTIFICATE_MESSAGE_BYTES,
  MAX_FLIGHT_BYTES,
  MAX_KEY_EXCHANGE_FLIGHT_BYTES,
  parseServerFlight,
  ServerFlightReader,
  type ServerFlight,
} from '../../../src/probes/tls/server-hello.js';

// --- builders of server flights, written from RFC 5246 / RFC 8446 / the SSL 2.0 draft ---

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const cat = (...parts: Buffer[]) => Buffer.concat(parts);

function record(type: number, version: number, payload: Buffer): Buffer {
  return cat(Buffer.from([type]), u16(version), u16(payload.length), payload);
}

function hs(type: number, body: Buffer): Buffer {
  return cat(Buffer.from([type]), u24(body.length), body);
}

function serverHello(opts: {
  version: number;
  suite: number;
  random?: Buffer;
  sessionId?: Buffer;
  extensions?: Buffer[];
}): Buffer {
  const sid = opts.sessionId ?? Buffer.alloc(32, 7);
  const exts =
    opts.extensions === undefined
      ? Buffer.alloc(0)
      : cat(u16(Buffer.concat(opts.extensions).length), ...opts.extensions);
  return hs(
    2,
    cat(
      u16(opts.version),
      opts.random ?? Buffer.alloc(32, 1),
      Buffer.from([sid.length]),
      sid,
      u16(opts.suite),
      Buffer.from([0]),
      exts,
    ),
  );
}

const ext = (type: number, data: Buffer) => cat(u16(type), u16(data.length), data);
const supportedVersions = (v: number) => ext(43, u16(v));

function certificate(certs: Buffer[]): Buffer {
  const list = cat(...certs.map((c) => cat(u24(c.length), c)));
  return hs(11, cat(u24(list.length), list));
}

function dheKeyExchange(primeBytes: number): Buffer {
  const p = Buffer.alloc(primeBytes, 0xab);
  p[0] = 0xc3;
  return hs(
    12,
    cat(
      u16(p.length),
      p,
      u16(1),
      Buffer.from([2]),
      u16(p.length),
      Buffer.alloc(p.length, 5),
      u16(0x0401),
      u16(4),
      Buffer.alloc(4),
    ),
  );
}

const helloDone = () => hs(14, Buffer.alloc(0));

const CERT_A = Buffer.from('3082000a0102030405060708090a', 'hex');
const CERT_B = Buffer.from('30820003aabbcc', 'hex');

/** A TLS 1.2 DHE flight: ServerHello, Certificate (2), ServerKeyExchange (1024-bit p), ServerHelloDone. */
function dheFlightMessages(): Buffer {
  return cat(
    serverHello({ version: 0x0303, suite: 0x0033, extensions: [ext(0xff01, Buffer.from([0]))] }),
    certificate([CERT_A, CERT_B]),
    dheKeyExchange(128),
    helloDone(),
  );
}

function ssl2ServerHello(cert: Buffer, specs: number[]): Buffer {
  const specBytes = cat(...specs.map(u24));
  const connId = Buffer.alloc(16, 9);
  const msg = cat(
    Buffer.from([4, 0, 1]),
    u16(0x0002),
    u16(cert.length),
    u16(specBytes.length),
    u16(connId.length),
    cert,
    specBytes,
    connId,
  );
  return cat(u16(0x8000 | msg.length), msg);
}

/** Deterministic PRNG (mulberry32) so that the fuzz cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const want = { want: 'hello' } as const;
const keyExchange = { want: 'key-exchange' } as const;

describe('parseServerFlight', () => {
  it('asks for more on empty or partial input', () => {
    expect(parseServerFlight(Buffer.alloc(0), want)).toEqual({ state: 'need-more' });
    const full = record(22, 0x0303, serverHello({ version: 0x0303, suite: 0xc02f }));
    for (let n = 1; n < full.length; n++) {
      expect(parseServerFlight(full.subarray(0, n), want).state).toBe('need-more');
    }
    expect(parseServerFlight(full, want)).toEqual({
      state: 'hello',
      version: 'tls1.2',
      suite: 0xc02f,
      complete: true,
      compression: 0,
      extensions: [],
    });
  });

  it('reads the negotiated version from ServerHello.server_version for TLS ≤ 1.2', () => {
    for (const [wire, id] of [
      [0x0300, 'ssl3'],
      [0x0301, 'tls1.0'],
      [0x0302, 'tls1.1'],
      [0x0303, 'tls1.2'],
    ] as const) {
      const flight = record(22, 0x0301, serverHello({ version: wire, suite: 0x002f }));
      expect(parseServerFlight(flight, want)).toMatchObject({ state: 'hello', version: id, suite: 0x002f });
    }
  });

  it('reads TLS 1.3 from supported_versions and stops at ServerHello', () => {
    const flight = cat(
      record(
        22,
        0x0303,
        serverHello({
          version: 0x0303,
          suite: 0x1302,
          extensions: [supportedVersions(0x0304), ext(51, cat(u16(0x1d), u16(32), Buffer.alloc(32)))],
        }),
      ),
      record(20, 0x0303, Buffer.from([1])),
      record(23, 0x0303, Buffer.alloc(40)),
    );
    expect(parseServerFlight(flight, keyExchange)).toEqual({
      state: 'hello',
      version: 'tls1.3',
      suite: 0x1302,
      complete: true,
      compression: 0,
      extensions: [43, 51],
      group: 0x1d,
    });
  });

  it('treats a HelloRetryRequest as a TLS 1.3 acceptance', () => {
    const hrr = record(
      22,
      0x0303,
      serverHello({
        version: 0x0303,
        suite: 0x1301,
        random: HELLO_RETRY_REQUEST_RANDOM,
        extensions: [supportedVersions(0x0304), ext(51, u16(0x17))],
      }),
    );
    expect(parseServerFlight(hrr, want)).toMatchObject({ state: 'hello', version: 'tls1.3', suite: 0x1301 });
  });

  it('reports alerts with their names', () => {
    expect(parseServerFlight(record(21, 0x0303, Buffer.from([2, 40])), want)).toEqual({
      state: 'alert',
      level: 2,
      description: 40,
      descriptionName: 'handshake_failure',
    });
    expect(parseServerFlight(record(21, 0x0301, Buffer.from([2, 70])), want)).toMatchObject({
      descriptionName: 'protocol_version',
    });
    expect(parseServerFlight(record(21, 0x0301, Buffer.from([2, 199])), want)).toMatchObject({
      descriptionName: 'alert_199',
    });
  });

  it('skips a warning alert (unrecognized_name) sent before ServerHello', () => {
    const flight = cat(
      record(21, 0x0301, Buffer.from([1, 112])),
      record(22, 0x0301, serverHello({ version: 0x0301, suite: 0x0005 })),
    );
    expect(parseServerFlight(flight, want)).toMatchObject({
      state: 'hello',
      version: 'tls1.0',
      suite: 0x0005,
    });
  });

  it('reads certificates and the DH prime size, however the messages are spread over records', () => {
    const messages = dheFlightMessages();
    const expected: ServerFlight = {
      state: 'hello',
      version: 'tls1.2',
      suite: 0x0033,
      certificates: [CERT_A, CERT_B],
      dhPrimeBits: 1024,
      complete: true,
      compression: 0,
      extensions: [0xff01], // renegotiation_info
    };
    // All messages in one record.
    expect(parseServerFlight(record(22, 0x0303, messages), keyExchange)).toEqual(expected);
    // Split into two records at every position: messages spanning records and records holding several.
    for (let cut = 1; cut < messages.length; cut++) {
      const flight = cat(
        record(22, 0x0303, messages.subarray(0, cut)),
        record(22, 0x0303, messages.subarray(cut)),
      );
      expect(parseServerFlight(flight, keyExchange)).toEqual(expected);
    }
    // One-byte records.
    const tiny = cat(...[...messages].map((b) => record(22, 0x0303, Buffer.from([b]))));
    expect(parseServerFlight(tiny, keyExchange)).toEqual(expected);
  });

  it('reports an incomplete key exchange while ServerHelloDone is missing, and stops at ServerHello when asked', () => {
    const messages = dheFlightMessages();
    const partial = record(22, 0x0303, messages.subarray(0, messages.length - 4));
    expect(parseServerFlight(partial, keyExchange)).toMatchObject({
      state: 'hello',
      complete: false,
      dhPrimeBits: 1024,
    });
    expect(parseServerFlight(partial, want)).toEqual({
      state: 'hello',
      version: 'tls1.2',
      suite: 0x0033,
      complete: true,
      compression: 0,
      extensions: [0xff01],
    });
  });

  it('ends the flight on an alert after ServerHello', () => {
    const flight = cat(
      record(22, 0x0303, serverHello({ version: 0x0303, suite: 0x0033 })),
      record(21, 0x0303, Buffer.from([2, 80])),
    );
    expect(parseServerFlight(flight, keyExchange)).toEqual({
      state: 'hello',
      version: 'tls1.2',
      suite: 0x0033,
      complete: true,
      compression: 0,
      extensions: [],
    });
  });

  it('reads an SSLv2 SERVER-HELLO and an SSLv2 ERROR', () => {
    const cert = Buffer.from('3082aaaa', 'hex');
    expect(parseServerFlight(ssl2ServerHello(cert, [0x0700c0, 0x010080]), keyExchange)).toEqual({
      state: 'hello',
      version: 'ssl2',
      suite: 0x0700c0,
      certificates: [cert],
      complete: true,
    });
    const full = ssl2ServerHello(cert, [0x010080]);
    expect(parseServerFlight(full.subarray(0, full.length - 1), want).state).toBe('need-more');
    expect(parseServerFlight(Buffer.from([0x80, 0x03, 0x00, 0x00, 0x01]), want)).toMatchObject({
      state: 'alert',
      description: 1,
      descriptionName: 'sslv2_no_cipher',
    });
  });

  it('says invalid, with a printable prefix, for non-TLS answers', () => {
    const http = parseServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), want);
    expect(http.state).toBe('invalid');
    expect(http.state === 'invalid' && http.detail).toContain('HTTP/1.1 400');
    const ssh = parseServerFlight(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'), want);
    expect(ssh.state === 'invalid' && ssh.detail).toContain('SSH-2.0-OpenSSH');
    const binary = parseServerFlight(Buffer.from([0x00, 0x01, 0xfe, 0x02]), want);
    expect(binary.state === 'invalid' && binary.detail).toContain('00 01 fe 02');
    expect(parseServerFlight(Buffer.from([0x17, 0x03, 0x03, 0x00, 0x01, 0x00]), want).state).toBe('invalid');
    expect(parseServerFlight(Buffer.from([0x16, 0x02, 0x00]), want).state).toBe('invalid');
  });

  it('rejects malformed handshakes', () => {
    const badSid = hs(2, cat(u16(0x0303), Buffer.alloc(32), Buffer.from([33]), Buffer.alloc(40)));
    expect(parseServerFlight(record(22, 0x0303, badSid), want).state).toBe('invalid');
    const badVersion = record(22, 0x0303, serverHello({ version: 0x0909, suite: 0x002f }));
    expect(parseServerFlight(badVersion, want).state).toBe('invalid');
    const certFirst = record(22, 0x0303, certificate([CERT_A]));
    expect(parseServerFlight(certFirst, want).state).toBe('invalid');
    const hugeRecord = cat(Buffer.from([22, 3, 3]), u16(0xffff));
    expect(parseServerFlight(hugeRecord, want).state).toBe('invalid');
    const hugeMessage = record(22, 0x0303, cat(Buffer.from([2]), u24(0xffffff)));
    expect(parseServerFlight(hugeMessage, want).state).toBe('invalid');
  });

  it('reads a Certificate message far beyond what OpenSSL accepts, up to the TLS limit', () => {
    /** Records of at most 16 KiB, as a server splits a large handshake. */
    const records = (messages: Buffer): Buffer =>
      cat(
        ...Array.from({ length: Math.ceil(messages.length / 16384) }, (_, i) =>
          record(22, 0x0303, messages.subarray(i * 16384, (i + 1) * 16384)),
        ),
      );
    // One certificate filling a Certificate message of the TLS maximum (2^24 − 1 bytes): OpenSSL,
    // and so Node, stop at 100 KiB of certificates.
    expect(MAX_CERTIFICATE_MESSAGE_BYTES).toBe(2 ** 24 - 1);
    const big = Buffer.alloc(MAX_CERTIFICATE_MESSAGE_BYTES - 6, 0x41);
    const flight = records(
      cat(serverHello({ version: 0x0303, suite: 0xc02f }), certificate([big]), helloDone()),
    );
    const reader = new ServerFlightReader(keyExchange);
    let last: ServerFlight = { state: 'need-more' };
    for (let i = 0; i < flight.length; i += 65536) last = reader.push(flight.subarray(i, i + 65536));
    expect(last).toMatchObject({ state: 'hello', complete: true });
    const certs = last.state === 'hello' ? (last.certificates ?? []) : [];
    expect(certs.map((c) => c.length)).toEqual([big.length]);
    expect(certs[0]?.equals(big)).toBe(true);

    // Only a Certificate message may be that large: a huge ServerHello is refused at once.
    const hugeHello = record(22, 0x0303, cat(Buffer.from([2]), u24(200 * 1024)));
    expect(parseServerFlight(hugeHello, keyExchange)).toMatchObject({ state: 'invalid' });
  });

  it('caps a key-exchange flight: small messages after the ServerHello stop at the cap', () => {
    const hello = record(22, 0x0303, serverHello({ version: 0x0303, suite: 0xc02f }));
    // Endless empty handshake messages of an unknown type (skipped one by one).
    const filler = record(22, 0x0303, Buffer.from(Array.from({ length: 4096 }, () => [99, 0, 0, 0]).flat()));
    const reader = new ServerFlightReader(keyExchange);
    let last = reader.push(hello);
    let sent = hello.length;
    while (!(last.state === 'hello' && last.complete) && sent < 2 * MAX_KEY_EXCHANGE_FLIGHT_BYTES) {
      last = reader.push(filler);
      sent += filler.length;
    }
    expect(last).toMatchObject({ state: 'hello', complete: true });
    expect(sent).toBeGreaterThan(MAX_KEY_EXCHANGE_FLIGHT_BYTES);
    expect(sent).toBeLessThanOrEqual(MAX_KEY_EXCHANGE_FLIGHT_BYTES + filler.length);
    // Before the ServerHello, the small cap holds whatever is wanted.
    const flood = new ServerFlightReader(keyExchange);
    const helloRequests = record(22, 0x0303, Buffer.alloc(16384));
    let before: ServerFlight = { state: 'need-more' };
    for (let i = 0; i * helloRequests.length <= 2 * MAX_FLIGHT_BYTES && before.state === 'need-more'; i++)
      before = flood.push(helloRequests);
    expect(before).toMatchObject({ state: 'invalid' });
  });

  it('gives up past the size cap instead of reading forever', () => {
    // Endless HelloRequests: each is harmless, together they never make a flight.
    const chunk = record(22, 0x0303, Buffer.alloc(16384));
    const flood = Buffer.concat(
      Array.from({ length: Math.ceil(MAX_FLIGHT_BYTES / chunk.length) + 2 }, () => chunk),
    );
    expect(parseServerFlight(flood.subarray(0, MAX_FLIGHT_BYTES - 100), want).state).toBe('need-more');
    const result = parseServerFlight(flood, want);
    expect(result.state).toBe('invalid');
  });

  it('reads byte-by-byte deliveries in linear time and keeps its final answer', () => {
    const reader = new ServerFlightReader(keyExchange);
    const flight = record(22, 0x0303, dheFlightMessages());
    const results = [...flight].map((b) => reader.push(Buffer.from([b])));
    expect(
      results.slice(0, -1).every((r) => r.state === 'need-more' || (r.state === 'hello' && !r.complete)),
    ).toBe(true);
    expect(results.at(-1)).toMatchObject({ state: 'hello', complete: true, dhPrimeBits: 1024 });
    expect(reader.push(Buffer.from('garbage'))).toMatchObject({ state: 'hello', complete: true });

    // A hostile trickle: 256 KiB of harmless records, one byte per push, must not cost quadratic work.
    const chunk = record(22, 0x0303, Buffer.alloc(16384));
    const trickle = new ServerFlightReader(want);
    const started = Date.now();
    let last: ServerFlight = { state: 'need-more' };
    for (let i = 0; i <= MAX_FLIGHT_BYTES && last.state === 'need-more'; i++) {
      last = trickle.push(chunk.subarray(i % chunk.length, (i % chunk.length) + 1));
    }
    expect(last.state).toBe('invalid');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('never throws on random, truncated or mutated input (fixed-seed fuzz)', () => {
    const rnd = prng(0x5eed);
    const byte = () => Math.floor(rnd() * 256);
    const seeds = [
      record(22, 0x0303, dheFlightMessages()),
      cat(
        record(
          22,
          0x0303,
          serverHello({ version: 0x0303, suite: 0x1301, extensions: [supportedVersions(0x0304)] }),
        ),
      ),
      ssl2ServerHello(Buffer.alloc(20, 1), [0x010080]),
      record(21, 0x0303, Buffer.from([2, 40])),
    ];
    const states = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      let input: Buffer;
      const mode = i % 4;
      if (mode === 0) {
        input = Buffer.from(Array.from({ length: Math.floor(rnd() * 300) }, byte));
        // Make random input look like TLS often enough to reach the inner parsers.
        if (input.length > 2 && rnd() < 0.5) {
          input[0] = [21, 22, 0x80][Math.floor(rnd() * 3)]!;
          input[1] = input[0] === 0x80 ? input[1]! : 3;
        }
      } else {
        const seed = seeds[Math.floor(rnd() * seeds.length)]!;
        input = Buffer.from(seed);
        if (mode === 1) input = input.subarray(0, Math.floor(rnd() * input.length));
        else {
          const flips = 1 + Math.floor(rnd() * 6);
          for (let f = 0; f < flips; f++) input[Math.floor(rnd() * input.length)] = byte();
          if (mode === 3) input = input.subarray(0, Math.floor(rnd() * input.length));
        }
      }
      for (const opts of [want, keyExchange]) {
        let result: ServerFlight | undefined;
        expect(() => {
          result = parseServerFlight(input, opts);
        }).not.toThrow();
        states.add(result!.state);
        if (result!.state === 'hello') expect(typeof result!.suite).toBe('number');
        // Fed in random pieces, the incremental reader ends on the same answer.
        const reader = new ServerFlightReader(opts);
        let last: ServerFlight = { state: 'need-more' };
        for (let off = 0; off < input.length;) {
          const n = 1 + Math.floor(rnd() * 40);
          last = reader.push(input.subarray(off, off + n));
          off += n;
        }
        // (An 'invalid' detail may quote fewer bytes: it is decided on the first piece.)
        if (input.length > 0 && result!.state === 'invalid') expect(last.state).toBe('invalid');
        else if (input.length > 0) expect(last).toEqual(result);
      }
    }
    // The fuzz reached every outcome, not just the first-byte check.
    expect([...states].sort()).toEqual(['alert', 'hello', 'invalid', 'need-more']);
  });
});
