import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCa, issueLeaf, pemChain, type Issued } from '../../src/demo/pki.js';
import { certificateSignatureAlgorithm } from '../../src/probes/tls/der.js';

const DAY = 86_400_000;

/** Handshake with a loopback server presenting `cert` (PEM chain), trusting `ca`. */
async function handshake(
  key: string,
  cert: string,
  ca: string,
  servername: string,
  serverCiphers?: string,
): Promise<{ authorized: boolean; error: string | null }> {
  const server = createServer({
    key,
    cert,
    ...(serverCiphers === undefined ? {} : { ciphers: serverCiphers }),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const socket = connect({
    host: '127.0.0.1',
    port,
    ca: [ca],
    servername,
    rejectUnauthorized: false,
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  onTestFinished(() => {
    socket.destroy();
  });
  await once(socket, 'secureConnect', { signal: AbortSignal.timeout(5000) });
  const error = socket.authorizationError;
  return { authorized: socket.authorized, error: error === null ? null : String(error) };
}

describe('pki', () => {
  let root: Issued;
  let intermediate: Issued;
  let leaf: Issued;

  beforeAll(async () => {
    root = await createCa({ commonName: 'Test Root', organization: 'Vigie' });
    intermediate = await createCa({ commonName: 'Test Intermediate', issuer: root });
    leaf = await issueLeaf({
      commonName: 'localhost',
      ipAddresses: ['127.0.0.1'],
      dnsNames: ['localhost'],
      issuer: intermediate,
    });
  });

  it('creates a self-signed root CA', () => {
    expect(root.cert.subject).toBe('O=Vigie\nCN=Test Root');
    expect(root.cert.issuer).toBe(root.cert.subject);
    expect(root.cert.ca).toBe(true);
    expect(root.cert.verify(root.cert.publicKey)).toBe(true);
    expect(root.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(root.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(root.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(root.der.equals(root.cert.raw)).toBe(true);
  });

  it('creates an intermediate signed by the root', () => {
    expect(intermediate.cert.issuer).toBe(root.cert.subject);
    expect(intermediate.cert.ca).toBe(true);
    expect(intermediate.cert.checkIssued(root.cert)).toBe(true);
    expect(intermediate.cert.verify(root.cert.publicKey)).toBe(true);
    expect(intermediate.cert.verify(intermediate.cert.publicKey)).toBe(false);
  });

  it('issues a server leaf with SAN, serverAuth, CA:false and default validity', () => {
    expect(leaf.cert.ca).toBe(false);
    expect(leaf.cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(leaf.cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.cert.checkIssued(intermediate.cert)).toBe(true);
    expect(leaf.cert.verify(intermediate.cert.publicKey)).toBe(true);
    const notBefore = new Date(leaf.cert.validFrom).getTime();
    const notAfter = new Date(leaf.cert.validTo).getTime();
    expect(Math.abs(notBefore - (Date.now() - DAY))).toBeLessThan(60_000);
    expect(Math.abs(notAfter - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
    expect(certificateSignatureAlgorithm(leaf.der)?.name).toBe('sha256WithRSAEncryption');
  });

  it('produces keys and chains a Node TLS server accepts, verifiable from the root', async () => {
    const result = await handshake(leaf.keyPem, pemChain(leaf, intermediate), root.certPem, 'localhost');
    expect(result).toEqual({ authorized: true, error: null });
  });

  it('defaults the SAN to the common name, as an IP SAN for an IP literal', async () => {
    const byName = await issueLeaf({ commonName: 'www.example.test', key: { type: 'ec', curve: 'P-256' } });
    expect(byName.cert.subjectAltName).toBe('DNS:www.example.test');
    const byIp = await issueLeaf({ commonName: '127.0.0.1', key: { type: 'ec', curve: 'P-256' } });
    expect(byIp.cert.subjectAltName).toBe('IP Address:127.0.0.1');
  });

  it('issues a self-signed leaf when no issuer is given', async () => {
    const self = await issueLeaf({ commonName: 'self.test', key: { type: 'ec', curve: 'P-256' } });
    expect(self.cert.issuer).toBe(self.cert.subject);
    expect(self.cert.verify(self.cert.publicKey)).toBe(true);
    expect(self.cert.ca).toBe(false);
  });

  it('issues an RSA-1024 leaf signed with SHA-1 that a SECLEVEL=0 server still serves', async () => {
    const weak = await issueLeaf({
      commonName: 'weak.test',
      issuer: intermediate,
      key: { type: 'rsa', bits: 1024 },
      signatureHash: 'SHA-1',
    });
    expect(weak.cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(certificateSignatureAlgorithm(weak.der)).toEqual({
      oid: '1.2.840.113549.1.1.5',
      name: 'sha1WithRSAEncryption',
      hash: 'sha1',
    });
    expect(weak.cert.verify(intermediate.cert.publicKey)).toBe(true);
    const result = await handshake(
      weak.keyPem,
      pemChain(weak, intermediate),
      root.certPem,
      'weak.test',
      'DEFAULT@SECLEVEL=0',
    );
    expect(result.error).toBeNull();
  });

  it('issues EC leaves and signs with an EC issuer', async () => {
    const ecIssuer = await issueLeaf({
      commonName: 'ec-issuer.test',
      key: { type: 'ec', curve: 'P-384' },
      signatureHash: 'SHA-384',
    });
    expect(ecIssuer.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(certificateSignatureAlgorithm(ecIssuer.der)?.name).toBe('ecdsa-with-SHA384');
    const child = await issueLeaf({ commonName: 'child.test', issuer: ecIssuer });
    expect(child.cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(certificateSignatureAlgorithm(child.der)?.name).toBe('ecdsa-with-SHA256');
    expect(child.cert.verify(ecIssuer.cert.publicKey)).toBe(true);
  });

  it('honours explicit validity dates', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2020-06-01T00:00:00Z');
    const old = await issueLeaf({ commonName: 'old.test', issuer: intermediate, notBefore, notAfter });
    expect(new Date(old.cert.validFrom).toISOString()).toBe(notBefore.toISOString());
    expect(new Date(old.cert.validTo).toISOString()).toBe(notAfter.toISOString());
  });

  it('signs with an issuer given only as PEM (not created in this process)', async () => {
    const foreign: Issued = { certPem: root.certPem, keyPem: root.keyPem, der: root.der, cert: root.cert };
    const child = await createCa({ commonName: 'Other Intermediate', issuer: foreign, keyBits: 1024 });
    expect(child.cert.verify(root.cert.publicKey)).toBe(true);
    expect(child.cert.checkIssued(root.cert)).toBe(true);
    const sha1 = await issueLeaf({ commonName: 'x.test', issuer: { ...child }, signatureHash: 'SHA-1' });
    expect(sha1.cert.verify(child.cert.publicKey)).toBe(true);
    expect(certificateSignatureAlgorithm(sha1.der)?.hash).toBe('sha1');
  });

  it('gives distinct positive serial numbers', async () => {
    const a = await issueLeaf({ commonName: 'a.test', key: { type: 'ec', curve: 'P-256' } });
    const b = await issueLeaf({ commonName: 'a.test', key: { type: 'ec', curve: 'P-256' } });
    expect(a.cert.serialNumber).not.toBe(b.cert.serialNumber);
    expect(Number.parseInt(a.cert.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
  });
});
