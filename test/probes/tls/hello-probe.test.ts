import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startLegacyTlsServer, type LegacyTlsServerOptions } from '../../../src/demo/legacy-tls-server.js';
import type { HelloResult, TlsVersionId } from '../../../src/domain/tls.js';
import { suiteByCode, suitesOfClass } from '../../../src/domain/cipher-suites.js';
import { sendHello, type HelloRequest } from '../../../src/probes/tls/index.js';
import { HANG_BOUND_MS, UNREACHED_TIMEOUT_MS } from '../../helpers/bounds.js';

/** Never reached by the tests that use it: those that time out give their own. */
const TIMEOUT_MS = UNREACHED_TIMEOUT_MS;

let dir: string;
let keyPem: Buffer;
let certPem: Buffer;
let certDer: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-hello-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '2',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  keyPem = readFileSync(join(dir, 'key.pem'));
  certPem = readFileSync(join(dir, 'cert.pem'));
  certDer = new X509Certificate(certPem).raw;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function legacy(opts: LegacyTlsServerOptions): Promise<number> {
  const server = await startLegacyTlsServer(opts);
  onTestFinished(() => server.close());
  return server.port;
}

/** A real OpenSSL server (Node's tls) on loopback. */
async function openssl(options: tls.TlsOptions): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: keyPem, cert: certPem, ...options }, (s) => s.end());
  server.on('tlsClientError', () => undefined);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

function hello(port: number, req: Partial<HelloRequest> & { version: TlsVersionId }, timeoutMs = TIMEOUT_MS) {
  return sendHello(
    { host: 'localhost', address: '127.0.0.1', port },
    { suites: [], want: 'hello', serverName: 'localhost', ...req },
    { timeoutMs },
  );
}

function accepted(r: HelloResult): Extract<HelloResult, { kind: 'accepted' }> {
  if (r.kind !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(r)}`);
  return r;
}

describe('sendHello against the legacy loopback server', () => {
  it('sees SSLv3 negotiated by an SSLv3-only server, even when the client offers up to TLS 1.2', async () => {
    const port = await legacy({ versions: ['ssl3'], suites: [0x0005, 0x000a], certificates: [certDer] });
    const r = accepted(
      await hello(port, { version: 'ssl3', suites: [0x000a, 0x0005], want: 'key-exchange' }),
    );
    expect(r).toMatchObject({ version: 'ssl3', suite: 0x0005, suiteName: 'TLS_RSA_WITH_RC4_128_SHA' });
    expect(r.certificates).toEqual([certDer]);
    // The version actually negotiated is reported, not the one offered.
    expect(await hello(port, { version: 'tls1.2', suites: [0x0005] })).toMatchObject({
      kind: 'accepted',
      version: 'ssl3',
    });
  });

  it('reports a protocol_version alert as a rejection', async () => {
    const port = await legacy({ versions: ['tls1.2'], suites: [0x002f] });
    expect(await hello(port, { version: 'tls1.1', suites: [0x002f] })).toEqual({
      kind: 'rejected',
      detail: 'fatal alert protocol_version (70)',
    });
  });

  it('sees TLS 1.0 negotiated by a TLS 1.0 + 1.2 server when the client is capped at TLS 1.1', async () => {
    const port = await legacy({ versions: ['tls1.0', 'tls1.2'], suites: [0x002f] });
    expect(await hello(port, { version: 'tls1.1', suites: [0x002f] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.0',
    });
    expect(await hello(port, { version: 'tls1.2', suites: [0x002f] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.2',
    });
    expect(await hello(port, { version: 'tls1.0', suites: [0x002f] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.0',
    });
    expect(await hello(port, { version: 'ssl3', suites: [0x002f] })).toMatchObject({ kind: 'rejected' });
  });

  it('detects RC4, 3DES and EXPORT suites by class', async () => {
    const rc4 = await legacy({ versions: ['tls1.2'], suites: [0x0005] });
    expect(await hello(rc4, { version: 'tls1.2', suites: suitesOfClass('rc4', 'tls1.2') })).toMatchObject({
      kind: 'accepted',
      suite: 0x0005,
      suiteName: 'TLS_RSA_WITH_RC4_128_SHA',
    });
    expect(await hello(rc4, { version: 'tls1.2', suites: suitesOfClass('3des', 'tls1.2') })).toMatchObject({
      kind: 'rejected',
    });

    const des3 = await legacy({ versions: ['tls1.0'], suites: [0xc02f, 0x000a] });
    expect(await hello(des3, { version: 'tls1.0', suites: suitesOfClass('3des', 'tls1.0') })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.0',
      suite: 0x000a,
    });

    const exp = await legacy({
      versions: ['ssl3', 'tls1.0'],
      suites: [0x002f, 0x0014, 0x0003],
      certificates: [certDer],
    });
    const r = accepted(
      await hello(exp, {
        version: 'tls1.0',
        suites: suitesOfClass('export', 'tls1.0'),
        want: 'key-exchange',
      }),
    );
    expect(r.suite).toBe(0x0014);
    expect(suiteByCode(r.suite)?.export).toBe(true);
    expect(r.dhPrimeBits).toBe(512);
  });

  it('reads a 1024-bit DHE prime and the certificate chain from the key exchange', async () => {
    const port = await legacy({
      versions: ['tls1.2'],
      suites: [0x009e, 0x0033],
      certificates: [certDer, certDer],
      dhPrimeBits: 1024,
    });
    const r = accepted(
      await hello(port, { version: 'tls1.2', suites: suitesOfClass('dhe', 'tls1.2'), want: 'key-exchange' }),
    );
    expect(r).toMatchObject({ version: 'tls1.2', suite: 0x009e, dhPrimeBits: 1024 });
    expect(r.certificates).toEqual([certDer, certDer]);
    // With want 'hello' nothing past ServerHello is read.
    const h = accepted(await hello(port, { version: 'tls1.2', suites: [0x0033] }));
    expect(h.dhPrimeBits).toBeUndefined();
  });

  it('reports a handshake_failure alert as a rejection', async () => {
    const port = await legacy({ versions: ['tls1.2'], suites: [0xc02f] });
    expect(await hello(port, { version: 'tls1.2', suites: suitesOfClass('rc4', 'tls1.2') })).toEqual({
      kind: 'rejected',
      detail: 'fatal alert handshake_failure (40)',
    });
  });

  it('speaks SSLv2 with an SSLv2 server, and counts a TLS-only server closing on it as a rejection', async () => {
    const v2 = await legacy({ versions: ['ssl2'], suites: [0x010080, 0x0700c0], certificates: [certDer] });
    const r = accepted(await hello(v2, { version: 'ssl2', suites: suitesOfClass('3des', 'ssl2') }));
    expect(r).toMatchObject({
      version: 'ssl2',
      suite: 0x0700c0,
      suiteName: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
    });
    expect(r.certificates).toEqual([certDer]);
    expect(await hello(v2, { version: 'ssl2', suites: suitesOfClass('export', 'ssl2') })).toMatchObject({
      kind: 'rejected',
      detail: expect.stringContaining('sslv2_no_cipher') as unknown,
    });
    const tlsOnly = await legacy({ versions: ['tls1.2'], suites: [0x002f] });
    expect(await hello(tlsOnly, { version: 'ssl2', suites: suitesOfClass('rc4', 'ssl2') })).toMatchObject({
      kind: 'rejected',
    });
  });

  it('sees TLS 1.3 negotiated through supported_versions', async () => {
    const port = await legacy({ versions: ['tls1.2', 'tls1.3'], suites: [0x1302, 0xc02f] });
    expect(await hello(port, { version: 'tls1.3', suites: suitesOfClass('aead', 'tls1.3') })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.3',
      suite: 0x1302,
    });
    expect(await hello(port, { version: 'tls1.2', suites: [0xc02f] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.2',
    });
  });

  it.each([
    ['silent', 'timeout'],
    ['garbage', 'protocol-error'],
    ['flood', 'protocol-error'],
    ['http', 'protocol-error'],
  ] as const)('copes with a %s server within its timeout', async (behaviour, reason) => {
    const port = await legacy({ versions: ['tls1.2'], suites: [0x002f], behaviour });
    const started = Date.now();
    const r = await hello(port, { version: 'tls1.2', suites: [0x002f], want: 'key-exchange' }, 500);
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(r).toMatchObject({ kind: 'error', reason });
    if (behaviour === 'silent')
      expect(r.kind === 'error' && r.detail).toBe('no answer to ClientHello within 500 ms');
    if (behaviour === 'http') expect(r.kind === 'error' && r.detail).toContain('HTTP/1.1 400');
  });

  it('copes with a server resetting every connection', async () => {
    const port = await legacy({ versions: ['tls1.2'], suites: [0x002f], behaviour: 'reset' });
    const started = Date.now();
    const r = await hello(port, { version: 'tls1.2', suites: [0x002f] }, 500);
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
    // The RST usually beats the connect callback on loopback ('reset'); when our hello got out first,
    // it reads as the server refusing it.
    if (r.kind === 'error') expect(r.reason).toBe('reset');
    else expect(r).toEqual({ kind: 'rejected', detail: 'connection reset after ClientHello' });
  });
});

describe('sendHello against real OpenSSL (node:tls)', () => {
  it('is answered TLS 1.2 and TLS 1.3 by a modern server, with the certificate', async () => {
    const port = await openssl({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    const r12 = accepted(
      await hello(port, { version: 'tls1.2', suites: suitesOfClass('aead', 'tls1.2'), want: 'key-exchange' }),
    );
    expect(r12.version).toBe('tls1.2');
    expect(suiteByCode(r12.suite)?.aead).toBe(true);
    expect(r12.certificates?.[0]).toEqual(certDer);
    const r13 = accepted(
      await hello(port, { version: 'tls1.3', suites: suitesOfClass('aead', 'tls1.3'), want: 'key-exchange' }),
    );
    expect(r13.version).toBe('tls1.3');
    expect([0x1301, 0x1302, 0x1303]).toContain(r13.suite);
  });

  it('is answered TLS 1.0 by a server allowing it', async () => {
    const port = await openssl({ minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT@SECLEVEL=0' });
    const r = accepted(
      await hello(port, { version: 'tls1.0', suites: suitesOfClass('static-rsa', 'tls1.0') }),
    );
    expect(r.version).toBe('tls1.0');
    expect(suiteByCode(r.suite)?.kex).toBe('RSA');
    expect(await hello(port, { version: 'tls1.0', suites: [0xc013] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.0',
      suite: 0xc013,
    });
  });

  it('is refused a TLS 1.1-capped hello by a TLS 1.2-only server', async () => {
    const port = await openssl({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    expect(await hello(port, { version: 'tls1.1', suites: [0xc013, 0x002f] })).toMatchObject({
      kind: 'rejected',
      detail: expect.stringContaining('protocol_version') as unknown,
    });
    expect(await hello(port, { version: 'tls1.2', suites: [0xc013, 0x002f] })).toMatchObject({
      kind: 'accepted',
      version: 'tls1.2',
    });
  });

  it('is refused AEAD and RC4 suites by a CBC-only server', async () => {
    const port = await openssl({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:ECDHE-RSA-AES128-SHA' });
    expect(await hello(port, { version: 'tls1.2', suites: suitesOfClass('aead', 'tls1.2') })).toMatchObject({
      kind: 'rejected',
      detail: expect.stringContaining('handshake_failure') as unknown,
    });
    expect(await hello(port, { version: 'tls1.2', suites: suitesOfClass('rc4', 'tls1.2') })).toMatchObject({
      kind: 'rejected',
    });
    const cbc = accepted(await hello(port, { version: 'tls1.2', suites: [0xc02f, 0xc013, 0x002f] }));
    expect(cbc.suite === 0xc013 || cbc.suite === 0x002f).toBe(true);
  });
});

describe('sendHello connection errors', () => {
  it('reports a closed port as refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await hello(port, { version: 'tls1.2', suites: [0x002f] });
    expect(r).toMatchObject({ kind: 'error', reason: 'refused' });
  });

  it('reports an invalid port as an internal error instead of throwing', async () => {
    const r = await hello(70_000, { version: 'tls1.2', suites: [0x002f] });
    expect(r).toMatchObject({ kind: 'error', reason: 'internal' });
  });
});
