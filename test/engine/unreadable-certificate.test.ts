import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { observed } from '../../src/domain/index.js';
import { planEndpoints, runScan } from '../../src/engine/index.js';
import { opensslSelfSigned, UNDECODABLE_SAN } from '../helpers/openssl-cert.js';

const HOST = 'san-illisible.vigie.test';

/** An HTTPS server on 127.0.0.1 whose certificate (made by OpenSSL) has a subjectAltName that does not decode. */
async function serverWithUnreadableCertificate(): Promise<number> {
  const cert = opensslSelfSigned(HOST, [UNDECODABLE_SAN]);
  const server = https.createServer(
    { key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1.2' },
    (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'strict-transport-security': 'max-age=63072000',
      });
      res.end('<!doctype html><p>portail</p>');
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('an endpoint whose certificate cannot be read', () => {
  it('is still assessed: protocols and HTTP are checked, the certificate checks are errors, never passes', async () => {
    const port = await serverWithUnreadableCertificate();
    const plan = planEndpoints([{ host: HOST, port }], {
      categories: ['tls', 'http'],
      services: [],
      customChecks: [],
      adHoc: true,
    });
    const r = await runScan(plan, {
      timeoutMs: 3000,
      concurrency: 4,
      trustAnchors: [],
      now: () => new Date(),
      expiryDays: 30,
      resolve: async () => observed('127.0.0.1'),
    });
    const endpoint = r.endpoints[0]!;
    expect(endpoint.status).toBe('assessed');
    // TLS protocols were observed: TLS 1.0 refused (pass), TLS 1.3 negotiated (pass).
    expect(endpoint.checks['tls.protocol.tls10']).toBe('pass');
    expect(endpoint.checks['tls.protocol.no-tls13']).toBe('pass');
    // Nothing can be said of the certificate: neither a pass (a name check would fall back to the CN)
    // nor an invented finding.
    for (const id of ['tls.cert.hostname-mismatch', 'tls.cert.self-signed', 'tls.cert.expired']) {
      expect(endpoint.checks[id]).toBe('error');
    }
    expect(r.findings.filter((f) => f.checkId.startsWith('tls.cert.'))).toEqual([]);
    // The page was read: its headers are assessed.
    expect(endpoint.checks['http.hsts.missing']).toBe('pass');
    expect(endpoint.checks['http.xcto.missing']).toBe('fail');
  });
});
