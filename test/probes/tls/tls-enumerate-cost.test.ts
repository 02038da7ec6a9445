import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parseClientHello } from '../../../src/demo/client-hello-parser.js';
import type { TlsVersionId } from '../../../src/domain/tls.js';
import {
  enumerateTls,
  fullOffer,
  sendHello,
  type EnumerateOptions,
  type EnumerationHello,
} from '../../../src/probes/tls/index.js';
import { opensslServer } from '../../helpers/openssl-cli.js';

/*
 * What the enumeration costs, counted on loopback servers configured from outside the probe
 * (OpenSSL's s_server; a raw server written by hand for the post-quantum hybrid): it reuses the
 * version probes' answers, asks TLS 1.3 by HelloRetryRequest, never asks a version the server
 * refused, and its `post-quantum` scope costs one hello.
 */

let dir: string;
let keyFile: string;
let certFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-enum-cost-'));
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

const target = (port: number) => ({ host: 'localhost', address: '127.0.0.1', port });

/** A hello that records what each handshake asked. */
function counting(port: number): {
  hello: EnumerationHello;
  asked: { version: TlsVersionId; keyShares?: string }[];
} {
  const asked: { version: TlsVersionId; keyShares?: string }[] = [];
  const hello: EnumerationHello = (version, suites, extra) => {
    asked.push({ version, ...(extra.keyShares ? { keyShares: extra.keyShares } : {}) });
    return sendHello(
      target(port),
      { version, suites, want: extra.want ?? 'hello', ...extra },
      { timeoutMs: 5000 },
    );
  };
  return { hello, asked };
}

/** What the version probes saw: each version's answer to its full offer. */
async function versionProbes(
  port: number,
  versions: TlsVersionId[],
): Promise<Partial<Record<TlsVersionId, number>>> {
  const seen: Partial<Record<TlsVersionId, number>> = {};
  for (const v of versions) {
    const r = await sendHello(
      target(port),
      { version: v, suites: fullOffer(v), want: 'hello' },
      { timeoutMs: 5000 },
    );
    if (r.kind === 'accepted' && r.version === v) seen[v] = r.suite;
  }
  return seen;
}

const server = (args: string[]) => opensslServer(['-cert', certFile, '-key', keyFile, ...args]);
const run = (hello: EnumerationHello, opts: Omit<EnumerateOptions, 'timeBoundMs'>) =>
  enumerateTls(hello, { timeBoundMs: 20_000, ...opts });

describe('enumerateTls handshake count', () => {
  it('asks a TLS 1.2-only server nothing in TLS 1.3', async () => {
    const port = await server(['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA']);
    const { hello, asked } = counting(port);
    const e = await run(hello, { accepted: ['tls1.2'], seen: await versionProbes(port, ['tls1.2']) });
    expect(asked.filter((a) => a.version !== 'tls1.2')).toEqual([]);
    expect(new Set(e.versions['tls1.2']?.suites)).toEqual(
      new Set(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA']),
    );
    expect(Object.keys(e.versions)).toEqual(['tls1.2']);
  }, 60_000);

  it('sees the same with the version probes’ answers reused, for fewer handshakes', async () => {
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
    const versions: TlsVersionId[] = ['tls1.2', 'tls1.3'];
    const cold = counting(port);
    const without = await run(cold.hello, { accepted: versions });
    const warm = counting(port);
    const withSeen = await run(warm.hello, { accepted: versions, seen: await versionProbes(port, versions) });
    const { handshakes: _a, ...a } = without;
    const { handshakes: _b, ...b } = withSeen;
    expect(b).toEqual(a);
    expect(b.versions['tls1.2']).toEqual({
      suites: [
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_128_CBC_SHA',
      ],
      serverOrder: true,
    });
    expect(withSeen.handshakes).toBeLessThanOrEqual(without.handshakes - 2);
    expect(withSeen.handshakes).toBe(warm.asked.length);
    // TLS 1.3 suites are asked without a key share: the server answers with a HelloRetryRequest.
    expect(warm.asked.filter((x) => x.version === 'tls1.3').every((x) => x.keyShares === 'none')).toBe(true);
  }, 60_000);

  it('still reads compression, renegotiation and stapling when the version probe saw the only suite', async () => {
    const port = await server(['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-no_comp']);
    const { hello } = counting(port);
    const e = await run(hello, { accepted: ['tls1.2'], seen: await versionProbes(port, ['tls1.2']) });
    expect(e.versions['tls1.2']).toEqual({
      suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      serverOrder: null,
    });
    expect(e.compression).toBe(false);
    expect(e.secureRenegotiation).toBe(true);
    expect(e.ocspStapling).toBe(false);
  }, 60_000);
});

/** A TLS 1.3 server that knows `groups` and answers each hello with a HelloRetryRequest for the first offered. */
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
      // HelloRetryRequest (RFC 8446 §4.1.3): its fixed random, TLS_AES_128_GCM_SHA256, the group asked for.
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
      const sid = parsed.hello.sessionId;
      const body = Buffer.concat([
        Buffer.from('0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'),
        Buffer.from([sid.length]),
        sid,
        Buffer.from([0x13, 0x01, 0x00, 0x00, exts.length]),
        exts,
      ]);
      const msg = Buffer.concat([Buffer.from([0x02, 0, 0, body.length]), body]);
      socket.end(Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0, msg.length]), msg]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('enumerateTls post-quantum scope', () => {
  it('costs one hello and finds the hybrid, leaving everything else not observed', async () => {
    const { hello, asked } = counting(await rawGroupServer([0x001d, 0x11ec]));
    const e = await run(hello, { accepted: ['tls1.2', 'tls1.3'], scope: 'post-quantum' });
    expect(asked).toEqual([{ version: 'tls1.3', keyShares: 'none' }]);
    expect(e).toMatchObject({ handshakes: 1, postQuantum: true, groups: null, versions: {} });
    expect(e).toMatchObject({ compression: null, secureRenegotiation: null, ocspStapling: null });
  }, 30_000);

  it('says no hybrid when the server refuses every hybrid group', async () => {
    const { hello } = counting(await rawGroupServer([0x001d]));
    const e = await run(hello, { accepted: ['tls1.3'], scope: 'post-quantum' });
    expect(e.postQuantum).toBe(false);
    expect(e.handshakes).toBe(1);
  }, 30_000);

  it('spends nothing without TLS 1.3, where no hybrid can be negotiated', async () => {
    const hello: EnumerationHello = () => Promise.reject(new Error('no handshake expected'));
    const e = await run(hello, { accepted: ['tls1.2'], scope: 'post-quantum' });
    expect(e).toMatchObject({ handshakes: 0, postQuantum: false, groups: null });
  });
});
