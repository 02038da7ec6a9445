import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseClientHello } from '../../../src/demo/client-hello-parser.js';
import type { TlsVersionId } from '../../../src/domain/tls.js';
import { enumerateTls, sendHello, type EnumerationHello } from '../../../src/probes/tls/index.js';
import { opensslServer } from '../../helpers/openssl-cli.js';

/*
 * The enumeration faces servers whose configuration is known from outside the probe: OpenSSL's
 * s_server with the suites and groups it is told, and a raw loopback server (hand-written bytes,
 * the demo's independent ClientHello parser) for the post-quantum hybrid OpenSSL 3.0 cannot serve.
 */

let dir: string;
let keyFile: string;
let certFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-enum-'));
  keyFile = join(dir, 'key.pem');
  certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2'].concat([
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    { stdio: 'ignore', timeout: 20_000 },
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const helloTo =
  (port: number): EnumerationHello =>
  (version, suites, extra) =>
    sendHello(
      { host: 'localhost', address: '127.0.0.1', port },
      { version, suites, want: extra.want ?? 'hello', ...extra },
      { timeoutMs: 5000 },
    );

const enumerate = (port: number, accepted: TlsVersionId[], budget?: number) =>
  enumerateTls(helloTo(port), { accepted, timeBoundMs: 20_000, ...(budget ? { budget } : {}) });

describe('enumerateTls against openssl s_server', () => {
  const server = (args: string[]) => opensslServer(['-cert', certFile, '-key', keyFile, ...args]);

  it('lists the configured TLS 1.2 suites in the server’s order, its TLS 1.3 suites and groups', async () => {
    const port = await server([
      '-serverpref',
      '-cipher',
      'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA',
      '-ciphersuites',
      'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      '-groups',
      'P-384:X25519',
      '-no_comp',
    ]);
    const e = await enumerate(port, ['tls1.2', 'tls1.3']);
    expect(e.versions['tls1.2']).toEqual({
      suites: [
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_128_CBC_SHA',
      ],
      serverOrder: true,
    });
    expect(new Set(e.versions['tls1.3']?.suites)).toEqual(
      new Set(['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']),
    );
    expect(e.groups).toEqual(['secp384r1', 'x25519']);
    expect(e.groupsVersion).toBe('tls1.3');
    expect(e.postQuantum).toBe(false);
    expect(e.compression).toBe(false);
    expect(e.secureRenegotiation).toBe(true);
    expect(e.ocspStapling).toBe(false);
    expect(e.truncated).toBe(false);
    expect(e.handshakes).toBeLessThanOrEqual(20);
  }, 60_000);

  it('sees the client’s order honoured when the server has none, and ECDHE curves of a TLS 1.2-only server', async () => {
    const port = await server([
      '-tls1_2',
      '-cipher',
      'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256',
      '-groups',
      'P-256:P-521',
    ]);
    const e = await enumerate(port, ['tls1.2']);
    expect(e.versions['tls1.2']?.serverOrder).toBe(false);
    expect(new Set(e.groups)).toEqual(new Set(['secp256r1', 'secp521r1']));
    expect(e.groupsVersion).toBe('tls1.2');
    expect(e.postQuantum).toBe(false);
  }, 60_000);

  it('stops at its handshake budget and says so', async () => {
    const port = await server([
      '-cipher',
      'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA',
    ]);
    const e = await enumerate(port, ['tls1.2', 'tls1.3'], 3);
    expect(e.handshakes).toBe(3);
    expect(e.truncated).toBe(true);
  }, 60_000);
});

/** TLS 1.3 HelloRetryRequest naming `group`, written out by hand (RFC 8446 §4.1.3, §4.2.8). */
function helloRetryRequest(sessionId: Buffer, suite: number, group: number): Buffer {
  const hrrRandom = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
  const exts = Buffer.from([
    0x00,
    0x2b,
    0x00,
    0x02,
    0x03,
    0x04,
    0x00,
    0x33,
    0x00,
    0x02,
    group >> 8,
    group & 0xff,
  ]);
  const body = Buffer.concat([
    Buffer.from([0x03, 0x03]),
    hrrRandom,
    Buffer.from([sessionId.length]),
    sessionId,
    Buffer.from([suite >> 8, suite & 0xff, 0x00, exts.length >> 8, exts.length & 0xff]),
    exts,
  ]);
  const msg = Buffer.concat([Buffer.from([0x02, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x03, msg.length >> 8, msg.length & 0xff]), msg]);
}

/** A TLS 1.3 server that only knows `groups` (in its order) and answers each hello with a HelloRetryRequest. */
async function rawGroupServer(groups: number[]): Promise<number> {
  const server = net.createServer((socket) => {
    let data = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const parsed = parseClientHello(data);
      if (parsed.state === 'need-more') return;
      if (parsed.state !== 'hello' || parsed.hello.format !== 'tls') return void socket.destroy();
      const offered = parsed.hello.supportedGroups ?? [];
      const group = groups.find((g) => offered.includes(g));
      if (group === undefined) return void socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40]));
      socket.end(helloRetryRequest(parsed.hello.sessionId, 0x1301, group));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('enumerateTls and the post-quantum hybrid', () => {
  it('finds X25519MLKEM768 first when the server prefers it', async () => {
    const port = await rawGroupServer([0x11ec, 0x001d, 0x0017]);
    const e = await enumerate(port, ['tls1.3']);
    expect(e.groups).toEqual(['X25519MLKEM768', 'x25519', 'secp256r1']);
    expect(e.postQuantum).toBe(true);
  }, 30_000);

  it('reports no hybrid when the server has only classical groups', async () => {
    const port = await rawGroupServer([0x001d]);
    const e = await enumerate(port, ['tls1.3']);
    expect(e.groups).toEqual(['x25519']);
    expect(e.postQuantum).toBe(false);
  }, 30_000);
});
