import { once } from 'node:events';
import { createServer, Socket, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { sslChecker } from 'ssl-checker';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pemChain, type Issued } from '../../src/demo/index.js';
import type { Outcome } from '../../src/domain/outcome.js';
import type { TlsObservation } from '../../src/domain/tls.js';
import { smtpProbe } from '../../src/probes/tls/smtp-probe.js';
import { smtpStartTls } from '../../src/probes/tls/smtp-starttls.js';
import { tlsProbe } from '../../src/probes/tls/tls-probe.js';
import { listenForTest } from '../helpers/listen.js';
import { createTestPki, daysFromNow, type TestPki } from '../helpers/test-pki.js';
import { HANG_BOUND_MS, UNREACHED_TIMEOUT_MS } from '../helpers/bounds.js';

const MX = 'mx.vigie.test';
/** Never reached by the tests that use it: those that time out give their own. */
const TIMEOUT_MS = UNREACHED_TIMEOUT_MS;

let pki: TestPki;
let leaf: Issued;
let expired: Issued;

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.leaf({ commonName: MX });
  expired = await pki.leaf({ commonName: MX, notBefore: daysFromNow(-100), notAfter: daysFromNow(-2) });
});

/** A real SMTP server (smtp-server) on 127.0.0.1 offering STARTTLS with `cert`, TLS ≥ 1.2. */
async function startSmtp(cert: Issued, extra: Partial<SMTPServerOptions> = {}): Promise<number> {
  const server = new SMTPServer({
    key: cert.keyPem,
    cert: pemChain(cert, pki.intermediate),
    minVersion: 'TLSv1.2',
    authOptional: true,
    disabledCommands: ['AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    ...extra,
  });
  // Raw ClientHellos cut short after the ServerHello are TLS errors on the server side.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

/** A hand-written server speaking (or not) SMTP: `onLine` gets each command line the client sends. */
async function startFake(opts: {
  greeting?: string | Buffer;
  onLine?: (line: string, socket: Socket) => void;
}): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (opts.greeting !== undefined) socket.write(opts.greeting);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let nl: number;
      while ((nl = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 2);
        opts.onLine?.(line, socket);
      }
    });
  });
  return listenForTest(server);
}

/** Answers EHLO with STARTTLS, and STARTTLS with `starttlsReply`. */
const esmtp =
  (starttlsReply: string) =>
  (line: string, socket: Socket): void => {
    const verb = line.split(' ')[0]?.toUpperCase();
    if (verb === 'EHLO') socket.write('250-fake.vigie.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
    else if (verb === 'STARTTLS') socket.write(starttlsReply);
    else if (verb === 'QUIT') socket.end('221 bye\r\n');
    else socket.write('500 unknown\r\n');
  };

async function connected(port: number): Promise<Socket> {
  const socket = new Socket();
  onTestFinished(() => {
    socket.destroy();
  });
  socket.connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}

const probe = (port: number, timeoutMs = TIMEOUT_MS): Promise<Outcome<TlsObservation>> =>
  tlsProbe(
    { host: MX, address: '127.0.0.1', port, starttls: 'smtp' },
    { timeoutMs, trustAnchors: [pki.root.cert] },
  );

describe('smtpProbe', () => {
  it('reports the banner, the EHLO keywords and STARTTLS', async () => {
    const port = await startSmtp(leaf, { name: MX, banner: 'vigie test MTA' });
    const outcome = await smtpProbe({ host: MX, address: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    expect(outcome.value.starttls).toBe(true);
    expect(outcome.value.extensions).toContain('STARTTLS');
    expect(outcome.value.extensions).toContain('PIPELINING');
    expect(outcome.value.banner).toContain(MX);
    expect(outcome.value.banner).toContain('vigie test MTA');
  });

  it('reports starttls false when the server hides it', async () => {
    const port = await startSmtp(leaf, { hideSTARTTLS: true });
    const outcome = await smtpProbe({ host: MX, address: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    expect(outcome.value.starttls).toBe(false);
    expect(outcome.value.extensions).not.toContain('STARTTLS');
  });

  it('maps a closed port to refused', async () => {
    const server = createServer();
    const port = await listenForTest(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await smtpProbe({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'refused' });
  });

  it('reports a refusing greeting as handshake-failed with its text', async () => {
    const port = await startFake({ greeting: '554 5.3.2 no SMTP service here\r\n' });
    const outcome = await smtpProbe({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT_MS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'handshake-failed' });
    if (outcome.status === 'error') expect(outcome.detail).toContain('no SMTP service here');
  });
});

describe('smtpStartTls', () => {
  it('leaves the socket paused, without its listeners, ready for TLS', async () => {
    const port = await startSmtp(leaf);
    const socket = await connected(port);
    const listeners = (['data', 'end', 'close', 'error'] as const).map((e) => socket.listenerCount(e));
    const result = await smtpStartTls(socket, { timeoutMs: TIMEOUT_MS, ehloName: 'client.vigie.test' });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.extensions).toContain('STARTTLS');
    expect((['data', 'end', 'close', 'error'] as const).map((e) => socket.listenerCount(e))).toEqual(
      listeners,
    );
    expect(socket.isPaused()).toBe(true);

    const secure = tlsConnect({ socket, servername: MX, ca: [pki.root.certPem] });
    onTestFinished(() => {
      secure.destroy();
    });
    await Promise.race([
      once(secure, 'secureConnect'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no TLS handshake')), TIMEOUT_MS)),
    ]);
    expect(secure.authorized).toBe(true);
  });

  it('says STARTTLS is not offered when EHLO does not list it', async () => {
    const port = await startSmtp(leaf, { hideSTARTTLS: true });
    const result = await smtpStartTls(await connected(port), { timeoutMs: TIMEOUT_MS });
    expect(result).toEqual({
      ok: false,
      reason: 'handshake-failed',
      notOffered: true,
      detail: 'le serveur SMTP n’annonce pas STARTTLS',
    });
  });

  it('times out on a server that never greets', async () => {
    const port = await startFake({});
    const started = Date.now();
    const result = await smtpStartTls(await connected(port), { timeoutMs: 500 });
    expect(result).toMatchObject({
      ok: false,
      reason: 'timeout',
      detail: expect.stringMatching(/ en 500 ms$/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('refuses binary garbage at once', async () => {
    const port = await startFake({ greeting: Buffer.from([0x16, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28, 0xff]) });
    const started = Date.now();
    const result = await smtpStartTls(await connected(port), { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, reason: 'protocol-error' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('refuses a reply line longer than 1000 bytes and a reply of more than 100 lines', async () => {
    const long = await startFake({ greeting: `220 ${'x'.repeat(1200)}\r\n` });
    expect(await smtpStartTls(await connected(long), { timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      reason: 'protocol-error',
    });
    const many = await startFake({ greeting: '220-hello\r\n'.repeat(150) + '220 done\r\n' });
    expect(await smtpStartTls(await connected(many), { timeoutMs: TIMEOUT_MS })).toMatchObject({
      ok: false,
      reason: 'protocol-error',
    });
  });

  it('reads a multi-line greeting', async () => {
    const port = await startFake({
      greeting: '220-fake.vigie.test ESMTP\r\n220 second line\r\n',
      onLine: esmtp('220 2.0.0 ready\r\n'),
    });
    const result = await smtpStartTls(await connected(port), { timeoutMs: TIMEOUT_MS });
    expect(result).toEqual({
      ok: true,
      banner: 'fake.vigie.test ESMTP\nsecond line',
      extensions: ['PIPELINING', 'STARTTLS'],
    });
  });

  it('refuses bytes sent after the 220 to STARTTLS (command injection)', async () => {
    const port = await startFake({
      greeting: '220 fake.vigie.test ESMTP\r\n',
      onLine: esmtp('220 ready\r\n250 injected\r\n'),
    });
    const result = await smtpStartTls(await connected(port), { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, reason: 'protocol-error' });
    if (!result.ok) expect(result.detail).toContain('STARTTLS');
  });

  it('reports a refused STARTTLS with the reply text', async () => {
    const port = await startFake({
      greeting: '220 fake.vigie.test ESMTP\r\n',
      onLine: esmtp('454 4.7.0 TLS not available\r\n'),
    });
    const result = await smtpStartTls(await connected(port), { timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ ok: false, reason: 'handshake-failed' });
    if (!result.ok) expect(result.detail).toContain('TLS not available');
  });
});

describe('tlsProbe through SMTP STARTTLS', () => {
  it('observes protocols and the certificate chain of an MX', async () => {
    const port = await startSmtp(leaf);
    const outcome = await probe(port);
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed') return;
    const { protocols, certificate } = outcome.value;
    expect(protocols['tls1.2']).toMatchObject({ kind: 'accepted', version: 'tls1.2' });
    expect(protocols['tls1.3']).toMatchObject({ kind: 'accepted', version: 'tls1.3' });
    expect(protocols['tls1.0'].kind).toBe('rejected');
    expect(protocols.ssl3.kind).not.toBe('accepted');
    expect(outcome.value.suites.aead.kind).toBe('accepted');

    expect(certificate.status).toBe('observed');
    if (certificate.status !== 'observed') return;
    const [first] = certificate.value.chain;
    expect(Date.parse(first?.notAfter ?? '')).toBe(Date.parse(leaf.cert.validTo));
    expect(first?.fingerprint256).toBe(leaf.cert.fingerprint256);
    expect(certificate.value.chain).toHaveLength(2);
    expect(certificate.value.trust.status).toBe('trusted');
    expect(certificate.value.nameMatches).toBe(true);
  });

  it('shows an expired leaf as such', async () => {
    const port = await startSmtp(expired);
    const outcome = await probe(port);
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed' || outcome.value.certificate.status !== 'observed') {
      throw new Error('certificate not observed');
    }
    const notAfter = outcome.value.certificate.value.chain[0]?.notAfter ?? '';
    expect(Date.parse(notAfter)).toBe(Date.parse(expired.cert.validTo));
    expect(Date.parse(notAfter)).toBeLessThan(Date.now());
  });

  it('ends in an error that names STARTTLS when the server does not offer it', async () => {
    const port = await startSmtp(leaf, { hideSTARTTLS: true });
    const started = Date.now();
    const outcome = await probe(port);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(outcome).toMatchObject({ status: 'error', reason: 'handshake-failed' });
    if (outcome.status === 'error') expect(outcome.detail).toContain('STARTTLS');
  });

  it('times out on a server that never greets', async () => {
    const port = await startFake({});
    const started = Date.now();
    const outcome = await probe(port, 800);
    expect(outcome).toMatchObject({ status: 'error', reason: 'timeout' });
    // The STARTTLS dialogue gets what is left of the probe's 800 ms once connected.
    const left = Number(/ en (\d+) ms$/.exec(outcome.status === 'error' ? outcome.detail : '')?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(800);
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('reports garbage as a protocol error', async () => {
    const port = await startFake({ greeting: Buffer.from('\u0000\u0001binary\u00ff\r\n', 'latin1') });
    const outcome = await probe(port);
    expect(outcome).toMatchObject({ status: 'error', reason: 'protocol-error' });
  });

  it('reports bytes injected after the 220 to STARTTLS as a protocol error', async () => {
    const port = await startFake({
      greeting: '220 fake.vigie.test ESMTP\r\n',
      onLine: esmtp('220 ready\r\nEHLO injected\r\n'),
    });
    const started = Date.now();
    const outcome = await probe(port);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(outcome).toMatchObject({ status: 'error', reason: 'protocol-error' });
    if (outcome.status === 'error') expect(outcome.detail).toContain('injection');
  });

  it('reports plain text sent a little after the 220 to STARTTLS as a protocol error', async () => {
    const port = await startFake({
      greeting: '220 fake.vigie.test ESMTP\r\n',
      onLine: (line, socket) => {
        esmtp('220 ready\r\n')(line, socket);
        if (line === 'STARTTLS') setTimeout(() => socket.write('250 late plain text\r\n'), 50);
      },
    });
    const started = Date.now();
    const outcome = await probe(port);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(outcome).toMatchObject({ status: 'error', reason: 'protocol-error' });
  });

  it('sees the same certificate as ssl-checker’s STARTTLS', async () => {
    const port = await startSmtp(leaf);
    const outcome = await probe(port);
    const theirs = await sslChecker('127.0.0.1', {
      protocol: 'smtp',
      port,
      servername: MX,
      rejectUnauthorized: false,
      timeout: TIMEOUT_MS,
    });
    expect(outcome.status).toBe('observed');
    if (outcome.status !== 'observed' || outcome.value.certificate.status !== 'observed') return;
    const ours = outcome.value.certificate.value.chain[0];
    expect(Date.parse(theirs.validTo)).toBe(Date.parse(ours?.notAfter ?? ''));
    expect(theirs.fingerprint256).toBe(ours?.fingerprint256);
  });
});
