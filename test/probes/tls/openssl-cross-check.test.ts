import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseClientHello } from '../../../src/demo/client-hello-parser.js';
import { startLegacyTlsServer, type LegacyTlsServerOptions } from '../../../src/demo/legacy-tls-server.js';
import type { HelloResult, TlsVersionId } from '../../../src/domain/tls.js';
import { sendHello, type HelloRequest } from '../../../src/probes/tls/index.js';
import { UNREACHED_TIMEOUT_MS } from '../../helpers/bounds.js';
import {
  captureFirstFlight,
  opensslClient,
  opensslServer,
  opensslVersion,
  traceHello,
  traceMessage,
} from '../../helpers/openssl-cli.js';

/*
 * The legacy loopback server and the probe are written with the same byte helpers and version
 * table, so a mistake shared by both would pass their own tests. Here each side faces OpenSSL
 * instead (Debian's OpenSSL 3 command-line tool): its client's ClientHellos against the legacy
 * server's parser, its `-trace` reading of the legacy server's flights, and its server's flights
 * against the probe's reader. What OpenSSL 3 can no longer speak (SSLv2, SSLv3) is checked against
 * byte vectors in test/fixtures/tls (server-hello-vectors.test.ts).
 */

let dir: string;
let certPem: string;
let certDer: Buffer;
let keyFile: string;
let certFile: string;
let dhFile: string;

beforeAll(() => {
  expect(opensslVersion()).toMatch(/^OpenSSL 3\./);
  dir = mkdtempSync(join(tmpdir(), 'vigie-openssl-'));
  keyFile = join(dir, 'key.pem');
  certFile = join(dir, 'cert.pem');
  dhFile = join(dir, 'dh1024.pem');
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 20_000 });
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2'].concat([
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
  );
  // The 1024-bit MODP group of RFC 5114 §2.1: a known, small DH prime, without a slow generation.
  run(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_rfc5114:1', '-out', dhFile]);
  certPem = readFileSync(certFile, 'utf8');
  certDer = new X509Certificate(certPem).raw;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function legacy(opts: LegacyTlsServerOptions): Promise<number> {
  const server = await startLegacyTlsServer(opts);
  onTestFinished(() => server.close());
  return server.port;
}

/** A whole ClientHello (TLS records) has arrived. */
const wholeHello = (b: Buffer): boolean => parseClientHello(b).state !== 'need-more';

const OPENSSL_VERSION_FLAG: Record<'tls1.0' | 'tls1.1' | 'tls1.2' | 'tls1.3', string> = {
  'tls1.0': '-tls1',
  'tls1.1': '-tls1_1',
  'tls1.2': '-tls1_2',
  'tls1.3': '-tls1_3',
};
const WIRE = { 'tls1.0': 0x0301, 'tls1.1': 0x0302, 'tls1.2': 0x0303, 'tls1.3': 0x0303 } as const;

describe('the legacy server’s ClientHello parser, on what OpenSSL’s client sends', () => {
  it.each(['tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'] as const)(
    'reads an OpenSSL %s ClientHello as OpenSSL’s own trace describes it',
    async (version) => {
      const capture = await captureFirstFlight(wholeHello);
      const trace = await opensslClient(
        capture.port,
        [OPENSSL_VERSION_FLAG[version], '-cipher', 'ALL@SECLEVEL=0', '-servername', 'www.exemple.test'],
        /Sent Record[\s\S]*Level=fatal.*\n|unexpected eof|errno/,
      );
      const parsed = parseClientHello(await capture.bytes);
      expect(parsed.state, trace).toBe('hello');
      if (parsed.state !== 'hello' || parsed.hello.format !== 'tls') return;
      const hello = parsed.hello;
      const told = traceHello(traceMessage(trace, 'Sent', 'ClientHello'));
      expect(told.suites.length).toBeGreaterThan(0);
      expect(hello.clientVersion).toBe(WIRE[version]);
      expect(hello.clientVersion).toBe(told.version);
      expect(hello.cipherSuites).toEqual(told.suites);
      expect(hello.extensions.map((e) => e.type)).toEqual(told.extensions);
      expect(hello.serverName).toBe('www.exemple.test');
      expect(told.serverName).toBe('www.exemple.test');
      expect(hello.supportedGroups).toEqual(told.groups);
      if (version === 'tls1.3') {
        expect(hello.supportedVersions).toEqual(told.supportedVersions);
        expect(hello.supportedVersions).toContain(0x0304);
        expect(hello.keyShares?.map((k) => k.group)).toEqual(told.keyShareGroups);
        expect(hello.keyShares?.[0]?.key.length).toBe(32); // x25519
      } else {
        expect(hello.supportedVersions).toBeUndefined();
        expect(told.supportedVersions).toEqual([]);
      }
    },
  );
});

describe('the legacy server’s flights, as OpenSSL’s client reads them', () => {
  it.each(['tls1.0', 'tls1.1', 'tls1.2'] as const)(
    '%s, static RSA: ServerHello, Certificate and ServerHelloDone accepted (OpenSSL sends its key exchange)',
    async (version) => {
      const port = await legacy({ versions: [version], suites: [0x002f], certificates: [certDer] });
      const trace = await opensslClient(
        port,
        [OPENSSL_VERSION_FLAG[version], '-cipher', 'AES128-SHA@SECLEVEL=0'],
        /ClientKeyExchange, Length=\d+\n/,
      );
      const serverHello = traceMessage(trace, 'Received', 'ServerHello');
      expect(traceHello(serverHello)).toMatchObject({
        version: WIRE[version],
        suites: [0x002f],
        sessionIdLength: 32,
        extensions: [0xff01], // renegotiation_info, the client having offered the SCSV
      });
      expect(traceMessage(trace, 'Received', 'Certificate')).toContain(`ASN.1Cert, length=${certDer.length}`);
      expect(traceMessage(trace, 'Received', 'ServerHelloDone')).not.toBe('');
      expect(traceMessage(trace, 'Sent', 'ClientKeyExchange')).not.toBe('');
      expect(trace).not.toMatch(/Level=fatal/);
    },
  );

  it('DHE (TLS 1.2): OpenSSL decodes p, g and Ys of the size asked, then refuses only the dummy signature', async () => {
    const port = await legacy({
      versions: ['tls1.2'],
      suites: [0x0033],
      certificates: [certDer],
      dhPrimeBits: 1024,
    });
    const trace = await opensslClient(
      port,
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-SHA@SECLEVEL=0'],
      /Level=fatal.*\n/,
    );
    const ske = traceMessage(trace, 'Received', 'ServerKeyExchange');
    expect(ske).toMatch(/KeyExchangeAlgorithm=DHE/);
    expect(ske).toMatch(/dh_p \(len=128\): [89A-F]/); // 1024 bits, top bit set
    expect(ske).toMatch(/dh_g \(len=1\): 02/);
    expect(ske).toMatch(/dh_Ys \(len=128\)/);
    expect(ske).toMatch(/Signature Algorithm: rsa_pkcs1_sha256 \(0x0401\)/);
    expect(ske).toMatch(/Signature \(len=256\)/);
    // A malformed message would be a decode_error; a well-formed one with a wrong signature is this.
    expect(trace).toMatch(/Level=fatal\(2\), description=decrypt error\(51\)/);
  });

  it('ECDHE (TLS 1.0): OpenSSL decodes the x25519 point and the signature without algorithm, then refuses only the signature', async () => {
    const port = await legacy({ versions: ['tls1.0'], suites: [0xc013], certificates: [certDer] });
    const trace = await opensslClient(
      port,
      ['-tls1', '-cipher', 'ECDHE-RSA-AES128-SHA@SECLEVEL=0'],
      /Level=fatal.*\n/,
    );
    const ske = traceMessage(trace, 'Received', 'ServerKeyExchange');
    expect(ske).toMatch(/KeyExchangeAlgorithm=ECDHE/);
    expect(ske).toMatch(/named_curve: ecdh_x25519 \(29\)/);
    expect(ske).toMatch(/point \(len=32\)/);
    expect(ske).not.toMatch(/Signature Algorithm/);
    expect(ske).toMatch(/Signature \(len=256\)/);
    expect(trace).toMatch(/Level=fatal\(2\), description=decrypt error\(51\)/);
  });

  it('TLS 1.3: OpenSSL reads the ServerHello (echoed session id, x25519 share) and the compatibility ChangeCipherSpec', async () => {
    const port = await legacy({ versions: ['tls1.3'], suites: [0x1301] });
    const trace = await opensslClient(port, ['-tls1_3'], /Received Record[\s\S]*ChangeCipherSpec \(20\)\n/);
    const sent = traceHello(traceMessage(trace, 'Sent', 'ClientHello'));
    const serverHello = traceMessage(trace, 'Received', 'ServerHello');
    expect(traceHello(serverHello)).toMatchObject({
      version: 0x0303,
      suites: [0x1301],
      supportedVersions: [0x0304],
      keyShareGroups: [29],
      sessionIdLength: sent.sessionIdLength,
    });
    expect(serverHello).toMatch(/key_exchange: {2}\(len=32\)/);
    expect(trace).not.toMatch(/Level=fatal/);
  });

  it('TLS 1.3 HelloRetryRequest: OpenSSL, whose first share is P-256, sends a second ClientHello with an x25519 share', async () => {
    const port = await legacy({ versions: ['tls1.3'], suites: [0x1301] });
    const trace = await opensslClient(
      port,
      ['-tls1_3', '-groups', 'P-256:X25519'],
      /ClientHello[\s\S]*ClientHello[\s\S]*NamedGroup.*\n/,
    );
    const first = traceHello(traceMessage(trace, 'Sent', 'ClientHello', 0));
    const retry = traceMessage(trace, 'Received', 'ServerHello');
    const second = traceHello(traceMessage(trace, 'Sent', 'ClientHello', 1));
    expect(first.keyShareGroups).toEqual([23]);
    // The random of a HelloRetryRequest (RFC 8446 §4.1.3), past the 4 bytes OpenSSL prints as a time.
    expect(traceHello(retry)).toMatchObject({
      randomTail: 'E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C',
      supportedVersions: [0x0304],
      keyShareGroups: [29],
    });
    expect(retry).toMatch(/extension_type=key_share\(51\), length=2\n/);
    expect(second.keyShareGroups).toEqual([29]);
    expect(trace).not.toMatch(/Level=fatal/);
  });
});

function hello(port: number, req: Partial<HelloRequest> & { version: TlsVersionId }): Promise<HelloResult> {
  return sendHello(
    { host: 'localhost', address: '127.0.0.1', port },
    { suites: [], want: 'key-exchange', serverName: 'localhost', ...req },
    { timeoutMs: UNREACHED_TIMEOUT_MS },
  );
}

describe('the probe’s reader, on the flights of OpenSSL’s server (openssl s_server)', () => {
  const server = (args: string[]) => opensslServer(['-cert', certFile, '-key', keyFile, ...args]);

  it.each(['tls1.0', 'tls1.1'] as const)(
    'reads a %s-only server’s choice of version and suite',
    async (version) => {
      const port = await server([
        OPENSSL_VERSION_FLAG[version],
        '-cipher',
        'AES128-SHA:ECDHE-RSA-AES256-SHA@SECLEVEL=0',
      ]);
      const r = await hello(port, { version, suites: [0x002f] });
      expect(r).toMatchObject({ kind: 'accepted', version, suite: 0x002f, certificates: [certDer] });
      // Offered up to TLS 1.2, the server answers with its own version: the probe reports that one.
      expect(await hello(port, { version: 'tls1.2', suites: [0xc014] })).toMatchObject({
        kind: 'accepted',
        version,
        suite: 0xc014,
      });
    },
  );

  it('reads the DH prime size and the certificate of a DHE suite (RFC 5114 1024-bit group)', async () => {
    const port = await server(['-tls1_2', '-cipher', 'DHE-RSA-AES128-SHA@SECLEVEL=0', '-dhparam', dhFile]);
    const r = await hello(port, { version: 'tls1.2', suites: [0x0033] });
    expect(r).toMatchObject({ kind: 'accepted', version: 'tls1.2', suite: 0x0033, dhPrimeBits: 1024 });
    expect(r.kind === 'accepted' && r.certificates).toEqual([certDer]);
  });

  it('reads OpenSSL’s default DH group as 2048 bits', async () => {
    const port = await server(['-tls1_2', '-cipher', 'DHE-RSA-AES256-GCM-SHA384']);
    const r = await hello(port, { version: 'tls1.2', suites: [0x009f] });
    expect(r).toMatchObject({ kind: 'accepted', version: 'tls1.2', suite: 0x009f, dhPrimeBits: 2048 });
  });

  it('reads a TLS 1.3 HelloRetryRequest (server wants P-256, the probe offered an x25519 share) as TLS 1.3', async () => {
    const port = await server(['-tls1_3', '-groups', 'P-256']);
    const r = await hello(port, { version: 'tls1.3', suites: [0x1301, 0x1302], want: 'hello' });
    expect(r).toMatchObject({ kind: 'accepted', version: 'tls1.3', suite: 0x1301 });
  });
});
