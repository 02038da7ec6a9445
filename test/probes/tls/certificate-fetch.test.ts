import { once } from 'node:events';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { connect, createServer, type TlsOptions } from 'node:tls';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCa, issueLeaf, pemChain, type Issued } from '../../../src/demo/pki.js';
import { analyseChain } from '../../../src/probes/tls/certificate-analysis.js';
import { fetchCertificateChain, reasonOf } from '../../../src/probes/tls/certificate-fetch.js';
import { listenForTest } from '../../helpers/listen.js';
import { HANG_BOUND_MS, UNREACHED_TIMEOUT_MS } from '../../helpers/bounds.js';

/** Never reached by the tests that use it: those that time out give their own. */
const TIMEOUT_MS = UNREACHED_TIMEOUT_MS;

const listen = listenForTest;

/** A TLS server; `servernames` lists the SNI names clients sent (nothing for a client without SNI). */
async function startTls(options: TlsOptions): Promise<{ port: number; servernames: string[] }> {
  const servernames: string[] = [];
  const server = createServer({
    ...options,
    // The client may close as soon as it has the certificates, before the server's handshake ends:
    // SNI is recorded when it arrives, not on 'secureConnection'.
    SNICallback: (name, cb) => {
      servernames.push(name);
      cb(null);
    },
  });
  server.on('tlsClientError', () => {
    // Handshake failures and early closes are part of these tests.
  });
  return { port: await listen(server), servernames };
}

describe('fetchCertificateChain', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;

  beforeAll(async () => {
    root = await createCa({ commonName: 'Fetch Root' });
    intermediate = await createCa({ commonName: 'Fetch Intermediate', issuer: root });
    leaf = await issueLeaf({
      commonName: 'localhost',
      ipAddresses: ['127.0.0.1'],
      dnsNames: ['localhost'],
      issuer: intermediate,
    });
  });

  it('returns the certificates the server sends, leaf first, with SNI', async () => {
    const { port, servernames } = await startTls({ key: leaf.keyPem, cert: pemChain(leaf, intermediate) });
    const outcome = await fetchCertificateChain(
      { host: 'localhost', address: '127.0.0.1', port },
      { timeoutMs: TIMEOUT_MS },
    );
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    expect(outcome.value.map((d) => d.toString('base64'))).toEqual(
      [leaf.der, intermediate.der].map((d) => d.toString('base64')),
    );
    expect(servernames).toEqual(['localhost']);
    const obs = analyseChain(outcome.value, { checkedName: 'localhost', trustAnchors: [root.cert] });
    expect(obs.trust.status).toBe('trusted');
    expect(obs.nameMatches).toBe(true);
  });

  it('does not send SNI for an IP literal, and takes serverName when given', async () => {
    const { port, servernames } = await startTls({ key: leaf.keyPem, cert: pemChain(leaf, intermediate) });
    const byIp = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(byIp.status).toBe('observed');
    const named = await fetchCertificateChain(
      { host: '127.0.0.1', port },
      { timeoutMs: TIMEOUT_MS, serverName: 'www.example.test' },
    );
    expect(named.status).toBe('observed');
    expect(servernames).toEqual(['www.example.test']);
  });

  it('returns only the leaf when the server omits the intermediate, even if the client store could complete it', async () => {
    const { port } = await startTls({ key: leaf.keyPem, cert: leaf.certPem });
    const outcome = await fetchCertificateChain(
      { host: 'localhost', address: '127.0.0.1', port },
      { timeoutMs: TIMEOUT_MS },
    );
    expect(outcome.status === 'observed' ? outcome.value.length : -1).toBe(1);
    if (outcome.status !== 'observed') return;
    const obs = analyseChain(outcome.value, {
      checkedName: 'localhost',
      trustAnchors: [root.cert, intermediate.cert],
    });
    expect(obs.trust.status).toBe('trusted');
    expect(obs.missingIssuer).toBe('CN=Fetch Intermediate');
  });

  it('why the store is left empty: Node appends store certificates the server did not send', async () => {
    const { port } = await startTls({ key: leaf.keyPem, cert: leaf.certPem });
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: [intermediate.certPem],
      rejectUnauthorized: false,
    });
    onTestFinished(() => {
      socket.destroy();
    });
    await once(socket, 'secureConnect', { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const peer = socket.getPeerCertificate(true);
    expect(peer.issuerCertificate.raw.equals(intermediate.der)).toBe(true);
  });

  it('returns a root the server sends', async () => {
    const { port } = await startTls({ key: leaf.keyPem, cert: pemChain(leaf, intermediate, root) });
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome.status === 'observed' ? outcome.value.length : -1).toBe(3);
  });

  it('observes an RSA-1024, SHA-1 signed certificate', async () => {
    const weak = await issueLeaf({
      commonName: 'localhost',
      issuer: intermediate,
      key: { type: 'rsa', bits: 1024 },
      signatureHash: 'SHA-1',
    });
    const { port } = await startTls({
      key: weak.keyPem,
      cert: pemChain(weak, intermediate),
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const outcome = await fetchCertificateChain(
      { host: 'localhost', address: '127.0.0.1', port },
      { timeoutMs: TIMEOUT_MS },
    );
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    const [facts] = analyseChain(outcome.value, {
      checkedName: 'localhost',
      trustAnchors: [root.cert],
    }).chain;
    expect(facts).toMatchObject({ keyType: 'rsa', keyBits: 1024, signatureHash: 'sha1' });
  });

  it('observes a self-signed EC certificate over TLS 1.0', async () => {
    const self = await issueLeaf({ commonName: 'localhost', key: { type: 'ec', curve: 'P-256' } });
    const { port } = await startTls({
      key: self.keyPem,
      cert: self.certPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const outcome = await fetchCertificateChain(
      { host: 'localhost', address: '127.0.0.1', port },
      { timeoutMs: TIMEOUT_MS },
    );
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    expect(outcome.value).toHaveLength(1);
    expect(analyseChain(outcome.value, { checkedName: 'localhost', trustAnchors: [] }).trust.status).toBe(
      'self-signed',
    );
  });

  it('times out within its bound on a server that never answers', async () => {
    const port = await listen(createNetServer(() => undefined));
    const started = Date.now();
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(outcome).toMatchObject({
      status: 'error',
      reason: 'timeout',
      detail: 'pas de négociation TLS complète en 300 ms',
    });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('reports a refused connection', async () => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'refused' });
  });

  it('reports a handshake failure when the server does not speak TLS', async () => {
    const port = await listen(
      createNetServer((s) => {
        s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      }),
    );
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'handshake-failed' });
  });

  it('reports a handshake failure on a TLS alert', async () => {
    // The server only accepts a suite family the client never offers in TLS 1.2.
    const { port } = await startTls({
      key: leaf.keyPem,
      cert: leaf.certPem,
      maxVersion: 'TLSv1.2',
      ciphers: 'aNULL:eNULL@SECLEVEL=0',
    });
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'handshake-failed' });
  });

  it('reports a reset when the server drops the connection', async () => {
    const port = await listen(
      createNetServer((s) => {
        s.resetAndDestroy();
      }),
    );
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'reset' });
  });

  it('closes its connection', async () => {
    let opened = 0;
    let closed = 0;
    const server = createServer({ key: leaf.keyPem, cert: leaf.certPem });
    server.on('tlsClientError', () => undefined);
    server.on('connection', (s: Socket) => {
      opened += 1;
      s.on('close', () => {
        closed += 1;
      });
    });
    const port = await listen(server);
    const outcome = await fetchCertificateChain({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome.status).toBe('observed');
    const deadline = Date.now() + TIMEOUT_MS;
    while (closed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect([opened, closed]).toEqual([1, 1]);
  });
});

describe('reasonOf', () => {
  const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });

  it('maps socket and TLS error codes to reasons', () => {
    expect(reasonOf(err('ECONNREFUSED'))).toBe('refused');
    expect(reasonOf(err('ENOTFOUND'))).toBe('dns');
    expect(reasonOf(err('EAI_AGAIN'))).toBe('dns');
    expect(reasonOf(err('ETIMEDOUT'))).toBe('timeout');
    expect(reasonOf(err('ECONNRESET'))).toBe('reset');
    expect(reasonOf(err('EHOSTUNREACH'))).toBe('unreachable');
    expect(reasonOf(err('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe('handshake-failed');
    expect(reasonOf(err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'))).toBe('handshake-failed');
    expect(reasonOf(err('EPROTO', 'tlsv1 alert protocol version'))).toBe('handshake-failed');
    expect(reasonOf(err('EWHATEVER', 'something odd'))).toBe('protocol-error');
    expect(reasonOf('not an error')).toBe('protocol-error');
  });
});
